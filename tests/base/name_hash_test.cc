#include "base/name_hash.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"

namespace upkeep {
namespace {

// The hash depends on the bytes only, not on where they are.
RC_GTEST_PROP(NameHashProperties, EqualBytesHashEqually, ()) {
  const std::string name = *rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 80),
                                                            rc::gen::arbitrary<char>());
  const std::string copy = "..." + name;
  RC_ASSERT(NameHash(name) == NameHash(std::string_view(copy).substr(3)));
}

// Changing any one bit of a name of any length up to 80, or its length, changes the hash.
RC_GTEST_PROP(NameHashProperties, EveryByteAndTheLengthCount, ()) {
  const std::string name = *rc::gen::container<std::string>(*rc::gen::inRange<size_t>(1, 80),
                                                            rc::gen::arbitrary<char>());
  const auto at = *rc::gen::inRange<size_t>(0, name.size());
  const auto bit = *rc::gen::inRange(0, 8);
  std::string changed = name;
  changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
  RC_ASSERT(NameHash(changed) != NameHash(name));
  RC_ASSERT(NameHash(name + '\0') != NameHash(name));
  RC_ASSERT(NameHash(name.substr(0, name.size() - 1)) != NameHash(name));
}

// The ids a host sends: sequential numbers of `width` digits between a prefix and a suffix,
// short (inline loads) and long (folded 16 bytes at a time).
std::vector<std::string> SequentialIds(const std::string& prefix, size_t width,
                                       const std::string& suffix, size_t count) {
  std::vector<std::string> ids;
  ids.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string number = std::to_string(i);
    if (number.size() < width) number.insert(0, width - number.size(), '0');
    ids.push_back(prefix + number + suffix);
  }
  return ids;
}

// The Interner places a name by the hash's top bits and tells names apart by its top 32: over
// 1,000,000 sequential ids each of 4,096 places gets close to its share, and the 32-bit tags
// collide about as often as random ones would (the birthday bound: 116 pairs expected).
TEST(NameHashTest, TopBitsSpreadSequentialIds) {
  struct Form {
    std::string prefix;
    size_t width;
    std::string suffix;
  };
  for (const Form& form : {Form{"S", 7, ""}, Form{"c", 0, ""}, Form{"r-c10012345-", 6, "-gift"},
                           Form{"", 8, "-4c1e-9b2a-7f3d-a1b2c3d4e5f6"}}) {
    SCOPED_TRACE(form.prefix + "#" + form.suffix);
    const std::vector<std::string> ids =
        SequentialIds(form.prefix, form.width, form.suffix, 1'000'000);
    std::vector<int> per_place(4096);
    std::unordered_set<uint32_t> tags;
    for (const std::string& id : ids) {
      const uint64_t hash = NameHash(id);
      ++per_place[hash >> 52];
      tags.insert(static_cast<uint32_t>(hash >> 32));
    }
    const int most = *std::max_element(per_place.begin(), per_place.end());
    const int fewest = *std::min_element(per_place.begin(), per_place.end());
    // A share is 244 (a standard deviation 15.6): random placement keeps all 4,096 places
    // within 8 of them but about once in a billion runs (the seed changes every run).
    EXPECT_LT(most, 370);
    EXPECT_GT(fewest, 118);
    EXPECT_GT(tags.size(), ids.size() - 300);
  }
}

// One bit changed in the name changes about half of the bits the Interner uses (the top 32),
// on average.
TEST(NameHashTest, OneBitChangesHalfTheHash) {
  for (size_t size : {3u, 7u, 8u, 15u, 16u, 17u, 36u, 64u}) {
    SCOPED_TRACE(size);
    std::string name(size, 'a');
    int flipped = 0;
    int trials = 0;
    for (size_t at = 0; at < size; ++at) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string changed = name;
        changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
        flipped += std::popcount((NameHash(name) ^ NameHash(changed)) >> 32);
        ++trials;
      }
    }
    const double average = static_cast<double>(flipped) / trials;
    EXPECT_GT(average, 13.0);
    EXPECT_LT(average, 19.0);
  }
}

}  // namespace
}  // namespace upkeep

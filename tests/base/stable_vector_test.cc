// StableVector: indexing across segments, element addresses that never move, emplace_back,
// resize, and a comparison with std::vector over random appends and resizes.
#include "base/stable_vector.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace upkeep {
namespace {

struct Record {
  int64_t amount_minor = -1;  // value-initialized records are not all-zero
  uint32_t index = 0xFFFFFFFFu;
};

TEST(StableVectorTest, StartsEmpty) {
  const StableVector<Record> v;
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.capacity(), 0u);
  EXPECT_EQ(v.MemoryBytes(), 0u);
}

TEST(StableVectorTest, AppendedElementsAreReadBackAcrossSegments) {
  StableVector<Record> v;
  for (uint32_t i = 0; i < 100'000; ++i) v.emplace_back() = Record{int64_t{i} * 3, i};
  ASSERT_EQ(v.size(), 100'000u);
  for (uint32_t i = 0; i < 100'000; ++i) {
    ASSERT_EQ(v[i].amount_minor, int64_t{i} * 3) << i;
    ASSERT_EQ(v[i].index, i) << i;
  }
  EXPECT_GE(v.capacity(), v.size());
  EXPECT_GE(v.MemoryBytes(), v.size() * sizeof(Record));
  // Segments double: never more than twice what is held, plus the first segment.
  EXPECT_LE(v.capacity(), 2 * v.size() + 256);
}

TEST(StableVectorTest, EmplaceBackAppendsAValueInitializedElementToFillInPlace) {
  StableVector<Record> v;
  v.emplace_back() = Record{3, 3};
  Record& added = v.emplace_back();
  EXPECT_EQ(&added, &v[1]);
  EXPECT_EQ(added.amount_minor, -1);
  EXPECT_EQ(added.index, 0xFFFFFFFFu);
  added.amount_minor = 42;
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].amount_minor, 42);
  EXPECT_EQ(v[0].amount_minor, 3);
}

TEST(StableVectorTest, ElementsNeverMoveWhenItGrows) {
  StableVector<Record> v;
  v.emplace_back() = Record{7, 1};
  const Record* first = &v[0];
  std::vector<const Record*> addresses;
  for (uint32_t i = 1; i < 50'000; ++i) {
    v.emplace_back() = Record{i, i};
    if (i % 997 == 0) addresses.push_back(&v[i]);
  }
  EXPECT_EQ(first, &v[0]);
  EXPECT_EQ(v[0].amount_minor, 7);
  size_t k = 0;
  for (uint32_t i = 997; i < 50'000; i += 997) EXPECT_EQ(addresses[k++], &v[i]) << i;
}

TEST(StableVectorTest, ResizeValueInitializesTheNewElements) {
  StableVector<Record> v;
  v.emplace_back() = Record{5, 5};
  v.resize(10'000);
  ASSERT_EQ(v.size(), 10'000u);
  EXPECT_EQ(v[0].amount_minor, 5);
  EXPECT_EQ(v[1].amount_minor, -1);
  EXPECT_EQ(v[9'999].index, 0xFFFFFFFFu);
}

RC_GTEST_PROP(StableVectorProperty, MatchesStdVector, (const std::vector<int64_t>& values)) {
  StableVector<Record> stable;
  std::vector<Record> plain;
  for (const int64_t value : values) {
    if (value % 17 == 0) {  // now and then a resize by a few elements
      const size_t grown = plain.size() + static_cast<size_t>(value < 0 ? -value : value) % 300;
      stable.resize(grown);
      plain.resize(grown);
    } else {
      stable.emplace_back() = Record{value, static_cast<uint32_t>(plain.size())};
      plain.push_back({value, static_cast<uint32_t>(plain.size())});
    }
  }
  RC_ASSERT(stable.size() == plain.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    RC_ASSERT(stable[i].amount_minor == plain[i].amount_minor);
    RC_ASSERT(stable[i].index == plain[i].index);
  }
}

}  // namespace
}  // namespace upkeep

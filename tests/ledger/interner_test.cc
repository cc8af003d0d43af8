// The ledger's name index (src/ledger/interner.h): dense indices, stable names, growth, and a
// random comparison against std::map.
#include "ledger/interner.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"

namespace upkeep::ledger {
namespace {

TEST(InternerTest, EmptyFindsNothing) {
  const Interner names;
  EXPECT_EQ(names.Find("anything"), kNone);
  EXPECT_EQ(names.Find(""), kNone);
  EXPECT_EQ(names.size(), 0u);
  names.Prefetch("anything");  // no table yet: must not touch memory
}

TEST(InternerTest, InternGivesDenseIndicesOnce) {
  Interner names;
  EXPECT_EQ(names.Intern("gift"), std::make_pair(0u, true));
  EXPECT_EQ(names.Intern("meal"), std::make_pair(1u, true));
  EXPECT_EQ(names.Intern("gift"), std::make_pair(0u, false));
  EXPECT_EQ(names.Intern(""), std::make_pair(2u, true));  // the empty name is a name
  EXPECT_EQ(names.Find("meal"), 1u);
  EXPECT_EQ(names.Find(""), 2u);
  EXPECT_EQ(names.Find("gif"), kNone);
  EXPECT_EQ(names.Find("gifts"), kNone);
  EXPECT_EQ(names.Name(0), "gift");
  EXPECT_EQ(names.size(), 3u);
}

TEST(InternerTest, NamesStayPutAndFoundAcrossGrowth) {
  Interner names;
  std::string_view first;
  for (int i = 0; i < 200'000; ++i) {
    const auto [index, added] = names.Intern(absl::StrCat("op-", i));
    ASSERT_TRUE(added);
    ASSERT_EQ(index, static_cast<uint32_t>(i));
    if (i == 0) first = names.Name(0);
  }
  EXPECT_EQ(names.Name(0).data(), first.data());  // views stay valid as the table grows
  for (int i = 0; i < 200'000; i += 997) {
    EXPECT_EQ(names.Find(absl::StrCat("op-", i)), static_cast<uint32_t>(i));
  }
  EXPECT_EQ(names.Find("op-200000"), kNone);
  // 8-byte slots at most 3/4 full and a 16-byte entry holding these short names: about 38
  // bytes a name here, against about 80 with a map of 40-byte std::string slots.
  EXPECT_LT(names.MemoryBytes(), size_t{200'000} * 42);
}

TEST(InternerTest, ReserveThenInternKeepsIndices) {
  Interner names;
  names.Intern("a");
  names.Reserve(100'000);
  for (int i = 0; i < 100'000; ++i) names.Intern(absl::StrCat("b", i));
  EXPECT_EQ(names.Find("a"), 0u);
  EXPECT_EQ(names.Find("b99999"), 100'000u);
  EXPECT_EQ(names.size(), 100'001u);
}

TEST(InternerTest, LongNamesAreKept) {
  Interner names;
  const std::string long_name(100'000, 'x');  // over a quarter block: its own allocation
  EXPECT_EQ(names.Intern(long_name).first, 0u);
  EXPECT_EQ(names.Find(long_name), 0u);
  EXPECT_EQ(names.Name(0), long_name);
  EXPECT_EQ(names.Find(std::string(99'999, 'x')), kNone);
}

TEST(InternerTest, NamesAroundTheInlineLengthReadBackWhole) {
  Interner names;
  for (size_t length = 0; length <= 40; ++length) {  // 15 bytes fit in an entry, 16 do not
    ASSERT_EQ(names.Intern(std::string(length, 'n')).first, length);
  }
  for (size_t length = 0; length <= 40; ++length) {
    const std::string name(length, 'n');
    EXPECT_EQ(names.Name(static_cast<uint32_t>(length)), name);
    EXPECT_EQ(names.Find(name), length);
  }
  EXPECT_EQ(names.Find(std::string(15, 'm')), kNone);  // same length and tag bits, other text
  EXPECT_EQ(names.Find(std::string(41, 'n')), kNone);
}

// Random names (short alphabet, so many share prefixes and lengths) against std::map.
TEST(InternerTest, PrefetchEntryGuessesTheIndexATagPointsAt) {
  Interner names;
  EXPECT_EQ(names.PrefetchEntry(Interner::TagOf("c1")), kNone);  // no table yet
  for (int i = 0; i < 1000; ++i) names.Intern(absl::StrCat("c", i));
  // Tags are 32 bits of the hash: among 1,000 names each picks its own name's index.
  for (int i = 0; i < 1000; i += 37) {
    const std::string name = absl::StrCat("c", i);
    EXPECT_EQ(names.PrefetchEntry(Interner::TagOf(name)), names.Find(name)) << name;
  }
  EXPECT_EQ(names.PrefetchEntry(Interner::TagOf("not-a-customer")), kNone);
}

RC_GTEST_PROP(InternerProperty, AgreesWithAMap, ()) {
  Interner names;
  std::map<std::string, uint32_t> model;
  const int steps = *rc::gen::inRange(1, 3000);
  for (int step = 0; step < steps; ++step) {
    const auto length = *rc::gen::inRange<size_t>(0, 6);
    const std::string name =
        *rc::gen::container<std::string>(length, rc::gen::elementOf(std::string("ab\xC3\xA9")));
    if (*rc::gen::arbitrary<bool>()) {
      const auto [index, added] = names.Intern(name);
      const auto [it, model_added] = model.try_emplace(name, static_cast<uint32_t>(model.size()));
      RC_ASSERT(added == model_added);
      RC_ASSERT(index == it->second);
    } else {
      const auto it = model.find(name);
      RC_ASSERT(names.Find(name) == (it == model.end() ? kNone : it->second));
    }
  }
  RC_ASSERT(names.size() == model.size());
  for (const auto& [name, index] : model) RC_ASSERT(names.Name(index) == name);
}

}  // namespace
}  // namespace upkeep::ledger

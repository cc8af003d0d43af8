// The split's core (money/split_core.h): Divider against 128-bit division, and SplitGroups, with
// and without kept buckets and staged floors, against Split on each group alone.
#include "money/split_core.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "absl/numeric/int128.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "upkeep/split.h"

namespace upkeep::money_internal {
namespace {

void ExpectDivMod(uint64_t a, uint64_t b, uint64_t d) {
  const absl::uint128 x = absl::uint128(a) * b;
  const auto [quotient, remainder] = Divider(d).DivMod(a, b);
  EXPECT_EQ(quotient, absl::Uint128Low64(x / d)) << a << " * " << b << " / " << d;
  EXPECT_EQ(remainder, absl::Uint128Low64(x % d)) << a << " * " << b << " % " << d;
}

TEST(DividerTest, Edges) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  ExpectDivMod(0, 0, 1);
  ExpectDivMod(kMax, 1, 1);
  ExpectDivMod(kMax, kMax, kMax);
  ExpectDivMod(kMax, kMax - 1, kMax);
  ExpectDivMod(kMax - 1, uint64_t{1} << 63, uint64_t{1} << 63);
  ExpectDivMod(12345, 3, 7);
  ExpectDivMod(uint64_t{1} << 62, (uint64_t{1} << 63) + 1, (uint64_t{1} << 63) + 1);
  ExpectDivMod(1'000'000'000'00, 1'000'000'000'0, 12'345'678'901'234);
}

RC_GTEST_PROP(DividerProperty, MatchesTheDivision, ()) {
  // Any divisor, a multiplier up to it (so that a * b / d fits in 64 bits, as in a split).
  const uint64_t d =
      *rc::gen::oneOf(rc::gen::inRange<uint64_t>(1, 1'000'000),
                      rc::gen::suchThat<uint64_t>([](uint64_t v) { return v != 0; }));
  const uint64_t b = *rc::gen::arbitrary<uint64_t>() % d + 1;
  const uint64_t a = *rc::gen::arbitrary<uint64_t>();
  const absl::uint128 x = absl::uint128(a) * b;
  const auto [quotient, remainder] = Divider(d).DivMod(a, b);
  RC_ASSERT(quotient == absl::Uint128Low64(x / d));
  RC_ASSERT(remainder == absl::Uint128Low64(x % d));
}

// Parts of several groups, in one order, from plain vectors; the output in a vector. With
// kStaged, floors are staged in the output as the allocation's parts do.
template <bool kStaged>
class VectorParts {
 public:
  static constexpr bool kStagesFloors = kStaged;
  VectorParts(const std::vector<size_t>& group, const std::vector<uint64_t>& weight,
              const std::vector<uint64_t>& key)
      : group_(group), weight_(weight), key_(key), out_(group.size(), 0) {}
  size_t size() const { return group_.size(); }
  size_t group(size_t k) const { return group_[k]; }
  uint64_t weight(size_t k) const { return weight_[k]; }
  uint64_t key(size_t k) const { return key_[k]; }
  void StartWriting() {}
  void Write(size_t k, int64_t part) { out_[k] = part; }
  void StageFloor(size_t k, uint64_t floor) { out_[k] = static_cast<int64_t>(floor); }
  uint64_t StagedFloor(size_t k) const { return static_cast<uint64_t>(out_[k]); }
  const std::vector<int64_t>& out() const { return out_; }

 private:
  const std::vector<size_t>& group_;
  const std::vector<uint64_t>& weight_;
  const std::vector<uint64_t>& key_;
  std::vector<int64_t> out_;
};

rc::Gen<uint64_t> AnyWeight() {
  return rc::gen::weightedOneOf<uint64_t>({
      {1, rc::gen::just<uint64_t>(0)},
      {3, rc::gen::inRange<uint64_t>(0, 1'000)},
      {3, rc::gen::inRange<uint64_t>(0, 10'000'000'000)},
      {1, rc::gen::arbitrary<uint64_t>()},
  });
}

template <bool kStaged>
void CheckAgainstSplit(bool keep_buckets) {
  const size_t groups = *rc::gen::inRange<size_t>(1, 6);
  const size_t n = *rc::gen::inRange<size_t>(0, 3'000);
  std::vector<size_t> group(n);
  std::vector<uint64_t> weight(n), key(n);
  for (size_t k = 0; k < n; ++k) {
    group[k] = *rc::gen::inRange<size_t>(0, groups);
    weight[k] = *AnyWeight();
  }
  std::iota(key.begin(), key.end(), *rc::gen::inRange<uint64_t>(0, 1'000'000));
  std::shuffle(key.begin(), key.end(), std::mt19937_64(*rc::gen::arbitrary<uint64_t>()));
  std::vector<SplitGroup> plan(groups);
  for (size_t k = 0; k < n; ++k) {
    plan[group[k]].total_weight += weight[k];
    ++plan[group[k]].parts;
  }
  for (SplitGroup& g : plan) {
    g.amount_minor = g.total_weight == 0
                         ? 0
                         : *rc::gen::weightedOneOf<int64_t>({
                               {3, rc::gen::inRange<int64_t>(-1'000'000, 1'000'000)},
                               {2, rc::gen::arbitrary<int64_t>()},
                           });
  }
  VectorParts<kStaged> parts(group, weight, key);
  std::vector<uint16_t> scratch;
  RC_ASSERT(SplitGroups(plan, parts, keep_buckets ? &scratch : nullptr).ok());
  for (size_t g = 0; g < groups; ++g) {
    std::vector<uint64_t> w, keys;
    std::vector<int64_t> expected, got;
    for (size_t k = 0; k < n; ++k) {
      if (group[k] != g) continue;
      w.push_back(weight[k]);
      keys.push_back(key[k]);
      got.push_back(parts.out()[k]);
    }
    RC_ASSERT(Split(plan[g].amount_minor, w, keys, expected).ok());
    RC_ASSERT(got == expected);
  }
}

RC_GTEST_PROP(SplitGroupsProperty, EachGroupAsSplitAlone, ()) { CheckAgainstSplit<false>(false); }

RC_GTEST_PROP(SplitGroupsProperty, EachGroupAsSplitAloneWithKeptBuckets, ()) {
  CheckAgainstSplit<false>(true);
}

RC_GTEST_PROP(SplitGroupsProperty, EachGroupAsSplitAloneWithStagedFloors, ()) {
  CheckAgainstSplit<true>(true);
}

}  // namespace
}  // namespace upkeep::money_internal

// BucketFill against WaterFill: on random groups of customers with one floor and one cap per
// group (many equal bases, zero bases, bounds that bind or not), the same customers held at the
// same bounds, and after the final split the same amounts, to the minor unit.
#include "allocation/bucket_fill.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/numeric/int128.h"
#include "allocation/water_fill.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "upkeep/split.h"

namespace upkeep::allocation_internal {
namespace {

constexpr int64_t kNoCap = std::numeric_limits<int64_t>::max();

rc::Gen<int64_t> AnyBase() {
  return rc::gen::weightedOneOf<int64_t>({
      {1, rc::gen::just<int64_t>(0)},
      {2, rc::gen::inRange<int64_t>(1, 100)},  // many equal bases
      {4, rc::gen::inRange<int64_t>(1, 1'000'000)},
      {1, rc::gen::inRange<int64_t>(1, 1'000'000'000'000)},
  });
}

// What the customers of a group (all with its floor and cap) get from WaterFill, and which it
// holds at a bound; in portfolio order over the group's customers.
struct Reference {
  std::vector<int64_t> amount;
  std::vector<Bound> bound;
};

RC_GTEST_PROP(BucketFillProperty, SameAsWaterFill, ()) {
  const size_t groups = *rc::gen::inRange<size_t>(1, 5);
  const size_t n = *rc::gen::inRange<size_t>(0, 2'000);
  std::vector<TierIndex> group(n);
  std::vector<int64_t> base(n);
  for (size_t i = 0; i < n; ++i) {
    group[i] = static_cast<TierIndex>(*rc::gen::inRange<size_t>(0, groups));
    base[i] = *AnyBase();
  }
  std::vector<int64_t> floor(groups), cap(groups), total(groups);
  std::vector<GroupFill> fill(groups);
  std::vector<uint32_t> count(groups * kBaseBuckets, 0);
  std::vector<int64_t> sum(groups * kBaseBuckets, 0);
  std::vector<uint16_t> bucket(n, kNoBucket);
  for (size_t g = 0; g < groups; ++g) {
    floor[g] = *rc::gen::weightedOneOf<int64_t>(
        {{1, rc::gen::just<int64_t>(0)}, {3, rc::gen::inRange<int64_t>(0, 200'000)}});
    cap[g] = *rc::gen::weightedOneOf<int64_t>(
        {{1, rc::gen::just(kNoCap)}, {3, rc::gen::inRange<int64_t>(floor[g], 2'000'000)}});
    // A total the bounds allow: between the floors and the effective caps.
    absl::int128 low = 0, high = 0;
    int64_t bases = 0, zero_floors = 0;
    for (size_t i = 0; i < n; ++i) {
      if (group[i] != g) continue;
      low += floor[g];
      high += base[i] == 0 ? floor[g] : cap[g];
      bases += base[i];
      if (base[i] == 0) zero_floors += floor[g];
    }
    const absl::int128 top = std::min<absl::int128>(high, low + 4'000'000'000'000);
    total[g] = static_cast<int64_t>(low) +
               *rc::gen::inRange<int64_t>(0, static_cast<int64_t>(top - low) + 1);
    fill[g] = {total[g] - zero_floors, bases};
  }
  for (size_t i = 0; i < n; ++i) {
    if (base[i] == 0) continue;
    const size_t b = BaseBucket(base[i]);
    bucket[i] = static_cast<uint16_t>(b);
    ++count[group[i] * kBaseBuckets + b];
    sum[group[i] * kBaseBuckets + b] += base[i];
  }
  std::vector<uint8_t> mark(n, kMarkFree);
  std::vector<Bound> fate(groups * kBaseBuckets, Bound::kNone);
  BucketFill({group, base, bucket, count, sum, floor, cap}, fill, mark, fate);

  for (size_t g = 0; g < groups; ++g) {
    std::vector<int64_t> bases, floors, caps;
    std::vector<uint64_t> keys;
    std::vector<size_t> members;
    for (size_t i = 0; i < n; ++i) {
      if (group[i] != g) continue;
      members.push_back(i);
      bases.push_back(base[i]);
      floors.push_back(floor[g]);
      caps.push_back(cap[g]);
      keys.push_back(i);
    }
    Reference ref{std::vector<int64_t>(members.size()), std::vector<Bound>(members.size())};
    RC_ASSERT(WaterFill({bases, floors, caps, keys}, total[g], ref.amount, ref.bound).ok());
    // BucketFill's answer: held customers at their bound, the free ones by the final split.
    std::vector<uint64_t> free_weights, free_keys;
    std::vector<size_t> free_at;
    for (size_t k = 0; k < members.size(); ++k) {
      const size_t i = members[k];
      if (base[i] == 0) {
        RC_ASSERT(ref.amount[k] == floor[g]);
        continue;
      }
      const Bound side =
          mark[i] != kMarkFree ? static_cast<Bound>(mark[i]) : fate[g * kBaseBuckets + bucket[i]];
      RC_ASSERT(side == ref.bound[k]);
      if (side == Bound::kNone) {
        free_weights.push_back(static_cast<uint64_t>(base[i]));
        free_keys.push_back(i);
        free_at.push_back(k);
      } else {
        RC_ASSERT(ref.amount[k] == (side == Bound::kCap ? cap[g] : floor[g]));
      }
    }
    if (free_at.empty()) {
      RC_ASSERT(fill[g].remaining_minor == 0);
      continue;
    }
    std::vector<int64_t> parts;
    RC_ASSERT(Split(fill[g].remaining_minor, free_weights, free_keys, parts).ok());
    for (size_t f = 0; f < free_at.size(); ++f) RC_ASSERT(parts[f] == ref.amount[free_at[f]]);
  }
}

TEST(BucketFillTest, BucketsAreMonotoneAndTheirBoundsHold) {
  size_t previous = 0;
  for (int64_t base :
       {int64_t{1}, int64_t{2}, int64_t{63}, int64_t{64}, int64_t{65}, int64_t{127}, int64_t{128},
        int64_t{1'000'000}, int64_t{1} << 40, std::numeric_limits<int64_t>::max()}) {
    const size_t b = BaseBucket(base);
    EXPECT_GE(b, previous) << base;
    EXPECT_LT(b, kBaseBuckets) << base;
    EXPECT_LE(BucketLow(b), base) << base;
    EXPECT_GE(BucketHigh(b), base) << base;
    if (b > 0) {
      EXPECT_EQ(BucketHigh(b - 1) + 1, BucketLow(b)) << base;
    }
    previous = b;
  }
}

}  // namespace
}  // namespace upkeep::allocation_internal

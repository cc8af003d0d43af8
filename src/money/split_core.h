// money/split_core.h: the largest-remainder split behind upkeep::Split, for one group of parts or
// for several groups in the same passes (internal).
//
// SplitGroups splits, for every group g, groups[g].amount_minor over the parts of group g by
// their weights, each group with exactly the result Split gives it alone (split.h: floors, the
// leftover units to the largest remainders, ties by ascending tie key, a negative amount as the
// mirror image of the positive one). Parts are read and written through an accessor, so that a
// caller splits every tier of a portfolio in place and in portfolio order, in the passes of one
// split, without laying each tier's parts out apart first:
//
//   struct Parts {
//     static constexpr bool kStagesFloors;   // see below
//     size_t size() const;
//     size_t group(size_t k) const;          // < groups.size()
//     uint64_t weight(size_t k) const;       // its group's total_weight is their sum
//     uint64_t key(size_t k) const;          // read only for parts tied at the boundary
//     void StartWriting();                   // once, after which nothing fails
//     void Write(size_t k, int64_t part);    // once per part, in ascending k
//     // With kStagesFloors:
//     void StageFloor(size_t k, uint64_t floor);  // in the first pass: keep it (e.g. in the
//     uint64_t StagedFloor(size_t k) const;       // output), for the last pass to read
//   };
//
// The caller gives each group's total weight and part count (it knows them from the pass that
// made the weights) and checks its own conditions first: a group whose total weight is zero must
// have a zero amount; at most 2^32 - 1 parts. Error: kInvalidArgument when two parts of a group
// tie for a leftover unit with the same key; nothing is written then (but what StageFloor kept).
//
// With `bucket_scratch` (2 bytes per part, reused), the first pass keeps each part's remainder
// bucket, so that the second pass reads them instead of dividing again, and the last pass too
// when the floors are staged: then only the first pass divides.
//
// Method, per group and for all groups in the same passes: (1) sum the floors and histogram the
// remainders' top bits, which finds the bucket holding the group's last leftover unit (the
// boundary); (2) only when some but not all of a boundary bucket's parts get a unit, gather that
// bucket's parts and let std::nth_element pick them, checking that the last picked and the first
// not picked differ in (remainder, key); (3) write floor + unit. A part's share is recomputed in
// each pass by Divider (a multiplication by a precomputed reciprocal) when its group's total
// weight fits in 64 bits; otherwise every share is computed once by a 128-bit division and kept
// (32 bytes per part).
//
// Thread safety: pure functions.
#ifndef UPKEEP_MONEY_SPLIT_CORE_H_
#define UPKEEP_MONEY_SPLIT_CORE_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "upkeep/status.h"

namespace upkeep::money_internal {

// What one group splits: amount_minor over `parts` parts whose weights sum to total_weight.
struct SplitGroup {
  int64_t amount_minor = 0;
  absl::uint128 total_weight = 0;
  size_t parts = 0;
};

// floor(x / d) and x mod d for many x < d * 2^64 and one 64-bit d > 0, without a division
// instruction per x: the 2-by-1 division by an invariant word of Möller and Granlund ("Improved
// division by invariant integers", IEEE Transactions on Computers 60(2), 2011), on d and x
// shifted left until d's top bit is set, with the reciprocal v = floor((2^128 - 1) / d) - 2^64.
class Divider {
 public:
  explicit Divider(uint64_t divisor)
      : shift_(std::countl_zero(divisor)),
        divisor_(divisor << shift_),
        reciprocal_(absl::Uint128Low64(~absl::uint128(0) / divisor_)) {}

  // floor(a * b / d) and the remainder. REQUIRES: a * b < d * 2^64 (a <= d * 2^64 / b).
  std::pair<uint64_t, uint64_t> DivMod(uint64_t a, uint64_t b) const {
    const absl::uint128 x = (absl::uint128(a) * b) << shift_;
    const uint64_t high = absl::Uint128High64(x);
    const uint64_t low = absl::Uint128Low64(x);
    const absl::uint128 estimate =
        absl::uint128(reciprocal_) * high + absl::MakeUint128(high + 1, low);
    uint64_t quotient = absl::Uint128High64(estimate);
    uint64_t remainder = low - quotient * divisor_;
    // The estimate is one too large about half the time, at random: correct it with a mask, not
    // a branch (which the compiler makes of a conditional); it is one too small rarely.
    const uint64_t over = uint64_t{0} - uint64_t{remainder > absl::Uint128Low64(estimate)};
    quotient += over;
    remainder += divisor_ & over;
    if (remainder >= divisor_) [[unlikely]] {
      ++quotient;
      remainder -= divisor_;
    }
    return {quotient, remainder >> shift_};
  }

 private:
  int shift_;
  uint64_t divisor_;
  uint64_t reciprocal_;
};

namespace split_detail {

constexpr size_t kNoBucket = std::numeric_limits<size_t>::max();
constexpr uint16_t kZeroRemainder = std::numeric_limits<uint16_t>::max();  // kept "bucket"

inline int BitWidth(absl::uint128 value) {
  const uint64_t high = absl::Uint128High64(value);
  return static_cast<int>(high != 0 ? 64 + std::bit_width(high)
                                    : std::bit_width(absl::Uint128Low64(value)));
}

// One part's share of its group's magnitude: floor(magnitude * weight / total) and the remainder.
template <typename Remainder>
struct Share {
  uint64_t floor;
  Remainder remainder;
};

// A part in its group's boundary bucket, which may or may not receive a leftover unit.
template <typename Remainder>
struct Candidate {
  Remainder remainder;
  uint64_t key;
  uint32_t index;
};

// Whether `a` comes before `b` in line for a leftover unit.
template <typename Remainder>
bool FirstInLine(const Candidate<Remainder>& a, const Candidate<Remainder>& b) {
  if (a.remainder != b.remainder) return a.remainder > b.remainder;
  return a.key < b.key;
}

// A group as the passes see it.
struct GroupPlan {
  uint64_t magnitude = 0;
  uint64_t sign_mask = 0;  // all ones for a negative amount: (x ^ mask) - mask negates
  Divider divider{1};      // by the total weight, when it fits in 64 bits
  int shift = 0;           // a remainder's bucket is remainder >> shift
  size_t histogram_begin = 0;
  size_t buckets = 0;
  uint64_t floor_sum = 0;
  size_t unit_from = kNoBucket;  // non-zero remainders in this bucket or above get a unit
  size_t boundary = kNoBucket;   // the bucket whose parts are picked one by one, if any
  size_t wanted = 0;             // how many of them get a unit
  size_t candidates_begin = 0;
};

inline int64_t ToPart(uint64_t magnitude, uint64_t sign_mask) {
  // Unsigned arithmetic and one final conversion keep every step defined (2^63 for INT64_MIN).
  return static_cast<int64_t>((magnitude ^ sign_mask) - sign_mask);
}

// The three passes over shares share(k, group) -> Share<Remainder>.
template <typename Remainder, typename Parts, typename ShareFn>
absl::Status SplitShares(std::vector<GroupPlan>& plans, Parts& parts, ShareFn share,
                         std::vector<uint16_t>* bucket_scratch) {
  static_assert(size_t{1} << 11 < kZeroRemainder, "bucket numbers fit below kZeroRemainder");
  const size_t n = parts.size();
  size_t histogram_size = 0;
  for (GroupPlan& plan : plans) {
    plan.histogram_begin = histogram_size;
    histogram_size += plan.buckets;
  }
  std::vector<uint16_t> local_scratch;
  if (Parts::kStagesFloors && bucket_scratch == nullptr) bucket_scratch = &local_scratch;
  uint16_t* kept_bucket = nullptr;
  if (bucket_scratch != nullptr) {
    bucket_scratch->resize(n);
    kept_bucket = bucket_scratch->data();
  }
  // The bucket of a part's remainder, or kZeroRemainder.
  const auto bucket_of = [&plans](size_t g, Remainder remainder) {
    return remainder == 0 ? kZeroRemainder : static_cast<uint16_t>(remainder >> plans[g].shift);
  };
  // Pass 1: each group's floors, and how many non-zero remainders fall in each bucket. Four
  // floor sums per group, which consecutive parts add to in turn (no chain through memory).
  std::vector<uint32_t> histogram(histogram_size, 0);
  std::vector<uint64_t> floor_sum(4 * plans.size(), 0);
  for (size_t k = 0; k < n; ++k) {
    const size_t g = parts.group(k);
    const GroupPlan& plan = plans[g];
    const Share<Remainder> s = share(k, g);
    floor_sum[4 * g + (k & 3)] += s.floor;
    histogram[plan.histogram_begin + static_cast<size_t>(s.remainder >> plan.shift)] +=
        s.remainder != 0 ? 1u : 0u;
    if (kept_bucket != nullptr) kept_bucket[k] = bucket_of(g, s.remainder);
    if constexpr (Parts::kStagesFloors) parts.StageFloor(k, s.floor);
  }
  // Each group's boundary: buckets above it hold fewer non-zero remainders than the leftover,
  // with it enough. When all of its parts get a unit, no part needs to be picked.
  size_t candidate_count = 0;
  for (size_t g = 0; g < plans.size(); ++g) {
    GroupPlan& plan = plans[g];
    plan.floor_sum =
        floor_sum[4 * g] + floor_sum[4 * g + 1] + floor_sum[4 * g + 2] + floor_sum[4 * g + 3];
    const uint64_t leftover = plan.magnitude - plan.floor_sum;
    if (leftover == 0) continue;
    const uint32_t* counts = histogram.data() + plan.histogram_begin;
    uint64_t above = 0;
    size_t bucket = plan.buckets - 1;
    for (; above + counts[bucket] < leftover; --bucket) above += counts[bucket];
    const size_t wanted = static_cast<size_t>(leftover - above);
    if (wanted == counts[bucket]) {
      plan.unit_from = bucket;
      continue;
    }
    plan.unit_from = bucket + 1;
    plan.boundary = bucket;
    plan.wanted = wanted;
    plan.candidates_begin = candidate_count;
    candidate_count += counts[bucket];
  }
  // Pass 2: the boundary buckets' parts, and those that get a unit (in ascending k).
  std::vector<uint32_t> picked;
  if (candidate_count != 0) {
    std::vector<Candidate<Remainder>> candidates(candidate_count);
    std::vector<size_t> next(plans.size());
    for (size_t g = 0; g < plans.size(); ++g) next[g] = plans[g].candidates_begin;
    for (size_t k = 0; k < n; ++k) {
      const size_t g = parts.group(k);
      if (kept_bucket != nullptr && kept_bucket[k] != plans[g].boundary) continue;
      const Remainder remainder = share(k, g).remainder;
      if (remainder != 0 && static_cast<size_t>(remainder >> plans[g].shift) == plans[g].boundary) {
        candidates[next[g]++] = {remainder, parts.key(k), static_cast<uint32_t>(k)};
      }
    }
    for (const GroupPlan& plan : plans) {
      if (plan.boundary == kNoBucket) continue;
      const auto begin = candidates.begin() + static_cast<ptrdiff_t>(plan.candidates_begin);
      const auto end =
          begin + static_cast<ptrdiff_t>(histogram[plan.histogram_begin + plan.boundary]);
      const auto cut = begin + static_cast<ptrdiff_t>(plan.wanted);
      std::nth_element(begin, cut, end, FirstInLine<Remainder>);
      const auto last_picked = std::max_element(begin, cut, FirstInLine<Remainder>);
      if (!FirstInLine(*last_picked, *cut)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         absl::StrCat("parts ", std::min(last_picked->index, cut->index), " and ",
                                      std::max(last_picked->index, cut->index),
                                      " tie for a leftover unit with the same tie key ", cut->key,
                                      "; tie keys must be distinct"));
      }
      for (auto it = begin; it != cut; ++it) picked.push_back(it->index);
    }
    std::sort(picked.begin(), picked.end());
  }
  // Pass 3: the output, each part once.
  parts.StartWriting();
  size_t next_picked = 0;
  for (size_t k = 0; k < n; ++k) {
    const size_t g = parts.group(k);
    const GroupPlan& plan = plans[g];
    uint64_t floor;
    uint16_t bucket;
    if constexpr (Parts::kStagesFloors) {
      floor = parts.StagedFloor(k);
      bucket = kept_bucket[k];
    } else {
      const Share<Remainder> s = share(k, g);
      floor = s.floor;
      bucket = bucket_of(g, s.remainder);
    }
    // Up to half the parts get a unit, at random: add it without a branch.
    uint64_t unit = bucket != kZeroRemainder && bucket >= plan.unit_from ? 1 : 0;
    if (next_picked < picked.size() && picked[next_picked] == k) {
      unit = 1;
      ++next_picked;
    }
    parts.Write(k, ToPart(floor + unit, plan.sign_mask));
  }
  return absl::OkStatus();
}

}  // namespace split_detail

template <typename Parts>
absl::Status SplitGroups(std::span<const SplitGroup> groups, Parts& parts,
                         std::vector<uint16_t>* bucket_scratch = nullptr) {
  using split_detail::GroupPlan;
  std::vector<GroupPlan> plans(groups.size());
  bool wide = false;  // some total weight needs more than 64 bits
  for (size_t g = 0; g < groups.size(); ++g) {
    const SplitGroup& group = groups[g];
    GroupPlan& plan = plans[g];
    const int64_t amount = group.amount_minor;
    plan.magnitude = amount < 0 ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
    plan.sign_mask = amount < 0 ? ~uint64_t{0} : 0;
    // At most 2^11 buckets (8 KB, so that several groups' histograms stay in the L1 cache), about
    // 256 parts in each for a million parts; remainders < total weight.
    const int bucket_bits =
        std::clamp(static_cast<int>(std::bit_width(uint64_t{group.parts})) - 8, 4, 11);
    plan.buckets = size_t{1} << bucket_bits;
    if (group.total_weight != 0) {
      plan.shift = std::max(0, split_detail::BitWidth(group.total_weight - 1) - bucket_bits);
    }
    wide = wide || absl::Uint128High64(group.total_weight) != 0;
    if (!wide && group.total_weight != 0) {
      plan.divider = Divider(absl::Uint128Low64(group.total_weight));
    }
  }
  if (!wide) {
    auto share = [&plans, &parts](size_t k, size_t g) {
      const auto [floor, remainder] = plans[g].divider.DivMod(plans[g].magnitude, parts.weight(k));
      return split_detail::Share<uint64_t>{floor, remainder};
    };
    return split_detail::SplitShares<uint64_t>(plans, parts, share, bucket_scratch);
  }
  // 128-bit totals: divide once per part and keep the shares.
  std::vector<split_detail::Share<absl::uint128>> shares(parts.size());
  for (size_t k = 0; k < shares.size(); ++k) {
    const size_t g = parts.group(k);
    const absl::uint128 total = groups[g].total_weight;
    if (total == 0) {
      shares[k] = {0, 0};
      continue;
    }
    const absl::uint128 product = absl::uint128(plans[g].magnitude) * parts.weight(k);
    shares[k] = {absl::Uint128Low64(product / total), product % total};
  }
  auto share = [&shares](size_t k, size_t) { return shares[k]; };
  return split_detail::SplitShares<absl::uint128>(plans, parts, share, bucket_scratch);
}

}  // namespace upkeep::money_internal

#endif  // UPKEEP_MONEY_SPLIT_CORE_H_

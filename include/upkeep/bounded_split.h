// upkeep/bounded_split.h: split a total in proportion to bases, each part within its bounds.
//
// SplitWithinBounds finds the one level λ with
//     part_i = clamp(λ * base_i, floor_i, cap_i),   sum(part) == total
// and gives it in whole minor units, exactly: parts held at a floor or cap get exactly that
// bound (and `bound` says which), the others share what is left in proportion to their bases
// by a largest-remainder split with `tie_keys`, so every part stays within [floor_i, cap_i].
// A part with a zero base cannot grow in proportion: it gets its floor. This is the engine's
// water-filling (the allocation policies' floors and caps use the same), open to hosts and to
// the feedback loop, which keeps each customer's next allocation within a band of its last.
//
//   std::vector<int64_t> parts;
//   std::vector<upkeep::SplitBound> bound;
//   upkeep::SplitWithinBounds(1000, {.base_minor = {100, 100, 800}, .floor_minor = {0, 0, 0},
//                                    .cap_minor = {1000, 1000, 500}, .tie_keys = {1, 2, 3}},
//                             parts, bound);  // parts {250, 250, 500}, bound[2] == kCap
//
// Errors (nothing is written): kInvalidArgument for spans of different sizes, a negative base,
// floor or total, a cap below its floor, or repeated tie keys where they decide a tie;
// kOverflow when the bases do not sum within int64; kInfeasible when the total lies outside
// [sum of floors, sum of caps] (zero-base parts count with their floor), saying by how much.
// Thread safety: a pure function.
#ifndef UPKEEP_BOUNDED_SPLIT_H_
#define UPKEEP_BOUNDED_SPLIT_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/status.h"

namespace upkeep {

enum class SplitBound : uint8_t { kNone = 0, kFloor = 1, kCap = 2 };

struct BoundedSplitInput {
  std::span<const int64_t> base_minor;
  std::span<const int64_t> floor_minor;
  std::span<const int64_t> cap_minor;
  std::span<const uint64_t> tie_keys;
};

absl::Status SplitWithinBounds(int64_t total_minor, const BoundedSplitInput& input,
                               std::vector<int64_t>& parts_minor, std::vector<SplitBound>& bound);

}  // namespace upkeep

#endif  // UPKEEP_BOUNDED_SPLIT_H_

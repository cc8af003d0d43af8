// allocation/water_fill.h: exact floors and caps by water-filling (internal).
//
// Given items with base amounts a_i >= 0 (what a rule gave them), floors lo_i and caps hi_i, and a
// total T with sum(lo) <= T <= sum(effective hi), WaterFill finds the one level λ with
//     x_i = clamp(λ * a_i, lo_i, hi_i),   sum(x) == T
// and returns it in whole minor units: items held at a floor or cap get exactly that bound; the
// rest share what is left in proportion to their bases by Split (largest remainder, tie keys),
// which keeps each of them within [lo_i, hi_i] because λ*a_i lies there and the bounds are whole.
// So what a cap cuts goes to the others in proportion, and what a floor needs comes from them.
// An item with a zero base cannot grow in proportion: it gets its floor (see EffectiveCap).
//
// Method: variable fixing. Each pass computes λ = remaining / sum(free bases) exactly, finds the
// items above their cap (E = total excess) and below their floor (F = total deficit) at λ, and
// fixes the caps if E >= F (the true λ is then no lower, so they stay capped) and the floors if
// E <= F. All comparisons are exact 128-bit cross products; there is no floating point. A pass
// fixes at least one item; real portfolios settle in a few. The pass that fixes items also
// classifies the items it keeps at the next level (known from the totals before the pass), so
// each level costs one scan of the still-free items.
//
// FillFree runs those passes and the final split over the free items of any layout, through an
// accessor (the caps step keeps each tier's free customers side by side in a reused workspace);
// WaterFill is the same over plain spans.
//
// Thread safety: pure functions.
#ifndef UPKEEP_ALLOCATION_WATER_FILL_H_
#define UPKEEP_ALLOCATION_WATER_FILL_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "money/split_core.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {

enum class Bound : uint8_t { kNone = 0, kFloor = 1, kCap = 2 };

struct WaterFillInput {
  std::span<const int64_t> base_minor;   // >= 0, sum fits in int64
  std::span<const int64_t> floor_minor;  // >= 0
  std::span<const int64_t> cap_minor;    // >= floor
  std::span<const uint64_t> tie_keys;    // distinct
};

// The most an item can take: its cap, or its floor when its base is zero.
inline int64_t EffectiveCap(int64_t base_minor, int64_t floor_minor, int64_t cap_minor) {
  return base_minor == 0 ? floor_minor : cap_minor;
}

// What the items can hold together: [sum of floors, sum of effective caps], in 128 bits.
struct Capacity {
  absl::int128 floor_minor = 0;
  absl::int128 cap_minor = 0;
};
Capacity CapacityOf(const WaterFillInput& input);

// Fills `out_minor` (sum == total_minor) and `bound` (which items sit at a floor or cap).
// REQUIRES: spans of equal size; CapacityOf(input) contains total_minor.
absl::Status WaterFill(const WaterFillInput& input, int64_t total_minor,
                       std::span<int64_t> out_minor, std::span<Bound> bound);

// The passes over free entries [0, count) of `entries`, each with a base > 0 (items with a zero
// base are the caller's: they take their floor). `remaining_minor` is what they share (the total
// minus the zero-base items' floors), `base_minor` the sum of their bases. The accessor:
//
//   struct Entries {
//     static constexpr bool kConstantBounds;    // every entry has the same floor and cap
//     int64_t base(size_t k) const;
//     int64_t floor(size_t k) const;
//     int64_t cap(size_t k) const;
//     uint64_t key(size_t k) const;
//     void Move(size_t from, size_t to);        // entry `from` to position `to` (<= from)
//     void Hold(size_t k, bool held, Bound side);  // if `held`, the entry at k is held at `side`
//     void Share(size_t k, int64_t amount_minor);  // entry k's amount as a free entry
//     void KeepBases(size_t count);             // entries [0, count) keep their bases
//     std::vector<uint16_t>* split_scratch();   // for SplitGroups, or nullptr
//     static constexpr bool kStagesFloors;      // and if so (see SplitGroups, split_core.h):
//     void StageFloor(size_t k, uint64_t floor);
//     uint64_t StagedFloor(size_t k) const;
//   };
//
// A pass that fixes entries moves every entry it reads to the next free position and calls Hold
// for it there, held or not (so that neither needs a branch: which entries a pass fixes is
// random); an entry is held at most once, and then left behind. The entries still free at the
// end get their amounts by ShareFree. REQUIRES: what WaterFill requires.
template <typename Entries>
absl::Status FillFree(Entries& entries, size_t count, int64_t remaining_minor, int64_t base_minor);

// What a pass fixes, from its totals: the caps when E >= F, the floors when E <= F.
struct Fixing {
  bool caps;
  bool floors;
};

// The end of a water-fill: the free entries [0, count) share `remaining_minor` in proportion to
// their bases (`base_minor` in all) by Split, through Share; KeepBases when the level is 1.
// kInternal if nothing is free but something remains.
template <typename Entries>
absl::Status ShareFree(Entries& entries, size_t count, int64_t remaining_minor, int64_t base_minor);

// Implementation.

namespace water_fill_internal {

using absl::uint128;

// Where the free entries stand at one level, and the totals that decide what to fix.
struct PassTotals {
  int64_t over_base_minor = 0;    // bases of the entries above their cap
  int64_t over_cap_minor = 0;     // their caps (< remaining, as each cap < λ*base)
  int64_t under_base_minor = 0;   // bases of the entries below their floor
  int64_t under_floor_minor = 0;  // their floors (<= remaining)
  bool any() const { return over_base_minor != 0 || under_base_minor != 0; }
};

// What to fix after a pass with `totals` at remaining / base, and what is left to share then.
inline Fixing Decide(const PassTotals& totals, int64_t& remaining_minor, int64_t& base_minor) {
  // E - F has the sign of remaining*(over+under bases) - base*(over caps + under floors).
  const uint128 excess_side =
      uint128(static_cast<uint64_t>(remaining_minor)) *
      static_cast<uint64_t>(totals.over_base_minor + totals.under_base_minor);
  const uint128 bound_side =
      uint128(static_cast<uint64_t>(totals.over_cap_minor)) * static_cast<uint64_t>(base_minor) +
      uint128(static_cast<uint64_t>(totals.under_floor_minor)) * static_cast<uint64_t>(base_minor);
  const Fixing fixing{excess_side >= bound_side, excess_side <= bound_side};
  if (fixing.caps) {
    remaining_minor -= totals.over_cap_minor;
    base_minor -= totals.over_base_minor;
  }
  if (fixing.floors) {
    remaining_minor -= totals.under_floor_minor;
    base_minor -= totals.under_base_minor;
  }
  return fixing;
}

// The level λ = remaining / base as a fraction, and an entry's side of its bounds at it: λ*base
// against the bound, both times the denominator. With constant bounds those products are made
// once per level.
template <typename Entries>
class Level {
 public:
  Level(const Entries& e, int64_t remaining_minor, int64_t base_minor)
      : numerator_(static_cast<uint64_t>(remaining_minor)),
        denominator_(static_cast<uint64_t>(base_minor)) {
    if constexpr (Entries::kConstantBounds) {
      cap_times_denominator_ = uint128(static_cast<uint64_t>(e.cap(0))) * denominator_;
      floor_times_denominator_ = uint128(static_cast<uint64_t>(e.floor(0))) * denominator_;
    }
  }
  // Without a branch: entries fall on either side at random.
  Bound SideOf(const Entries& e, size_t k) const {
    const uint128 share = uint128(numerator_) * static_cast<uint64_t>(e.base(k));
    bool over, under;  // not both: floor <= cap
    if constexpr (Entries::kConstantBounds) {
      over = share > cap_times_denominator_;
      under = share < floor_times_denominator_;
    } else {
      over = share > uint128(static_cast<uint64_t>(e.cap(k))) * denominator_;
      under = share < uint128(static_cast<uint64_t>(e.floor(k))) * denominator_;
    }
    return static_cast<Bound>((over ? 2 : 0) + (under ? 1 : 0));  // kCap, kFloor or kNone
  }

 private:
  uint64_t numerator_;
  uint64_t denominator_;
  uint128 cap_times_denominator_ = 0;
  uint128 floor_times_denominator_ = 0;
};

// Adds entry k, at `side`, to the totals (kept in locals by the callers' loops), without a
// branch; nothing when `skip`.
template <typename Entries>
void Count(const Entries& e, size_t k, Bound side, bool skip, int64_t& over_base, int64_t& over_cap,
           int64_t& under_base, int64_t& under_floor) {
  const bool over = !skip && side == Bound::kCap;
  const bool under = !skip && side == Bound::kFloor;
  const int64_t base = e.base(k);
  over_base += over ? base : 0;
  over_cap += over ? e.cap(k) : 0;
  under_base += under ? base : 0;
  under_floor += under ? e.floor(k) : 0;
}

// The free entries as SplitGroups parts: one group, weighed by their bases.
template <typename Entries>
class FreeParts {
 public:
  static constexpr bool kStagesFloors = Entries::kStagesFloors;
  FreeParts(Entries& entries, size_t count) : entries_(entries), count_(count) {}
  size_t size() const { return count_; }
  size_t group(size_t) const { return 0; }
  uint64_t weight(size_t k) const { return static_cast<uint64_t>(entries_.base(k)); }
  uint64_t key(size_t k) const { return entries_.key(k); }
  void StartWriting() {}
  void Write(size_t k, int64_t part) { entries_.Share(k, part); }
  void StageFloor(size_t k, uint64_t floor) { entries_.StageFloor(k, floor); }
  uint64_t StagedFloor(size_t k) const { return entries_.StagedFloor(k); }

 private:
  Entries& entries_;
  size_t count_;
};

}  // namespace water_fill_internal

template <typename Entries>
absl::Status FillFree(Entries& entries, size_t count, int64_t remaining_minor, int64_t base_minor) {
  using Level = water_fill_internal::Level<Entries>;
  water_fill_internal::PassTotals totals;
  {
    const Level level(entries, remaining_minor, base_minor);
    int64_t over_base = 0, over_cap = 0, under_base = 0, under_floor = 0;
    for (size_t k = 0; k < count; ++k) {
      water_fill_internal::Count(entries, k, level.SideOf(entries, k), false, over_base, over_cap,
                                 under_base, under_floor);
    }
    totals = {over_base, over_cap, under_base, under_floor};
  }
  while (count != 0 && totals.any()) {
    const Level level(entries, remaining_minor, base_minor);
    const Fixing fixing = water_fill_internal::Decide(totals, remaining_minor, base_minor);
    // Fix at the old level; classify what stays at the new one.
    const Level next_level(entries, remaining_minor, base_minor);
    const bool fix[3] = {false, fixing.floors, fixing.caps};  // by Bound
    int64_t over_base = 0, over_cap = 0, under_base = 0, under_floor = 0;
    size_t kept = 0;
    for (size_t k = 0; k < count; ++k) {
      const Bound side = level.SideOf(entries, k);
      const bool held = fix[static_cast<size_t>(side)];
      entries.Move(k, kept);
      entries.Hold(kept, held, side);
      water_fill_internal::Count(entries, kept, next_level.SideOf(entries, kept), held, over_base,
                                 over_cap, under_base, under_floor);
      kept += held ? 0 : 1;
    }
    count = kept;
    totals = {over_base, over_cap, under_base, under_floor};
  }
  return ShareFree(entries, count, remaining_minor, base_minor);
}

template <typename Entries>
absl::Status ShareFree(Entries& entries, size_t count, int64_t remaining_minor,
                       int64_t base_minor) {
  if (count == 0) {
    if (remaining_minor == 0) return absl::OkStatus();
    return MakeError(ErrorCode::kInternal,
                     absl::StrCat("water-fill left ", remaining_minor, " unplaced"));
  }
  if (remaining_minor == base_minor) {  // λ == 1: every free entry keeps its base exactly
    entries.KeepBases(count);
    return absl::OkStatus();
  }
  const money_internal::SplitGroup group{remaining_minor,
                                         absl::uint128(static_cast<uint64_t>(base_minor)), count};
  water_fill_internal::FreeParts<Entries> parts(entries, count);
  return money_internal::SplitGroups(std::span(&group, 1), parts, entries.split_scratch());
}

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_WATER_FILL_H_

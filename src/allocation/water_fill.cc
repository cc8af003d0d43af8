#include "allocation/water_fill.h"

#include <cstddef>
#include <vector>

#include "absl/strings/str_cat.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

using absl::uint128;

// The still-free items and the money they share.
struct FreeSet {
  std::vector<uint32_t> items;
  int64_t remaining_minor = 0;  // what the free items share: T minus every fixed amount
  int64_t base_minor = 0;       // the sum of their bases (> 0 while any is free)
};

// Where each free item stands at the current level, and the totals that decide what to fix.
struct PassTotals {
  int64_t over_base_minor = 0;    // bases of the items above their cap
  int64_t over_cap_minor = 0;     // their caps (< remaining, as each cap < λ*base)
  int64_t under_base_minor = 0;   // bases of the items below their floor
  int64_t under_floor_minor = 0;  // their floors (<= remaining)
};

PassTotals Classify(const WaterFillInput& in, const FreeSet& free, std::vector<Bound>& side) {
  PassTotals totals;
  const uint128 level_num = uint128(static_cast<uint64_t>(free.remaining_minor));
  const uint128 level_den = uint128(static_cast<uint64_t>(free.base_minor));
  for (size_t k = 0; k < free.items.size(); ++k) {
    const uint32_t i = free.items[k];
    const int64_t base = in.base_minor[i];
    const uint128 share = level_num * static_cast<uint64_t>(base);  // λ*base, times level_den
    if (share > uint128(static_cast<uint64_t>(in.cap_minor[i])) * level_den) {
      side[k] = Bound::kCap;
      totals.over_base_minor += base;
      totals.over_cap_minor += in.cap_minor[i];
    } else if (share < uint128(static_cast<uint64_t>(in.floor_minor[i])) * level_den) {
      side[k] = Bound::kFloor;
      totals.under_base_minor += base;
      totals.under_floor_minor += in.floor_minor[i];
    } else {
      side[k] = Bound::kNone;
    }
  }
  return totals;
}

// Fixes the items on the chosen side(s) at their bound and drops them from the free set.
void Fix(const WaterFillInput& in, const std::vector<Bound>& side, bool caps, bool floors,
         FreeSet& free, std::span<int64_t> out, std::span<Bound> bound) {
  size_t kept = 0;
  for (size_t k = 0; k < free.items.size(); ++k) {
    const uint32_t i = free.items[k];
    const bool fix = (caps && side[k] == Bound::kCap) || (floors && side[k] == Bound::kFloor);
    if (!fix) {
      free.items[kept++] = i;
      continue;
    }
    out[i] = side[k] == Bound::kCap ? in.cap_minor[i] : in.floor_minor[i];
    bound[i] = side[k];
    free.remaining_minor -= out[i];
    free.base_minor -= in.base_minor[i];
  }
  free.items.resize(kept);
}

}  // namespace

Capacity CapacityOf(const WaterFillInput& input) {
  Capacity capacity;
  for (size_t i = 0; i < input.base_minor.size(); ++i) {
    capacity.floor_minor += input.floor_minor[i];
    capacity.cap_minor +=
        EffectiveCap(input.base_minor[i], input.floor_minor[i], input.cap_minor[i]);
  }
  return capacity;
}

absl::Status WaterFill(const WaterFillInput& in, int64_t total_minor, std::span<int64_t> out,
                       std::span<Bound> bound) {
  const size_t n = in.base_minor.size();
  FreeSet free;
  free.items.reserve(n);
  free.remaining_minor = total_minor;
  for (size_t i = 0; i < n; ++i) {
    bound[i] = Bound::kNone;
    if (in.base_minor[i] == 0) {
      out[i] = in.floor_minor[i];
      if (out[i] > 0) bound[i] = Bound::kFloor;
      free.remaining_minor -= out[i];
    } else {
      free.items.push_back(static_cast<uint32_t>(i));
      free.base_minor += in.base_minor[i];
    }
  }
  std::vector<Bound> side(free.items.size());
  while (!free.items.empty()) {
    const PassTotals t = Classify(in, free, side);
    if (t.over_base_minor == 0 && t.under_base_minor == 0) break;
    // E - F has the sign of remaining*(over+under bases) - base*(over caps + under floors).
    const uint128 excess_side = uint128(static_cast<uint64_t>(free.remaining_minor)) *
                                static_cast<uint64_t>(t.over_base_minor + t.under_base_minor);
    const uint128 bound_side =
        uint128(static_cast<uint64_t>(t.over_cap_minor)) * static_cast<uint64_t>(free.base_minor) +
        uint128(static_cast<uint64_t>(t.under_floor_minor)) *
            static_cast<uint64_t>(free.base_minor);
    Fix(in, side, excess_side >= bound_side, excess_side <= bound_side, free, out, bound);
  }
  if (free.items.empty()) {
    if (free.remaining_minor == 0) return absl::OkStatus();
    return MakeError(ErrorCode::kInternal,
                     absl::StrCat("water-fill left ", free.remaining_minor, " unplaced"));
  }
  std::vector<uint64_t> weights(free.items.size());
  std::vector<uint64_t> keys(free.items.size());
  for (size_t k = 0; k < free.items.size(); ++k) {
    weights[k] = static_cast<uint64_t>(in.base_minor[free.items[k]]);
    keys[k] = in.tie_keys[free.items[k]];
  }
  std::vector<int64_t> parts;
  if (absl::Status split = Split(free.remaining_minor, weights, keys, parts); !split.ok()) {
    return split;
  }
  for (size_t k = 0; k < free.items.size(); ++k) out[free.items[k]] = parts[k];
  return absl::OkStatus();
}

}  // namespace upkeep::allocation_internal

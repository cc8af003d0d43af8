#include "allocation/water_fill.h"

#include <cstddef>
#include <vector>

namespace upkeep::allocation_internal {
namespace {

// Free items as FillFree entries: their indices into the input spans, in a list that shrinks.
class SpanEntries {
 public:
  static constexpr bool kConstantBounds = false;
  static constexpr bool kStagesFloors = false;
  SpanEntries(const WaterFillInput& in, std::vector<uint32_t>& items, std::span<int64_t> out,
              std::span<Bound> bound)
      : in_(in), items_(items), out_(out), bound_(bound) {}
  int64_t base(size_t k) const { return in_.base_minor[items_[k]]; }
  int64_t floor(size_t k) const { return in_.floor_minor[items_[k]]; }
  int64_t cap(size_t k) const { return in_.cap_minor[items_[k]]; }
  uint64_t key(size_t k) const { return in_.tie_keys[items_[k]]; }
  void Move(size_t from, size_t to) { items_[to] = items_[from]; }
  void Hold(size_t k, bool held, Bound side) {
    if (!held) return;
    out_[items_[k]] = side == Bound::kCap ? cap(k) : floor(k);
    bound_[items_[k]] = side;
  }
  void Share(size_t k, int64_t amount_minor) { out_[items_[k]] = amount_minor; }
  void KeepBases(size_t count) {
    for (size_t k = 0; k < count; ++k) Share(k, base(k));
  }
  std::vector<uint16_t>* split_scratch() { return nullptr; }

 private:
  const WaterFillInput& in_;
  std::vector<uint32_t>& items_;
  std::span<int64_t> out_;
  std::span<Bound> bound_;
};

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
  std::vector<uint32_t> items;
  items.reserve(n);
  int64_t remaining = total_minor;
  int64_t base = 0;
  for (size_t i = 0; i < n; ++i) {
    bound[i] = Bound::kNone;
    if (in.base_minor[i] == 0) {
      out[i] = in.floor_minor[i];
      if (out[i] > 0) bound[i] = Bound::kFloor;
      remaining -= out[i];
    } else {
      items.push_back(static_cast<uint32_t>(i));
      base += in.base_minor[i];
    }
  }
  SpanEntries entries(in, items, out, bound);
  return FillFree(entries, items.size(), remaining, base);
}

}  // namespace upkeep::allocation_internal

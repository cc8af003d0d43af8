#include "allocation/bucket_fill.h"

#include <vector>

#include "absl/numeric/int128.h"

namespace upkeep::allocation_internal {
namespace {

using absl::uint128;

// A level remaining / base, and which bases it puts above the cap or below the floor:
// base * remaining against bound * base-sum, exactly, as FillFree compares them.
class Cut {
 public:
  Cut(const BucketedBases& bases, int64_t remaining_minor, int64_t base_minor)
      : numerator_(static_cast<uint64_t>(remaining_minor)),
        cap_times_denominator_(uint128(static_cast<uint64_t>(bases.cap_minor)) *
                               static_cast<uint64_t>(base_minor)),
        floor_times_denominator_(uint128(static_cast<uint64_t>(bases.floor_minor)) *
                                 static_cast<uint64_t>(base_minor)) {}
  bool Over(int64_t base) const {
    return uint128(numerator_) * static_cast<uint64_t>(base) > cap_times_denominator_;
  }
  bool Under(int64_t base) const {
    return uint128(numerator_) * static_cast<uint64_t>(base) < floor_times_denominator_;
  }

 private:
  uint64_t numerator_;
  uint128 cap_times_denominator_;
  uint128 floor_times_denominator_;
};

// The free customers beyond a cut on one side: how many and their bases' sum.
struct Beyond {
  int64_t count = 0;
  int64_t base_minor = 0;
};

// The buckets and what is still free in each.
class Buckets {
 public:
  Buckets(const BucketedBases& bases, std::span<uint8_t> mark, std::span<Bound> fate)
      : bases_(bases), mark_(mark), fate_(fate), free_(kBaseBuckets), free_base_(kBaseBuckets) {
    for (size_t b = 0; b < kBaseBuckets; ++b) {
      free_[b] = bases.offset[b + 1] - bases.offset[b];
      free_base_[b] = bases.bucket_base_minor[b];
    }
  }

  // The free customers above their cap (side kCap, from the top bucket down) or below their
  // floor (kFloor, from the bottom up) at `cut`; with `fix`, they are held there.
  Beyond Find(const Cut& cut, Bound side, bool fix) {
    Beyond beyond;
    const bool up = side == Bound::kFloor;
    for (size_t step = 0; step < kBaseBuckets; ++step) {
      const size_t b = up ? step : kBaseBuckets - 1 - step;
      // The bucket's bases farthest beyond the cut and least far.
      const int64_t most = up ? BucketLow(b) : BucketHigh(b);
      const int64_t least = up ? BucketHigh(b) : BucketLow(b);
      if (!IsBeyond(cut, side, most)) break;  // nor any bucket after it
      if (free_[b] == 0) continue;
      if (IsBeyond(cut, side, least)) {  // the whole bucket
        beyond.count += free_[b];
        beyond.base_minor += free_base_[b];
        if (fix) {
          fate_[b] = side;
          free_[b] = 0;
          free_base_[b] = 0;
        }
        continue;
      }
      for (size_t k = bases_.offset[b]; k < bases_.offset[b + 1]; ++k) {  // the cut bucket
        const int64_t base = bases_.base_minor[k];
        uint8_t& mark = mark_[bases_.index[k]];
        if (mark != kMarkFree || !IsBeyond(cut, side, base)) continue;
        ++beyond.count;
        beyond.base_minor += base;
        if (fix) {
          mark = static_cast<uint8_t>(side);
          --free_[b];
          free_base_[b] -= base;
        }
      }
    }
    return beyond;
  }

  // Where a pass stands at `cut`.
  water_fill_internal::PassTotals Totals(const Cut& cut) {
    const Beyond over = Find(cut, Bound::kCap, false);
    const Beyond under = Find(cut, Bound::kFloor, false);
    // Each sum of bounds is below what is left to share (see PassTotals): int64 holds it.
    return {over.base_minor, static_cast<int64_t>(absl::int128(over.count) * bases_.cap_minor),
            under.base_minor, static_cast<int64_t>(absl::int128(under.count) * bases_.floor_minor)};
  }

  // Moves the free customers to the front, in bucket order; how many there are.
  size_t Compact() {
    size_t count = 0;
    for (size_t b = 0; b < kBaseBuckets; ++b) {
      if (free_[b] == 0) continue;
      const bool whole = free_[b] == bases_.offset[b + 1] - bases_.offset[b];
      for (size_t k = bases_.offset[b]; k < bases_.offset[b + 1]; ++k) {
        if (!whole && mark_[bases_.index[k]] != kMarkFree) continue;
        bases_.base_minor[count] = bases_.base_minor[k];
        bases_.index[count] = bases_.index[k];
        ++count;
      }
    }
    return count;
  }

 private:
  static bool IsBeyond(const Cut& cut, Bound side, int64_t base) {
    return side == Bound::kCap ? cut.Over(base) : cut.Under(base);
  }

  const BucketedBases& bases_;
  std::span<uint8_t> mark_;
  std::span<Bound> fate_;
  std::vector<uint32_t> free_;      // per bucket, its customers still free
  std::vector<int64_t> free_base_;  // and their bases' sum
};

}  // namespace

FreeAfterFill BucketFill(const BucketedBases& bases, int64_t remaining_minor, int64_t base_minor,
                         std::span<uint8_t> mark, std::span<Bound> fate) {
  Buckets buckets(bases, mark, fate);
  size_t count = bases.offset[kBaseBuckets];
  water_fill_internal::PassTotals totals = buckets.Totals(Cut(bases, remaining_minor, base_minor));
  while (count != 0 && totals.any()) {
    const Cut cut(bases, remaining_minor, base_minor);
    const Fixing fixing = water_fill_internal::Decide(totals, remaining_minor, base_minor);
    if (fixing.caps) count -= static_cast<size_t>(buckets.Find(cut, Bound::kCap, true).count);
    if (fixing.floors) count -= static_cast<size_t>(buckets.Find(cut, Bound::kFloor, true).count);
    totals = buckets.Totals(Cut(bases, remaining_minor, base_minor));
  }
  return {buckets.Compact(), remaining_minor, base_minor};
}

}  // namespace upkeep::allocation_internal

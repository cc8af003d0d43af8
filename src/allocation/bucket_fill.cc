#include "allocation/bucket_fill.h"

#include <vector>

#include "absl/numeric/int128.h"

namespace upkeep::allocation_internal {
namespace {

using absl::uint128;
using water_fill_internal::PassTotals;

// How many buckets on either side of a cut bucket a scan collects with it.
constexpr size_t kCollectReach = 4;

// A level remaining / base, and which bases it puts above the cap or below the floor:
// base * remaining against bound * base-sum, exactly, as FillFree compares them.
class Cut {
 public:
  Cut(const GroupFill& fill, int64_t floor_minor, int64_t cap_minor)
      : numerator_(static_cast<uint64_t>(fill.remaining_minor)),
        cap_times_denominator_(uint128(static_cast<uint64_t>(cap_minor)) *
                               static_cast<uint64_t>(fill.base_minor)),
        floor_times_denominator_(uint128(static_cast<uint64_t>(floor_minor)) *
                                 static_cast<uint64_t>(fill.base_minor)) {}
  bool Beyond(Bound side, int64_t base) const {
    const uint128 share = uint128(numerator_) * static_cast<uint64_t>(base);
    return side == Bound::kCap ? share > cap_times_denominator_ : share < floor_times_denominator_;
  }

 private:
  uint64_t numerator_;
  uint128 cap_times_denominator_;
  uint128 floor_times_denominator_;
};

// Free customers beyond a cut on one side: how many and their bases' sum.
struct Beyond {
  int64_t count = 0;
  int64_t base_minor = 0;
};

// One group during its passes: the buckets and what is still free in each, and at the current
// level the buckets wholly beyond it and the one it cuts, per side.
class GroupPasses {
 public:
  GroupPasses(const BucketedGroups& groups, size_t g, GroupFill& fill, std::span<uint8_t> mark,
              std::span<Bound> fate)
      : fill_(fill),
        floor_(groups.floor_minor[g]),
        cap_(groups.cap_minor[g]),
        mark_(mark),
        fate_(fate.subspan(g * kBaseBuckets, kBaseBuckets)),
        free_(groups.bucket_count.begin() + static_cast<ptrdiff_t>(g * kBaseBuckets),
              groups.bucket_count.begin() + static_cast<ptrdiff_t>((g + 1) * kBaseBuckets)),
        free_base_(
            groups.bucket_base_minor.begin() + static_cast<ptrdiff_t>(g * kBaseBuckets),
            groups.bucket_base_minor.begin() + static_cast<ptrdiff_t>((g + 1) * kBaseBuckets)),
        cut_(fill, floor_, cap_) {}

  bool done() const { return done_; }

  // Looks at the level from the buckets' sums; the customers of the cut buckets, which the
  // caller collects (those still free), come to Settle.
  void Start() {
    cut_ = Cut(fill_, floor_, cap_);
    for (Bound side : {Bound::kCap, Bound::kFloor}) {
      Side& s = side_[SideIndex(side)];
      s = Side{};
      const bool up = side == Bound::kFloor;
      for (size_t step = 0; step < kBaseBuckets; ++step) {
        const size_t b = up ? step : kBaseBuckets - 1 - step;
        // The bucket's bases farthest beyond the cut and least far.
        if (!cut_.Beyond(side, up ? BucketLow(b) : BucketHigh(b))) break;  // nor any after it
        if (free_[b] == 0) continue;
        if (!cut_.Beyond(side, up ? BucketHigh(b) : BucketLow(b))) {
          s.cut_bucket = b;  // the next bucket is not beyond at all
          break;
        }
        s.whole.count += free_[b];
        s.whole.base_minor += free_base_[b];
      }
    }
  }
  // The bucket the cut on `side` leaves partly beyond, if any (kNoBucket).
  size_t cut_bucket(Bound side) const { return side_[SideIndex(side)].cut_bucket; }

  // With the customers of the cut buckets (`members`, from the caller's scans; those still
  // free count): the pass's totals, then what it fixes, and the next level; done when it fixes
  // nothing.
  void Settle(std::span<const std::vector<uint32_t>> members, const BucketedGroups& groups) {
    for (Bound side : {Bound::kCap, Bound::kFloor}) {
      Side& s = side_[SideIndex(side)];
      if (s.cut_bucket == kNoBucket) continue;
      for (uint32_t i : members[s.cut_bucket]) {
        const int64_t base = groups.base_minor[i];
        if (mark_[i] != kMarkFree || !cut_.Beyond(side, base)) continue;
        ++s.part.count;
        s.part.base_minor += base;
        s.beyond.push_back(i);
      }
    }
    const Side& over = side_[SideIndex(Bound::kCap)];
    const Side& under = side_[SideIndex(Bound::kFloor)];
    const int64_t over_count = over.whole.count + over.part.count;
    const int64_t under_count = under.whole.count + under.part.count;
    // Each sum of bounds is below what is left to share (see PassTotals): int64 holds it.
    const PassTotals totals{over.whole.base_minor + over.part.base_minor,
                            static_cast<int64_t>(absl::int128(over_count) * cap_),
                            under.whole.base_minor + under.part.base_minor,
                            static_cast<int64_t>(absl::int128(under_count) * floor_)};
    if (!totals.any()) {
      done_ = true;
      return;
    }
    const Fixing fixing =
        water_fill_internal::Decide(totals, fill_.remaining_minor, fill_.base_minor);
    if (fixing.caps) Fix(Bound::kCap, groups);
    if (fixing.floors) Fix(Bound::kFloor, groups);
  }

 private:
  struct Side {
    Beyond whole;                   // the free customers of the buckets wholly beyond
    size_t cut_bucket = kNoBucket;  // the bucket the cut goes through
    Beyond part;                    // its free customers beyond
    std::vector<uint32_t> beyond;   // who they are
  };
  static size_t SideIndex(Bound side) { return side == Bound::kCap ? 0 : 1; }

  // Holds the free customers beyond the cut on `side`: whole buckets by their fate, the cut
  // bucket's one by one.
  void Fix(Bound side, const BucketedGroups& groups) {
    const bool up = side == Bound::kFloor;
    for (size_t step = 0; step < kBaseBuckets; ++step) {
      const size_t b = up ? step : kBaseBuckets - 1 - step;
      if (b == side_[SideIndex(side)].cut_bucket ||
          !cut_.Beyond(side, up ? BucketLow(b) : BucketHigh(b))) {
        break;
      }
      if (free_[b] == 0) continue;
      fate_[b] = side;
      free_[b] = 0;
      free_base_[b] = 0;
    }
    const size_t cut = side_[SideIndex(side)].cut_bucket;
    for (uint32_t i : side_[SideIndex(side)].beyond) {
      mark_[i] = static_cast<uint8_t>(side);
      --free_[cut];
      free_base_[cut] -= groups.base_minor[i];
    }
  }

  GroupFill& fill_;
  int64_t floor_;
  int64_t cap_;
  std::span<uint8_t> mark_;
  std::span<Bound> fate_;
  std::vector<uint32_t> free_;      // per bucket, its customers still free
  std::vector<int64_t> free_base_;  // and their bases' sum
  Cut cut_;
  Side side_[2];
  bool done_ = false;
};

}  // namespace

void BucketFill(const BucketedGroups& groups, std::span<GroupFill> fill, std::span<uint8_t> mark,
                std::span<Bound> fate) {
  const size_t group_count = fill.size();
  std::vector<GroupPasses> passes;
  passes.reserve(group_count);
  for (size_t g = 0; g < group_count; ++g) passes.emplace_back(groups, g, fill[g], mark, fate);
  // Per group and bucket: its customers once a scan collected them, whether one did, and
  // whether the next scan should.
  std::vector<std::vector<uint32_t>> members(group_count * kBaseBuckets);
  std::vector<uint8_t> collected(group_count * kBaseBuckets, 0);
  std::vector<uint8_t> wanted(group_count * kBaseBuckets, 0);
  std::vector<uint32_t> found;  // a scan's finds
  while (true) {
    bool any = false, scan = false;
    for (size_t g = 0; g < group_count; ++g) {
      if (passes[g].done()) continue;
      any = true;
      passes[g].Start();
      for (Bound side : {Bound::kCap, Bound::kFloor}) {
        const size_t b = passes[g].cut_bucket(side);
        if (b == kNoBucket || collected[g * kBaseBuckets + b] != 0) continue;
        // The next levels' cuts fall near this one: collect the buckets around it too.
        const size_t low = b - std::min(b, kCollectReach);
        const size_t high = std::min(kBaseBuckets - 1, b + kCollectReach);
        for (size_t near = low; near <= high; ++near) {
          if (collected[g * kBaseBuckets + near] != 0) continue;
          collected[g * kBaseBuckets + near] = 1;
          wanted[g * kBaseBuckets + near] = 1;
        }
        scan = true;
      }
    }
    if (!any) return;
    if (scan) {  // one look at every customer's bucket, for all groups
      // Which customers are wanted, listed without a branch (they come at random), then each
      // to its bucket's members.
      const uint16_t* bucket = groups.bucket.data();
      const TierIndex* group = groups.group.data();
      const uint8_t* want = wanted.data();
      const size_t n = groups.bucket.size();
      found.resize(n + 1);
      size_t count = 0;
      for (size_t i = 0; i < n; ++i) {
        const size_t b = bucket[i];
        const size_t slot = group[i] * kBaseBuckets + (b == kNoBucket ? 0 : b);
        found[count] = static_cast<uint32_t>(i);
        count += b != kNoBucket && want[slot] != 0 ? 1 : 0;
      }
      for (size_t k = 0; k < count; ++k) {
        const uint32_t i = found[k];
        members[group[i] * kBaseBuckets + bucket[i]].push_back(i);
      }
      std::fill(wanted.begin(), wanted.end(), 0);
    }
    for (size_t g = 0; g < group_count; ++g) {
      if (passes[g].done()) continue;
      passes[g].Settle(std::span(members).subspan(g * kBaseBuckets, kBaseBuckets), groups);
    }
  }
}

}  // namespace upkeep::allocation_internal

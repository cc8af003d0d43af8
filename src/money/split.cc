// Split: largest-remainder division of an amount by integer weights, exact and O(n).
//
// For the magnitude m = |amount| and total weight W, part i gets floor(m * w_i / W) and the
// leftover L = m - sum(floors) < n units go one each to the L largest remainders, ties broken by
// ascending tie key. There are always more than L non-zero remainders.
//
// Selecting the L largest is a radix step plus a small std::nth_element, in three passes over
// the parts: (1) sum the floors and histogram the remainders' top bits; the bucket holding the
// L-th largest remainder is found from the top; (2) gather that boundary bucket's parts and let
// std::nth_element pick the ones that get a unit, checking that the last selected and the first
// unselected differ in (remainder, key): if not, the result would depend on input order, so it
// is an error instead; (3) write the output: floor, plus one above the boundary bucket or when
// selected in it. Only pass 3 touches the output, so an error leaves it as it was, and the
// caller's vector is reused. Shares are recomputed per pass when they are 64-bit (two
// multiplications, see InvariantDivisor) and computed once and kept when they need 128 bits.
#include "upkeep/split.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

constexpr size_t kMaxParts = std::numeric_limits<uint32_t>::max();

int BitWidth(uint64_t value) { return static_cast<int>(std::bit_width(value)); }
int BitWidth(absl::uint128 value) {
  const uint64_t high = absl::Uint128High64(value);
  return high != 0 ? 64 + BitWidth(high) : BitWidth(absl::Uint128Low64(value));
}

// x / divisor and x % divisor for many x and one divisor, without a division instruction per x:
// q = high64(x * floor((2^64 - 1) / divisor)) is at most two below the quotient.
class InvariantDivisor {
 public:
  explicit InvariantDivisor(uint64_t divisor)
      : divisor_(divisor), reciprocal_(std::numeric_limits<uint64_t>::max() / divisor) {}
  std::pair<uint64_t, uint64_t> DivMod(uint64_t x) const {
    uint64_t quotient = absl::Uint128High64(absl::uint128(x) * reciprocal_);
    uint64_t remainder = x - quotient * divisor_;
    // Exactly two correction steps, without branches: the estimate is off by 0, 1 or 2 at random.
    for (int step = 0; step < 2; ++step) {
      const bool over = remainder >= divisor_;
      quotient += over ? 1 : 0;
      remainder -= over ? divisor_ : 0;
    }
    return {quotient, remainder};
  }

 private:
  uint64_t divisor_;
  uint64_t reciprocal_;
};

// A part in the boundary bucket, which may or may not receive a leftover unit. Remainder is
// uint64_t when the total weight fits in 64 bits and absl::uint128 otherwise.
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

// One part's share of the magnitude: floor(magnitude * weight / total) and the remainder.
template <typename Remainder>
struct Share {
  uint64_t floor;
  Remainder remainder;
};

// Splits `magnitude` by the shares `share(i)` for i < n into `parts_minor`, negated when
// `negative`. Writes the output only once nothing can fail. REQUIRES: total_weight > 0.
template <typename Remainder, typename ShareFn>
absl::Status SplitMagnitude(uint64_t magnitude, bool negative, Remainder total_weight,
                            std::span<const uint64_t> tie_keys, ShareFn share,
                            std::vector<int64_t>& parts_minor) {
  const size_t n = tie_keys.size();
  // About four parts per bucket, within [2^4, 2^14] buckets; remainders < total_weight.
  const int bucket_bits = std::clamp(BitWidth(uint64_t{n}) - 2, 4, 14);
  const int shift = std::max(0, BitWidth(total_weight - 1) - bucket_bits);
  auto bucket_of = [shift](Remainder remainder) { return static_cast<size_t>(remainder >> shift); };

  // Pass 1: the leftover, and how many non-zero remainders fall in each bucket.
  std::vector<uint32_t> histogram(size_t{1} << bucket_bits, 0);
  uint64_t floor_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const Share<Remainder> s = share(i);
    floor_sum += s.floor;
    histogram[bucket_of(s.remainder)] += s.remainder != 0 ? 1u : 0u;
  }
  const uint64_t leftover = magnitude - floor_sum;

  // The boundary bucket: buckets above it hold fewer than `leftover` candidates, with it enough.
  // With no leftover, a boundary above every bucket.
  size_t boundary = histogram.size();
  size_t wanted = 0;
  std::vector<Candidate<Remainder>> candidates;
  if (leftover != 0) {
    uint64_t above = 0;
    for (boundary = histogram.size() - 1; above + histogram[boundary] < leftover; --boundary) {
      above += histogram[boundary];
    }
    wanted = static_cast<size_t>(leftover - above);
    // Pass 2: the boundary bucket's candidates, of which `wanted` get a unit.
    candidates.reserve(histogram[boundary]);
    for (size_t i = 0; i < n; ++i) {
      const Remainder remainder = share(i).remainder;
      if (remainder != 0 && bucket_of(remainder) == boundary) {
        candidates.push_back({remainder, tie_keys[i], static_cast<uint32_t>(i)});
      }
    }
  }
  // With every boundary candidate selected, the next in line sits in a lower bucket with a
  // strictly smaller remainder: no tie to check.
  if (wanted < candidates.size()) {
    const auto cut = candidates.begin() + static_cast<ptrdiff_t>(wanted);
    std::nth_element(candidates.begin(), cut, candidates.end(), FirstInLine<Remainder>);
    const auto last_selected = std::max_element(candidates.begin(), cut, FirstInLine<Remainder>);
    if (!FirstInLine(*last_selected, *cut)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("parts ", std::min(last_selected->index, cut->index), " and ",
                                    std::max(last_selected->index, cut->index),
                                    " tie for a leftover unit with the same tie key ", cut->key,
                                    "; tie keys must be distinct"));
    }
  }

  // Pass 3: the output. Parts are magnitudes up to 2^63 (for INT64_MIN); unsigned arithmetic
  // and one final conversion keep every step defined. The mirror image of a negative amount
  // fits because each magnitude is at most |amount|.
  const uint64_t sign_mask = negative ? ~uint64_t{0} : 0;  // x ^ mask - mask negates when set
  auto to_part = [sign_mask](uint64_t part_magnitude) {
    return static_cast<int64_t>((part_magnitude ^ sign_mask) - sign_mask);
  };
  parts_minor.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Share<Remainder> s = share(i);
    // Up to half the parts are above the boundary, at random: add without a branch.
    const uint64_t unit = s.remainder != 0 && bucket_of(s.remainder) > boundary ? 1 : 0;
    parts_minor[i] = to_part(s.floor + unit);
  }
  for (size_t k = 0; k < wanted; ++k) {
    const uint32_t i = candidates[k].index;
    parts_minor[i] = to_part(share(i).floor + 1);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Split(int64_t amount_minor, std::span<const uint64_t> weights,
                   std::span<const uint64_t> tie_keys, std::vector<int64_t>& parts_minor) {
  if (weights.size() != tie_keys.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("split: ", weights.size(), " weights but ", tie_keys.size(),
                                  " tie keys; they must pair up"));
  }
  if (weights.size() > kMaxParts) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("split: ", weights.size(), " parts; at most ", kMaxParts));
  }
  absl::uint128 total_weight = 0;
  uint64_t max_weight = 0;
  for (uint64_t weight : weights) {
    total_weight += weight;
    max_weight = std::max(max_weight, weight);
  }
  if (total_weight == 0 && amount_minor != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("cannot split ", amount_minor, " minor units over ",
                                  weights.size(), " parts whose weights are all zero"));
  }
  const uint64_t magnitude = amount_minor < 0 ? 0 - static_cast<uint64_t>(amount_minor)
                                              : static_cast<uint64_t>(amount_minor);
  const bool negative = amount_minor < 0;
  if (magnitude == 0) {
    parts_minor.assign(weights.size(), 0);
    return absl::OkStatus();
  }
  if (absl::Uint128High64(total_weight) == 0 &&
      max_weight <= std::numeric_limits<uint64_t>::max() / magnitude) {
    // The fast path: every product magnitude * weight fits in 64 bits, and a share costs two
    // multiplications, so the passes recompute shares instead of storing them.
    const uint64_t total = absl::Uint128Low64(total_weight);
    const InvariantDivisor divisor(total);
    auto share = [magnitude, &divisor, weights](size_t i) {
      const auto [floor, remainder] = divisor.DivMod(magnitude * weights[i]);
      return Share<uint64_t>{floor, remainder};
    };
    return SplitMagnitude<uint64_t>(magnitude, negative, total, tie_keys, share, parts_minor);
  }
  // 128-bit products: divide once per part and keep the shares.
  std::vector<Share<absl::uint128>> shares(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) {
    const absl::uint128 product = absl::uint128(magnitude) * weights[i];
    shares[i] = {absl::Uint128Low64(product / total_weight), product % total_weight};
  }
  auto share = [&shares](size_t i) { return shares[i]; };
  return SplitMagnitude<absl::uint128>(magnitude, negative, total_weight, tie_keys, share,
                                       parts_minor);
}

}  // namespace upkeep

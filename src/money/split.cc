// Split: largest-remainder division of an amount by integer weights, exact and O(n).
//
// For the magnitude m = |amount| and total weight W, part i gets floor(m * w_i / W) and the
// leftover L = m - sum(floors) < n units go one each to the L largest remainders, ties broken by
// ascending tie key. The selection is std::nth_element over the parts with a non-zero remainder
// (there are always more than L of them), then one scan of the selected side checks that no
// selected and unselected candidate are equal in (remainder, key): that would make the result
// depend on input order, so it is an error instead.
#include "upkeep/split.h"

#include <algorithm>
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

// A part that may receive one leftover unit. Remainder is uint64_t when the total weight fits
// in 64 bits and absl::uint128 otherwise.
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

// Parts are computed as magnitudes up to 2^63 (for INT64_MIN), kept in int64 storage as the
// same bits; only unsigned arithmetic touches them until the sign is applied at the end.
int64_t FromMagnitudeBits(uint64_t magnitude) { return static_cast<int64_t>(magnitude); }
uint64_t ToMagnitudeBits(int64_t part) { return static_cast<uint64_t>(part); }

// Floors of the exact shares into `parts` (as magnitudes), candidates for the leftover, and the
// sum of the floors. `share(weight)` returns {floor, remainder} of magnitude * weight / total.
template <typename Remainder, typename ShareFn>
uint64_t ComputeFloors(std::span<const uint64_t> weights, std::span<const uint64_t> tie_keys,
                       ShareFn share, std::vector<int64_t>& parts,
                       std::vector<Candidate<Remainder>>& candidates) {
  uint64_t floor_sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const auto [floor, remainder] = share(weights[i]);
    parts[i] = FromMagnitudeBits(floor);
    floor_sum += floor;
    if (remainder != 0) {
      candidates.push_back({remainder, tie_keys[i], static_cast<uint32_t>(i)});
    }
  }
  return floor_sum;
}

// Gives one unit to each of the first `leftover` candidates in line.
// REQUIRES: leftover < candidates.size().
template <typename Remainder>
absl::Status DistributeLeftover(uint64_t leftover, std::vector<Candidate<Remainder>>& candidates,
                                std::vector<int64_t>& parts) {
  if (leftover == 0) return absl::OkStatus();
  const auto boundary = candidates.begin() + static_cast<ptrdiff_t>(leftover);
  std::nth_element(candidates.begin(), boundary, candidates.end(), FirstInLine<Remainder>);
  const auto last_selected = std::max_element(candidates.begin(), boundary, FirstInLine<Remainder>);
  if (!FirstInLine(*last_selected, *boundary)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("parts ", std::min(last_selected->index, boundary->index),
                                  " and ", std::max(last_selected->index, boundary->index),
                                  " tie for a leftover unit with the same tie key ", boundary->key,
                                  "; tie keys must be distinct"));
  }
  for (auto it = candidates.begin(); it != boundary; ++it) {
    parts[it->index] = FromMagnitudeBits(ToMagnitudeBits(parts[it->index]) + 1);
  }
  return absl::OkStatus();
}

template <typename Remainder, typename ShareFn>
absl::Status SplitMagnitude(uint64_t magnitude, std::span<const uint64_t> weights,
                            std::span<const uint64_t> tie_keys, ShareFn share,
                            std::vector<int64_t>& parts) {
  std::vector<Candidate<Remainder>> candidates;
  candidates.reserve(weights.size());
  const uint64_t floor_sum = ComputeFloors(weights, tie_keys, share, parts, candidates);
  return DistributeLeftover(magnitude - floor_sum, candidates, parts);
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
  std::vector<int64_t> parts(weights.size(), 0);
  if (magnitude != 0) {
    absl::Status status;
    const bool fits_64 = absl::Uint128High64(total_weight) == 0 &&
                         max_weight <= std::numeric_limits<uint64_t>::max() / magnitude;
    if (fits_64) {
      const uint64_t total = absl::Uint128Low64(total_weight);
      auto share = [magnitude, total](uint64_t weight) {
        const uint64_t product = magnitude * weight;
        return std::pair<uint64_t, uint64_t>(product / total, product % total);
      };
      status = SplitMagnitude<uint64_t>(magnitude, weights, tie_keys, share, parts);
    } else {
      auto share = [magnitude, total_weight](uint64_t weight) {
        const absl::uint128 product = absl::uint128(magnitude) * weight;
        return std::pair<uint64_t, absl::uint128>(absl::Uint128Low64(product / total_weight),
                                                  product % total_weight);
      };
      status = SplitMagnitude<absl::uint128>(magnitude, weights, tie_keys, share, parts);
    }
    if (!status.ok()) return status;
  }
  // A negative amount is the mirror image: each magnitude is at most |amount_minor|, so its
  // negation fits.
  if (amount_minor < 0) {
    for (int64_t& part : parts) part = FromMagnitudeBits(0 - ToMagnitudeBits(part));
  }
  parts_minor = std::move(parts);
  return absl::OkStatus();
}

}  // namespace upkeep

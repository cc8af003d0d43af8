// upkeep/split.h: exact division of an amount into parts by ratios (largest remainder).
//
// Split(amount, weights, tie_keys) returns parts with:
//   - sum(parts) == amount, always, to the minor unit;
//   - each part within one minor unit of its exact share amount * w_i / sum(w), on the side of
//     zero for the floor: part_i = trunc-toward-zero(exact_i) or that plus sign(amount);
//   - the leftover units going to the largest remainders, ties broken by ascending tie_key,
//     never by input position, so permuting the inputs (weights with their keys) permutes the
//     outputs;
//   - zero weight -> zero part; a negative amount splits as the mirror image of the positive one
//     (Split(-a) == -Split(a)).
// Keys must be distinct where they decide a tie; a tie between equal keys is kInvalidArgument.
// All weights zero with a non-zero amount is kInvalidArgument; weights must be >= 0 (uint64).
// Runs in O(n) time (a radix selection plus std::nth_element, not a sort). Scratch memory is a
// histogram of at most 8 KB and the parts in the selection's boundary bucket; when the total
// weight exceeds 64 bits, also 32 bytes per part. At most 2^32 - 1 parts (kInvalidArgument
// beyond).
//
//   std::vector<int64_t> parts;
//   upkeep::Split(100, {1, 1, 1}, {10, 20, 30}, parts);   // {34, 33, 33}
//
// Thread safety: pure functions.
#ifndef UPKEEP_SPLIT_H_
#define UPKEEP_SPLIT_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace upkeep {

// Splits `amount_minor` by integer `weights`. REQUIRES: weights.size() == tie_keys.size().
// On success `parts_minor` holds weights.size() values (its capacity is reused); on error it is
// left unchanged. kInvalidArgument when the sizes differ.
absl::Status Split(int64_t amount_minor, std::span<const uint64_t> weights,
                   std::span<const uint64_t> tie_keys, std::vector<int64_t>& parts_minor);

// Splits by decimal ratios given as text ("0.25", "33.3333", "2"). They are scaled to a common
// denominator exactly; kParse / kOverflow / kInvalidArgument (negative ratio) name the ratio.
absl::Status SplitByDecimalRatios(int64_t amount_minor, std::span<const std::string_view> ratios,
                                  std::span<const uint64_t> tie_keys,
                                  std::vector<int64_t>& parts_minor);

}  // namespace upkeep

#endif  // UPKEEP_SPLIT_H_

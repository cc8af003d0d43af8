// SplitByDecimalRatios: decimal ratios scaled exactly to integer weights, then Split.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "money/decimal_text.h"
#include "upkeep/money.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep {

absl::Status SplitByDecimalRatios(int64_t amount_minor, std::span<const std::string_view> ratios,
                                  std::span<const uint64_t> tie_keys,
                                  std::vector<int64_t>& parts_minor) {
  if (ratios.size() != tie_keys.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("split: ", ratios.size(), " ratios but ", tie_keys.size(),
                                  " tie keys; they must pair up"));
  }
  std::vector<Decimal> decimals;
  decimals.reserve(ratios.size());
  int32_t common_scale = 0;
  for (size_t i = 0; i < ratios.size(); ++i) {
    const std::string what = absl::StrCat("ratio ", i);
    absl::StatusOr<Decimal> parsed = money_internal::ParseDecimalNamed(ratios[i], what);
    if (!parsed.ok()) return parsed.status();
    if (parsed->mantissa < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat(what, " ", money_internal::QuoteForMessage(ratios[i]),
                                    " is negative; ratios must be zero or more"));
    }
    common_scale = std::max(common_scale, parsed->scale);
    decimals.push_back(*parsed);
  }
  // Every ratio as an integer count of 10^-common_scale.
  std::vector<uint64_t> weights(ratios.size());
  for (size_t i = 0; i < decimals.size(); ++i) {
    uint64_t weight = static_cast<uint64_t>(decimals[i].mantissa);
    for (int32_t s = decimals[i].scale; s < common_scale; ++s) {
      if (__builtin_mul_overflow(weight, uint64_t{10}, &weight)) {
        return MakeError(ErrorCode::kOverflow,
                         absl::StrCat("ratio ", i, " ", money_internal::QuoteForMessage(ratios[i]),
                                      " scaled to ", common_scale,
                                      " fraction digits (the most any ratio has) does not fit "
                                      "in 64 bits"));
      }
    }
    weights[i] = weight;
  }
  return Split(amount_minor, weights, tie_keys, parts_minor);
}

}  // namespace upkeep

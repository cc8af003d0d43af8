#include "categories.h"

#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/money.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

constexpr int32_t kShareScaleMax = 4;  // decimals of a share, in percent
constexpr int64_t kHundredPct = 100 * 10'000;

absl::Status ShareError(ErrorCode code, std::string_view item, std::string_view what) {
  return MakeError(code, absl::StrCat("categories: \"", AsAbsl(item), "\": ", AsAbsl(what)));
}

// `scaled` (1/10,000 of a percent) as the shortest decimal text: 900000 -> "90".
std::string PercentText(int64_t scaled) {
  std::string text = Decimal{scaled, kShareScaleMax}.ToString();
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

absl::StatusOr<std::vector<CategoryShare>> ParseCategoryShares(std::string_view text) {
  std::vector<CategoryShare> shares;
  std::set<std::string> seen;
  int64_t total = 0;  // in 1/10,000 of a percent
  for (absl::string_view item : absl::StrSplit(AsAbsl(text), ',')) {
    const std::string entry(item);
    const size_t equals = entry.find('=');
    if (equals == std::string::npos) {
      return ShareError(ErrorCode::kParse, entry, "expected name=percent");
    }
    CategoryShare share{entry.substr(0, equals), entry.substr(equals + 1)};
    if (share.category.empty()) return ShareError(ErrorCode::kInvalidArgument, entry, "no name");
    if (!seen.insert(share.category).second) {
      return ShareError(ErrorCode::kInvalidArgument, entry, "named twice");
    }
    absl::StatusOr<Decimal> pct = Decimal::Parse(share.share_pct);
    if (!pct.ok()) return ShareError(ErrorCodeOf(pct.status()), entry, "not a decimal percent");
    int64_t scaled = pct->mantissa;
    for (int32_t s = pct->scale; s < kShareScaleMax && scaled <= kHundredPct; ++s) scaled *= 10;
    if (scaled <= 0 || scaled > kHundredPct || pct->scale > kShareScaleMax) {
      return ShareError(ErrorCode::kInvalidArgument, entry,
                        "a share is above 0 and at most 100, with at most 4 decimals");
    }
    total += scaled;
    shares.push_back(std::move(share));
  }
  if (total != kHundredPct) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrCat("categories: the shares add up to ", PercentText(total), " %, not 100 %"));
  }
  return shares;
}

std::string FormatCategoryShares(const std::vector<CategoryShare>& shares) {
  std::string text;
  for (const CategoryShare& share : shares) {
    absl::StrAppend(&text, text.empty() ? "" : ",", share.category, "=", share.share_pct);
  }
  return text;
}

absl::StatusOr<std::vector<int64_t>> SplitOverCategories(int64_t amount_minor,
                                                         const std::vector<CategoryShare>& shares) {
  std::vector<std::string_view> ratios;
  for (const CategoryShare& share : shares) ratios.push_back(share.share_pct);
  std::vector<uint64_t> tie_keys(shares.size());
  std::iota(tie_keys.begin(), tie_keys.end(), uint64_t{0});
  std::vector<int64_t> parts_minor;
  UPKEEP_RETURN_IF_ERROR(SplitByDecimalRatios(amount_minor, ratios, tie_keys, parts_minor));
  return parts_minor;
}

}  // namespace upkeep::cli

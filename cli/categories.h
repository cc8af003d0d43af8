// cli/categories.h: the fee categories of a book and how a customer's envelope splits over them.
//
// A book made by the command line has a list of fee categories, each with a share of every
// customer's envelope, written "visit=20,gift=20,entertainment=15,training=10,support=15,
// event=20" (shares in percent, exact decimals that add up to 100). An allocation gives each
// customer one amount; SplitOverCategories splits it exactly (largest remainder, ties by the
// category's position) into one budget per category.
//
// Errors: kParse for text that is not "name=pct,..."; kInvalidArgument for an empty or repeated
// name, a share <= 0, or shares that do not add up to 100 (all naming what is wrong).
// Thread safety: pure functions.
#ifndef UPKEEP_CLI_CATEGORIES_H_
#define UPKEEP_CLI_CATEGORIES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace upkeep::cli {

struct CategoryShare {
  std::string category;
  std::string share_pct;  // exact decimal text, "20" or "12.5"
};

// The sample company's categories (the demo's).
inline constexpr const char* kDefaultCategoryShares =
    "visit=20,gift=20,entertainment=15,training=10,support=15,event=20";

absl::StatusOr<std::vector<CategoryShare>> ParseCategoryShares(std::string_view text);
std::string FormatCategoryShares(const std::vector<CategoryShare>& shares);

// `amount_minor` split over `shares` (parts in the order of `shares`, adding up exactly).
absl::StatusOr<std::vector<int64_t>> SplitOverCategories(int64_t amount_minor,
                                                         const std::vector<CategoryShare>& shares);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_CATEGORIES_H_

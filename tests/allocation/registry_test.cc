// Custom policies: registered by name, used alone or as a pipeline's first step, and checked.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "allocation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Everything to the customer with the largest revenue (ties: the lowest id); "bonus" names a
// share of the pool (in %) that the others split evenly. Or a broken variant that loses a unit.
class Champion final : public AllocationPolicy {
 public:
  Champion(int64_t bonus_pct, bool broken) : bonus_pct_(bonus_pct), broken_(broken) {}
  std::string_view name() const override { return "champion"; }

 protected:
  absl::StatusOr<Allocation> DoAllocate(const Portfolio& portfolio,
                                        const Classification& classification,
                                        Money pool) const override {
    size_t best = 0;
    for (size_t i = 1; i < portfolio.size(); ++i) {
      if (portfolio.metrics(i).revenue_minor > portfolio.metrics(best).revenue_minor) best = i;
    }
    std::vector<int64_t> amounts(portfolio.size(), 0);
    const int64_t others = pool.amount_minor() * bonus_pct_ / 100 / int64_t(portfolio.size() - 1);
    for (size_t i = 0; i < portfolio.size(); ++i) amounts[i] = i == best ? 0 : others;
    amounts[best] =
        pool.amount_minor() - others * int64_t(portfolio.size() - 1) - (broken_ ? 1 : 0);
    return MakeAllocation(portfolio, classification, pool, "champion: all to the top customer",
                          std::move(amounts), std::vector<uint64_t>(portfolio.size(), 1));
  }

 private:
  int64_t bonus_pct_;
  bool broken_;
};

AllocationFactory ChampionFactory() {
  return [](const PolicyParams& params,
            const AllocationContext&) -> absl::StatusOr<std::unique_ptr<const AllocationPolicy>> {
    if (absl::Status s = params.CheckKeys({"policy", "rule", "bonus_pct", "broken"}); !s.ok()) {
      return s;
    }
    absl::StatusOr<std::optional<int64_t>> bonus = params.FindInt("bonus_pct");
    if (!bonus.ok()) return bonus.status();
    absl::StatusOr<std::optional<bool>> broken = params.FindBool("broken");
    if (!broken.ok()) return broken.status();
    return std::make_unique<const Champion>(bonus->value_or(0), broken->value_or(false));
  };
}

TEST(RegistryTest, BuiltInsAreRegistered) {
  const AllocationRegistry registry;
  EXPECT_THAT(registry.Names(), ElementsAre("fixed_per_tier", "pipeline", "proportional",
                                            "tier_shares", "tier_weights"));
}

TEST(RegistryTest, DuplicateAndEmptyNames) {
  AllocationRegistry registry;
  EXPECT_THAT(registry.Register("champion", ChampionFactory()), IsOk());
  EXPECT_THAT(registry.Register("champion", ChampionFactory()),
              StatusIs(ErrorCode::kAlreadyExists, HasSubstr("\"champion\"")));
  EXPECT_THAT(registry.Register("tier_shares", ChampionFactory()),
              StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(registry.Register("caps", ChampionFactory()), StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(registry.Register("", ChampionFactory()), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(registry.Contains("champion"));
}

TEST(RegistryTest, CustomPolicyAloneAndAsPipelineStep) {
  AllocationRegistry registry;
  ASSERT_THAT(registry.Register("champion", ChampionFactory()), IsOk());
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(auto alone,
                       PolicyFromJson(R"({"policy": "champion"})", {"A", "B", "C"}, registry));
  ASSERT_OK_AND_ASSIGN(const Allocation r,
                       alone->Allocate(book.portfolio, book.classification, book.Minor(1000)));
  EXPECT_THAT(r.amount_minor, ElementsAre(1000, 0, 0, 0, 0, 0));

  ASSERT_OK_AND_ASSIGN(auto piped, PolicyFromJson(R"({"policy": "pipeline", "steps": [
                                                        {"rule": "champion", "bonus_pct": 50},
                                                        {"rule": "caps", "customer_cap": "6.00",
                                                         "redistribute": "portfolio"}]})",
                                                  {"A", "B", "C"}, registry));
  ASSERT_OK_AND_ASSIGN(const Allocation p,
                       piped->Allocate(book.portfolio, book.classification, book.Minor(1000)));
  // Champion: 500 + 5 x 100; capped at 600 it already is below: unchanged.
  EXPECT_THAT(p.amount_minor, ElementsAre(500, 100, 100, 100, 100, 100));
  EXPECT_THAT(p.steps[0], "champion: all to the top customer");
}

TEST(RegistryTest, ResultThatDoesNotAddUpIsRefused) {
  AllocationRegistry registry;
  ASSERT_THAT(registry.Register("champion", ChampionFactory()), IsOk());
  const Book book = SmallBook();
  ASSERT_OK_AND_ASSIGN(auto broken, PolicyFromJson(R"({"policy": "champion", "broken": true})",
                                                   {"A", "B", "C"}, registry));
  EXPECT_THAT(broken->Allocate(book.portfolio, book.classification, book.Minor(1000)),
              StatusIs(ErrorCode::kCallbackFailed, HasSubstr("do not add up")));
}

TEST(RegistryTest, UnknownPolicyListsTheRegisteredOnes) {
  EXPECT_THAT(PolicyFromJson(R"({"policy": "pipeline", "steps": [{"rule": "champion"}]})"),
              StatusIs(ErrorCode::kNotFound,
                       "/allocation/steps/0: unknown allocation policy \"champion\"; registered: "
                       "fixed_per_tier, pipeline, proportional, tier_shares, tier_weights"));
}

}  // namespace
}  // namespace upkeep::testing

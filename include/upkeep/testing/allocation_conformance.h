// upkeep/testing/allocation_conformance.h: a GoogleTest suite every allocation policy must pass.
//
// Part of the upkeep test kit. Instantiate AllocationConformanceTest for your policy with one or
// more AllocationConformanceCase values; the suite runs it over seeded random portfolios
// (portfolio_generator.h) classified into your tiers by revenue rank, and checks:
//   - ExactSums:        amounts >= 0, sum + reserve + unallocated == pool, tier totals add up;
//   - Deterministic:    the same input twice gives the same result;
//   - OrderIndependent: the same customers added in a shuffled order get the same amount per id;
//   - BoundsRespected:  every customer within the floor and cap you declare (`bounds`), and
//                       customers flagged floored/capped sit exactly at their bound_minor;
//   - NoOverflow:       pools and revenues near INT64_MAX give an exact result or an error
//                       (kOverflow / kInfeasible), never a wrapped amount;
//   - ThreadSafe:       Allocate from several threads at once gives the reference result;
//   - RejectsBadInput:  negative pool, wrong currency, classification of the wrong size;
//   - Explains:         Explain(i) names each customer's tier.
//
//   #include "upkeep/testing/allocation_conformance.h"
//   INSTANTIATE_TEST_SUITE_P(
//       MyPolicy, upkeep::testing::AllocationConformanceTest,
//       ::testing::Values(upkeep::testing::AllocationConformanceCase{
//           .name = "my_policy",
//           .make_policy = [] { return MakeMyPolicy(); }}),
//       upkeep::testing::ConformanceCaseName);
//
// The TEST_Ps are defined in this header: include it in one .cc file per test program.
// Thread safety: test code; the ThreadSafe test itself starts threads.
#ifndef UPKEEP_TESTING_ALLOCATION_CONFORMANCE_H_
#define UPKEEP_TESTING_ALLOCATION_CONFORMANCE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/allocation.h"
#include "upkeep/classification.h"
#include "upkeep/portfolio.h"
#include "upkeep/testing/portfolio_generator.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {

// The floor and cap a policy promises one customer, in minor units.
struct CustomerBounds {
  int64_t floor_minor = 0;
  int64_t cap_minor = std::numeric_limits<int64_t>::max();
};

struct AllocationConformanceCase {
  std::string name;  // a GoogleTest name: letters, digits, underscores
  std::function<absl::StatusOr<std::unique_ptr<const AllocationPolicy>>()> make_policy;
  std::vector<std::string> tier_names = {"strategic", "key", "growth", "basic"};
  // The bounds the policy promises customer i; unset: only flagged customers are checked.
  std::function<CustomerBounds(const Portfolio&, const Classification&, size_t)> bounds;
  int64_t pool_minor = 50'000'000'00;  // 50,000,000.00
  size_t customers = 400;
  int seeds = 5;
};

inline std::string ConformanceCaseName(
    const ::testing::TestParamInfo<AllocationConformanceCase>& info) {
  return info.param.name;
}

// Tiers by revenue rank: the top 1/k of customers (ties by id) in tier 0, and so on. Depends
// only on the portfolio's content, so a shuffled rebuild gets the same tiers.
inline Classification ClassifyByRevenueRank(const Portfolio& portfolio,
                                            const std::vector<std::string>& tier_names) {
  Classification c;
  c.classifier = "revenue_rank";
  c.rule = "equal-count tiers by revenue rank";
  c.tier_names = tier_names;
  c.tier_rules.assign(tier_names.size(), "revenue rank");
  const size_t n = portfolio.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return portfolio.metrics(a).revenue_minor > portfolio.metrics(b).revenue_minor;
  });
  c.tier.assign(n, 0);
  for (size_t rank = 0; rank < n; ++rank) {
    c.tier[order[rank]] = static_cast<TierIndex>(rank * tier_names.size() / n);
  }
  c.score.resize(n);
  for (size_t i = 0; i < n; ++i)
    c.score[i] = static_cast<double>(portfolio.metrics(i).revenue_minor);
  c.reason.assign(n, TierReason::kRule);
  c.rule_tier = c.tier;
  c.periods_below.assign(n, 0);
  return c;
}

class AllocationConformanceTest : public ::testing::TestWithParam<AllocationConformanceCase> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<const AllocationPolicy>> policy = GetParam().make_policy();
    ASSERT_THAT(policy, IsOk());
    policy_ = *std::move(policy);
    ASSERT_NE(policy_, nullptr);
  }

  PortfolioOptions Options(int seed) const {
    PortfolioOptions options;
    options.customers = GetParam().customers;
    options.seed = static_cast<uint64_t>(seed) * 7919 + 1;
    return options;
  }

  Money Pool(const Portfolio& portfolio) const {
    return Money::FromMinor(GetParam().pool_minor, portfolio.currency());
  }

  // Checks the invariants every result must satisfy.
  static void ExpectExact(const Allocation& result, const Portfolio& portfolio,
                          const Classification& classification, Money pool) {
    ASSERT_EQ(result.size(), portfolio.size());
    EXPECT_EQ(result.pool_minor, pool.amount_minor());
    absl::int128 total = absl::int128(result.reserve_minor) + result.unallocated_minor;
    std::vector<absl::int128> per_tier(classification.tier_names.size(), 0);
    for (size_t i = 0; i < result.size(); ++i) {
      EXPECT_GE(result.amount_minor[i], 0) << "customer " << i;
      total += result.amount_minor[i];
      per_tier.at(classification.tier[i]) += result.amount_minor[i];
    }
    EXPECT_TRUE(total == pool.amount_minor()) << "amounts do not add up to the pool";
    ASSERT_EQ(result.tier_amount_minor.size(), per_tier.size());
    for (size_t t = 0; t < per_tier.size(); ++t) {
      EXPECT_TRUE(per_tier[t] == result.tier_amount_minor[t]) << "tier " << t;
    }
  }

  std::unique_ptr<const AllocationPolicy> policy_;
};

TEST_P(AllocationConformanceTest, ExactSums) {
  for (int seed = 0; seed < GetParam().seeds; ++seed) {
    const Portfolio portfolio = GeneratePortfolio(Options(seed));
    const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
    const Money pool = Pool(portfolio);
    ASSERT_OK_AND_ASSIGN(const Allocation result,
                         policy_->Allocate(portfolio, classification, pool));
    ExpectExact(result, portfolio, classification, pool);
  }
}

TEST_P(AllocationConformanceTest, Deterministic) {
  const Portfolio portfolio = GeneratePortfolio(Options(1));
  const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
  ASSERT_OK_AND_ASSIGN(const Allocation first,
                       policy_->Allocate(portfolio, classification, Pool(portfolio)));
  ASSERT_OK_AND_ASSIGN(const Allocation second,
                       policy_->Allocate(portfolio, classification, Pool(portfolio)));
  EXPECT_EQ(first.amount_minor, second.amount_minor);
  EXPECT_EQ(first.flags, second.flags);
  EXPECT_EQ(first.reserve_minor, second.reserve_minor);
  EXPECT_EQ(first.unallocated_minor, second.unallocated_minor);
}

TEST_P(AllocationConformanceTest, OrderIndependent) {
  for (int seed = 0; seed < GetParam().seeds; ++seed) {
    const Portfolio portfolio = GeneratePortfolio(Options(seed));
    const Portfolio shuffled = RebuildShuffled(Options(seed), static_cast<uint64_t>(seed) + 99);
    const Classification c1 = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
    const Classification c2 = ClassifyByRevenueRank(shuffled, GetParam().tier_names);
    ASSERT_OK_AND_ASSIGN(const Allocation a, policy_->Allocate(portfolio, c1, Pool(portfolio)));
    ASSERT_OK_AND_ASSIGN(const Allocation b, policy_->Allocate(shuffled, c2, Pool(shuffled)));
    for (size_t i = 0; i < portfolio.size(); ++i) {
      const std::optional<size_t> j = shuffled.Find(portfolio.customer(i).id);
      ASSERT_TRUE(j.has_value());
      EXPECT_EQ(a.amount_minor[i], b.amount_minor[*j]) << portfolio.customer(i).id;
    }
  }
}

TEST_P(AllocationConformanceTest, BoundsRespected) {
  for (int seed = 0; seed < GetParam().seeds; ++seed) {
    const Portfolio portfolio = GeneratePortfolio(Options(seed));
    const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
    ASSERT_OK_AND_ASSIGN(const Allocation result,
                         policy_->Allocate(portfolio, classification, Pool(portfolio)));
    for (size_t i = 0; i < result.size(); ++i) {
      if (result.flags[i] & (kAllocFloored | kAllocCapped)) {
        EXPECT_EQ(result.amount_minor[i], result.bound_minor[i]) << result.Explain(i);
      }
      if (!GetParam().bounds) continue;
      const CustomerBounds bounds = GetParam().bounds(portfolio, classification, i);
      EXPECT_GE(result.amount_minor[i], bounds.floor_minor) << result.Explain(i);
      EXPECT_LE(result.amount_minor[i], bounds.cap_minor) << result.Explain(i);
    }
  }
}

TEST_P(AllocationConformanceTest, NoOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  PortfolioOptions options = Options(3);
  options.revenue_minor_max = max / static_cast<int64_t>(options.customers + 1);
  const Portfolio portfolio = GeneratePortfolio(options);
  const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
  for (int64_t pool_minor : {max, max - 1, max / 3, int64_t{0}, int64_t{1}}) {
    const Money pool = Money::FromMinor(pool_minor, portfolio.currency());
    absl::StatusOr<Allocation> result = policy_->Allocate(portfolio, classification, pool);
    if (result.ok()) {
      ExpectExact(*result, portfolio, classification, pool);
    } else {
      EXPECT_THAT(ErrorCodeOf(result.status()),
                  ::testing::AnyOf(ErrorCode::kOverflow, ErrorCode::kInfeasible))
          << "pool " << pool_minor << ": " << result.status();
    }
  }
}

TEST_P(AllocationConformanceTest, ThreadSafe) {
  const Portfolio portfolio = GeneratePortfolio(Options(2));
  const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
  ASSERT_OK_AND_ASSIGN(const Allocation reference,
                       policy_->Allocate(portfolio, classification, Pool(portfolio)));
  constexpr int kThreads = 4;
  constexpr int kRuns = 5;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int run = 0; run < kRuns; ++run) {
        absl::StatusOr<Allocation> result =
            policy_->Allocate(portfolio, classification, Pool(portfolio));
        if (!result.ok() || result->amount_minor != reference.amount_minor)
          ++mismatches[static_cast<size_t>(t)];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

TEST_P(AllocationConformanceTest, RejectsBadInput) {
  const Portfolio portfolio = GeneratePortfolio(Options(0));
  const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
  EXPECT_THAT(
      policy_->Allocate(portfolio, classification, Money::FromMinor(-1, portfolio.currency())),
      StatusIs(ErrorCode::kInvalidArgument));
  const Currency other = portfolio.currency() == Currency::FromCode("USD").value()
                             ? Currency::FromCode("EUR").value()
                             : Currency::FromCode("USD").value();
  EXPECT_THAT(policy_->Allocate(portfolio, classification, Money::FromMinor(100, other)),
              StatusIs(ErrorCode::kCurrencyMismatch));
  Classification short_one = classification;
  short_one.tier.pop_back();
  EXPECT_THAT(policy_->Allocate(portfolio, short_one, Pool(portfolio)),
              StatusIs(ErrorCode::kInvalidArgument));
}

TEST_P(AllocationConformanceTest, Explains) {
  const Portfolio portfolio = GeneratePortfolio(Options(4));
  const Classification classification = ClassifyByRevenueRank(portfolio, GetParam().tier_names);
  ASSERT_OK_AND_ASSIGN(const Allocation result,
                       policy_->Allocate(portfolio, classification, Pool(portfolio)));
  ASSERT_FALSE(result.steps.empty());
  for (size_t i = 0; i < result.size(); i += 37) {
    EXPECT_THAT(result.Explain(i),
                ::testing::StartsWith(classification.tier_names[classification.tier[i]] + ":"));
  }
}

}  // namespace upkeep::testing

#endif  // UPKEEP_TESTING_ALLOCATION_CONFORMANCE_H_

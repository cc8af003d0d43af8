// upkeep/testing/classifier_conformance.h: the contract every classifier must keep, as a
// GoogleTest suite that users instantiate for their own classifiers.
//
// Part of the upkeep test kit. The suite checks, over seeded random portfolios: every customer
// gets exactly one valid tier and a well-formed result (CheckClassification); classifying twice
// gives the same result; the same customers supplied in a shuffled order get the same tiers;
// classifying from several threads at once gives the same result; an empty portfolio works;
// extreme metric values (int64 limits, +-1e308, denormals) neither crash nor break the result;
// classifying again with the history the result leaves keeps every tier; Explain works for
// every customer. The repository's built-in classifiers pass it (tests/customer).
//
// Include this header in exactly one .cc file of a test program (it defines the tests), then:
//
//   #include "upkeep/testing/classifier_conformance.h"
//
//   using upkeep::testing::ClassifierConformanceTest;  // the macro needs a plain name
//   INSTANTIATE_TEST_SUITE_P(
//       MyClassifiers, ClassifierConformanceTest,
//       ::testing::Values(upkeep::testing::ClassifierConformanceCase{
//           .name = "by_margin",
//           .make = [] { return MakeMyClassifier(); }}),
//       upkeep::testing::ClassifierConformanceCaseName);
//
// Thread safety: the suite starts threads itself; `make` is called from the test thread only.
#ifndef UPKEEP_TESTING_CLASSIFIER_CONFORMANCE_H_
#define UPKEEP_TESTING_CLASSIFIER_CONFORMANCE_H_

#include <bit>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/classification.h"
#include "upkeep/classify.h"
#include "upkeep/portfolio.h"
#include "upkeep/status.h"
#include "upkeep/testing/portfolio_generator.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {

struct ClassifierConformanceCase {
  // The test name suffix: letters, digits and underscores.
  std::string name;
  // Makes the classifier under test (called once per test).
  std::function<absl::StatusOr<std::unique_ptr<const Classifier>>()> make;
  // Whether generated portfolios carry the custom metric "visits" (for classifiers that read it).
  bool with_custom_metric = false;
};

inline std::string ClassifierConformanceCaseName(
    const ::testing::TestParamInfo<ClassifierConformanceCase>& info) {
  return info.param.name;
}

class ClassifierConformanceTest : public ::testing::TestWithParam<ClassifierConformanceCase> {
 protected:
  static constexpr size_t kCustomers = 400;
  static constexpr uint64_t kSeeds[] = {1, 7, 2024};
  static constexpr int kThreads = 4;

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<const Classifier>> made = GetParam().make();
    ASSERT_THAT(made, IsOk());
    ASSERT_NE(*made, nullptr);
    classifier_ = *std::move(made);
  }

  PortfolioOptions Options(size_t customers, uint64_t seed) const {
    PortfolioOptions options;
    options.customers = customers;
    options.seed = seed;
    options.with_custom_metric = GetParam().with_custom_metric;
    return options;
  }

  // Classifies and checks that the result is well-formed; fails the test otherwise.
  Classification ClassifyOk(const Portfolio& portfolio) const {
    Classification result;
    const absl::Status status = classifier_->Classify(portfolio, result);
    EXPECT_THAT(status, IsOk());
    if (status.ok()) {
      EXPECT_THAT(CheckClassification(portfolio, result), IsOk());
    }
    return result;
  }

  // Bitwise equality of scores, so that a NaN equals itself.
  static std::vector<uint64_t> ScoreBits(const Classification& c) {
    std::vector<uint64_t> bits;
    for (double score : c.score) bits.push_back(std::bit_cast<uint64_t>(score));
    return bits;
  }

  static void ExpectSame(const Classification& a, const Classification& b) {
    EXPECT_EQ(a.classifier, b.classifier);
    EXPECT_EQ(a.rule, b.rule);
    EXPECT_EQ(a.tier_names, b.tier_names);
    EXPECT_EQ(a.tier_rules, b.tier_rules);
    EXPECT_EQ(a.tier, b.tier);
    EXPECT_EQ(a.rule_tier, b.rule_tier);
    EXPECT_EQ(a.reason, b.reason);
    EXPECT_EQ(a.periods_below, b.periods_below);
    EXPECT_EQ(ScoreBits(a), ScoreBits(b));
  }

  static Customer CustomerWithId(std::string id) {
    Customer customer;
    customer.id = std::move(id);
    return customer;
  }

  // Customers at the limits of every metric, plus ordinary ones.
  Portfolio ExtremePortfolio() const {
    constexpr int64_t kMaxMinor = std::numeric_limits<int64_t>::max();
    constexpr int64_t kMinMinor = std::numeric_limits<int64_t>::min();
    constexpr double kHuge = 1e308;
    constexpr double kTiny = std::numeric_limits<double>::denorm_min();
    const std::vector<CustomerMetrics> rows = {
        {kMaxMinor, kMaxMinor, kHuge, kHuge, kHuge, kHuge, kHuge, kHuge},
        {kMaxMinor, kMinMinor, -kHuge, 0, 0, -kHuge, -kHuge, -kHuge},
        {0, kMinMinor, kTiny, kTiny, kTiny, kTiny, kTiny, kTiny},
        {0, 0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0},
        {1, -1, -kTiny, 1, 1, 1, 1, 1},
        {kMaxMinor, kMaxMinor, kHuge, kHuge, kHuge, kHuge, kHuge, kHuge},
    };
    const std::vector<double> visits = {kHuge, -kHuge, kTiny, 0, 1, kHuge};
    PortfolioBuilder builder(Currency{});
    for (size_t i = 0; i < rows.size(); ++i) {
      std::vector<std::pair<std::string, double>> custom;
      if (GetParam().with_custom_metric) custom.emplace_back("visits", visits[i]);
      EXPECT_THAT(
          builder.Add(CustomerWithId("extreme-" + std::to_string(i)), rows[i], std::move(custom)),
          IsOk());
    }
    absl::StatusOr<Portfolio> portfolio = std::move(builder).Build();
    EXPECT_THAT(portfolio, IsOk());
    return portfolio.ok() ? *std::move(portfolio) : Portfolio();
  }

  std::unique_ptr<const Classifier> classifier_;
};

TEST_P(ClassifierConformanceTest, GivesEveryCustomerOneValidTier) {
  for (uint64_t seed : kSeeds) {
    const Portfolio portfolio = GeneratePortfolio(Options(kCustomers, seed));
    const Classification result = ClassifyOk(portfolio);
    ASSERT_EQ(result.size(), portfolio.size());
    size_t counted = 0;
    for (size_t count : result.CountByTier()) counted += count;
    EXPECT_EQ(counted, portfolio.size()) << "seed " << seed;
  }
}

TEST_P(ClassifierConformanceTest, IsDeterministic) {
  const Portfolio portfolio = GeneratePortfolio(Options(kCustomers, kSeeds[0]));
  const Classification first = ClassifyOk(portfolio);
  const Classification second = ClassifyOk(portfolio);
  ExpectSame(first, second);
  // A fresh classifier from the same factory agrees too.
  absl::StatusOr<std::unique_ptr<const Classifier>> again = GetParam().make();
  ASSERT_THAT(again, IsOk());
  Classification third;
  ASSERT_THAT((*again)->Classify(portfolio, third), IsOk());
  ExpectSame(first, third);
}

TEST_P(ClassifierConformanceTest, IsIndependentOfInputOrder) {
  for (uint64_t seed : kSeeds) {
    const PortfolioOptions options = Options(kCustomers, seed);
    const Portfolio ordered = GeneratePortfolio(options);
    const Portfolio shuffled = RebuildShuffled(options, seed + 1);
    const Classification a = ClassifyOk(ordered);
    const Classification b = ClassifyOk(shuffled);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(ordered.customer(i).id, shuffled.customer(i).id);
      EXPECT_EQ(a.tier[i], b.tier[i]) << "customer " << ordered.customer(i).id;
    }
  }
}

TEST_P(ClassifierConformanceTest, IsThreadSafe) {
  const Portfolio portfolio = GeneratePortfolio(Options(kCustomers, kSeeds[1]));
  const Classification expected = ClassifyOk(portfolio);
  std::vector<Classification> results(kThreads);
  std::vector<absl::Status> statuses(kThreads);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3 && statuses[t].ok(); ++round) {
        statuses[t] = classifier_->Classify(portfolio, results[t]);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < kThreads; ++t) {
    EXPECT_THAT(statuses[t], IsOk());
    ExpectSame(expected, results[t]);
  }
}

TEST_P(ClassifierConformanceTest, HandlesEmptyPortfolio) {
  const Classification result = ClassifyOk(Portfolio());
  EXPECT_EQ(result.size(), 0u);
  EXPECT_FALSE(result.tier_names.empty());
}

TEST_P(ClassifierConformanceTest, HandlesOneCustomerAndEqualValues) {
  const Classification one = ClassifyOk(GeneratePortfolio(Options(1, kSeeds[0])));
  EXPECT_EQ(one.size(), 1u);
  PortfolioBuilder builder(Currency{});
  for (int i = 0; i < 10; ++i) {
    std::vector<std::pair<std::string, double>> custom;
    if (GetParam().with_custom_metric) custom.emplace_back("visits", 3);
    ASSERT_THAT(
        builder.Add(CustomerWithId("same-" + std::to_string(i)),
                    {.revenue_minor = 500, .order_count = 2, .recency_days = 9}, std::move(custom)),
        IsOk());
  }
  ASSERT_OK_AND_ASSIGN(Portfolio equal, std::move(builder).Build());
  // Equal customers may still land in different tiers (ABC splits ties by id), so only the
  // result's shape is checked here.
  EXPECT_EQ(ClassifyOk(equal).size(), equal.size());
}

TEST_P(ClassifierConformanceTest, SurvivesExtremeMetricValues) {
  const Portfolio portfolio = ExtremePortfolio();
  Classification result;
  const absl::Status status = classifier_->Classify(portfolio, result);
  // Refusing extreme input is allowed, but only with a specific error, never kInternal.
  if (!status.ok()) {
    EXPECT_NE(ErrorCodeOf(status), ErrorCode::kInternal) << status;
    return;
  }
  EXPECT_THAT(CheckClassification(portfolio, result), IsOk());
}

TEST_P(ClassifierConformanceTest, OwnHistoryKeepsEveryTier) {
  const Portfolio portfolio = GeneratePortfolio(Options(kCustomers, kSeeds[2]));
  const Classification first = ClassifyOk(portfolio);
  const TierHistory history = TierHistory::FromClassification(portfolio, first);
  Classification second;
  ASSERT_THAT(classifier_->ClassifyWithHistory(portfolio, history, second), IsOk());
  ASSERT_THAT(CheckClassification(portfolio, second), IsOk());
  EXPECT_EQ(first.tier, second.tier);
}

TEST_P(ClassifierConformanceTest, ExplainsEveryCustomer) {
  const Portfolio portfolio = GeneratePortfolio(Options(50, kSeeds[0]));
  const Classification result = ClassifyOk(portfolio);
  ASSERT_EQ(result.size(), portfolio.size());
  for (size_t i = 0; i < result.size(); ++i) {
    EXPECT_THAT(result.Explain(i), ::testing::StartsWith(result.tier_names[result.tier[i]]));
  }
}

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ClassifierConformanceTest);

}  // namespace upkeep::testing

#endif  // UPKEEP_TESTING_CLASSIFIER_CONFORMANCE_H_

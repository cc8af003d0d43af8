// The built-in classifiers pass the same conformance suite that users run on theirs.
#include "upkeep/testing/classifier_conformance.h"

#include <string>
#include <vector>

#include "upkeep/classify.h"

namespace upkeep {
namespace {

using testing::ClassifierConformanceCase;
using testing::ClassifierConformanceTest;

const std::vector<std::string> kAbc = {"A", "B", "C"};
const std::vector<std::string> kFour = {"strategic", "key", "growth", "basic"};

absl::StatusOr<std::unique_ptr<const Classifier>> Held(
    absl::StatusOr<std::unique_ptr<const Classifier>> inner) {
  if (!inner.ok()) return inner.status();
  return WithHysteresis(*std::move(inner), {.periods = 2});
}

INSTANTIATE_TEST_SUITE_P(
    Builtins, ClassifierConformanceTest,
    ::testing::Values(
        ClassifierConformanceCase{.name = "abc_revenue",
                                  .make = [] { return MakeAbcClassifier({}, kAbc); }},
        ClassifierConformanceCase{.name = "abc_custom_metric",
                                  .make =
                                      [] {
                                        return MakeAbcClassifier(
                                            {.metric = "visits",
                                             .cumulative_pct = {Decimal{50}, Decimal{80},
                                                                Decimal{9999, 2}}},
                                            kFour);
                                      },
                                  .with_custom_metric = true},
        ClassifierConformanceCase{.name = "threshold_revenue",
                                  .make =
                                      [] {
                                        return MakeThresholdClassifier(
                                            {.metric = "revenue",
                                             .thresholds = {Decimal{50000000}, Decimal{10000000},
                                                            Decimal{1000000}}},
                                            kFour);
                                      }},
        ClassifierConformanceCase{
            .name = "threshold_weighted_min_max",
            .make =
                [] {
                  return MakeThresholdClassifier(
                      {.weights = {{.metric = "revenue", .weight = 2},
                                   {.metric = "churn_risk", .lower_is_better = true},
                                   {.metric = "visits", .weight = 0.5}},
                       .thresholds = {Decimal{60}, Decimal{40}, Decimal{20}}},
                      kFour);
                },
            .with_custom_metric = true},
        ClassifierConformanceCase{.name = "threshold_weighted_rank",
                                  .make =
                                      [] {
                                        return MakeThresholdClassifier(
                                            {.weights = {{.metric = "gross_margin"},
                                                         {.metric = "growth"}},
                                             .normalization = Normalization::kRank,
                                             .thresholds = {Decimal{75}, Decimal{50}}},
                                            kAbc);
                                      }},
        ClassifierConformanceCase{.name = "rfm",
                                  .make =
                                      [] {
                                        return MakeRfmClassifier(
                                            {.min_scores = {Decimal{13}, Decimal{10}, Decimal{7}}},
                                            kFour);
                                      }},
        ClassifierConformanceCase{.name = "abc_with_hysteresis",
                                  .make = [] { return Held(MakeAbcClassifier({}, kAbc)); }},
        ClassifierConformanceCase{.name = "rfm_weighted_with_hysteresis",
                                  .make =
                                      [] {
                                        return Held(MakeRfmClassifier(
                                            {.quantiles = 10,
                                             .recency_weight = 0.5,
                                             .monetary_weight = 2,
                                             .min_scores = {Decimal{30}, Decimal{15}}},
                                            kAbc));
                                      }}),
    testing::ClassifierConformanceCaseName);

}  // namespace
}  // namespace upkeep

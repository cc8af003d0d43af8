// Every built-in policy's whole result (amounts, explanations, tier totals, error text) on seeded
// portfolios of 20,000 customers, pinned by a digest taken from the engine before its allocation
// passes were rewritten for speed: a faster engine must give the same answer to the minor unit,
// and the same explanation, for every customer. And the same again into one result reused across
// policies and portfolios of other sizes (AllocationPolicy::Allocate with `out`).
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocation_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/classify.h"
#include "upkeep/split.h"
#include "upkeep/status.h"
#include "upkeep/testing/portfolio_generator.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {
namespace {

constexpr size_t kCustomers = 20'000;
const std::vector<std::string> kTiers = {"strategic", "key", "growth", "basic"};

// The seeded book of `customers` customers in four ABC tiers, made once.
const Book& Seeded(uint64_t seed, size_t customers = kCustomers) {
  static auto* const books = new std::vector<std::unique_ptr<Book>>();
  const std::string name = absl::StrCat("golden-", seed, "-", customers);
  for (const std::unique_ptr<Book>& book : *books) {
    if (book->classification.classifier == name) return *book;
  }
  PortfolioOptions options;
  options.customers = customers;
  options.seed = seed;
  auto book = std::make_unique<Book>(Book{GeneratePortfolio(options), {}});
  AbcConfig abc;
  abc.cumulative_pct = {Decimal{50, 0}, Decimal{80, 0}, Decimal{95, 0}};
  if (!MakeAbcClassifier(abc, kTiers)
           .value()
           ->Classify(book->portfolio, book->classification)
           .ok()) {
    std::abort();
  }
  book->classification.classifier = name;
  books->push_back(std::move(book));
  return *books->back();
}

// FNV-1a over the bytes of every field, in a fixed order.
class Digest {
 public:
  void Bytes(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) hash_ = (hash_ ^ bytes[i]) * 1099511628211ULL;
  }
  template <typename T>
  void Values(const std::vector<T>& values) {
    Value(values.size());
    Bytes(values.data(), values.size() * sizeof(T));
  }
  template <typename T>
  void Value(T value) {
    Bytes(&value, sizeof(value));
  }
  void Text(std::string_view text) {
    Value(text.size());
    Bytes(text.data(), text.size());
  }
  uint64_t hash() const { return hash_; }

 private:
  uint64_t hash_ = 14695981039346656037ULL;
};

uint64_t DigestOf(const absl::StatusOr<Allocation>& result) {
  Digest d;
  if (!result.ok()) {
    d.Value(static_cast<int>(result.status().code()));
    const absl::string_view message = result.status().message();
    d.Text(std::string_view(message.data(), message.size()));
    return d.hash();
  }
  const Allocation& a = *result;
  d.Text(a.currency.code());
  d.Value(a.pool_minor);
  d.Value(a.reserve_minor);
  d.Value(a.unallocated_minor);
  for (const std::string& step : a.steps) d.Text(step);
  for (const std::string& tier : a.tier_names) d.Text(tier);
  d.Values(a.tier_amount_minor);
  d.Values(a.tier_flags);
  d.Values(a.tier_bound_minor);
  d.Values(a.amount_minor);
  d.Values(a.base_minor);
  d.Values(a.weight);
  d.Values(a.bound_minor);
  d.Values(a.tier);
  d.Values(a.step);
  d.Values(a.flags);
  d.Text(a.Explain(0));
  d.Text(a.Explain(a.size() - 1));
  return d.hash();
}

struct GoldenCase {
  std::string name;
  std::string json;
  int64_t pool_minor;
  uint64_t seed;
  uint64_t digest;
};

// The pool of the benchmark scaled to these portfolios: 1,000.00 per customer.
constexpr int64_t kPool = static_cast<int64_t>(kCustomers) * 100'000;

const char kBenchmark[] = R"({"policy": "pipeline", "reserve_pct": 5, "steps": [
    {"rule": "tier_shares", "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10},
     "within_tier": "by_metric", "metric": "revenue"},
    {"rule": "caps", "customer_floor": "100.00",
     "customer_cap": {"strategic": "4000.00", "key": "2000.00", "growth": "1000.00",
                      "basic": "500.00"}}]})";
const char kBenchmarkExcess[] = R"({"policy": "pipeline", "reserve_pct": 5, "steps": [
    {"rule": "tier_shares", "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10},
     "within_tier": "by_metric", "metric": "revenue"},
    {"rule": "caps", "customer_floor": "100.00", "excess": "unallocated",
     "customer_cap": {"strategic": "4000.00", "key": "2000.00", "growth": "1000.00",
                      "basic": "500.00"}}]})";
const char kRevenueCap[] = R"({"policy": "pipeline", "steps": [
    {"rule": "tier_weights", "weights": {"strategic": 8, "key": 4, "growth": 2, "basic": 1}},
    {"rule": "caps", "customer_cap_pct_of_revenue": 10, "redistribute": "portfolio"}]})";
const char kTierBounds[] = R"({"policy": "pipeline", "reserve": "1000.00", "steps": [
    {"rule": "tier_shares", "shares_pct": {"strategic": "37.5", "key": "32.5", "growth": 20,
                                           "basic": 10},
     "within_tier": "by_metric", "metric": "gross_margin"},
    {"rule": "caps", "customer_floor": {"basic": "150.00", "growth": "120.00"},
     "customer_cap_pct_of_revenue": {"basic": 3, "growth": "2.5"},
     "customer_cap": {"strategic": "9000.00"}, "cap_below_floor": "cap",
     "tier_floor": {"basic": "3500000.00"}, "tier_cap": {"strategic": "6000000.00"},
     "excess": "unallocated"}]})";
const char kTwoSteps[] = R"({"policy": "pipeline", "reserve_pct": "2.5", "rounding": "half_up",
    "steps": [
    {"rule": "proportional", "metric": "revenue"},
    {"rule": "caps", "customer_floor": "50.00", "customer_cap": "5000.00"},
    {"rule": "caps", "customer_floor": {"basic": "200.00"}, "customer_cap": {"strategic": "3000.00"},
     "redistribute": "within_tier"}]})";
const char kPortfolioFloors[] = R"({"policy": "pipeline", "steps": [
    {"rule": "tier_shares", "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10}},
    {"rule": "caps", "customer_floor": "300.00", "customer_cap": "2500.00",
     "redistribute": "portfolio"}]})";

std::vector<GoldenCase> Cases() {
  return {
      {"benchmark_policy", kBenchmark, kPool, 42, 0xcf27b4e952fc34c5},
      {"benchmark_policy_seed7", kBenchmark, kPool, 7, 0xd64feaec1abfd111},
      {"benchmark_policy_large_pool", kBenchmark, kPool * 3, 42, 0xe27346300296b5ca},
      {"benchmark_policy_excess_unallocated", kBenchmarkExcess, kPool * 3, 42, 0xdf6bcd5b56e73f6a},
      {"benchmark_policy_too_small", kBenchmark, kPool / 20, 42, 0x462500818f66c011},
      {"revenue_cap", kRevenueCap, kPool, 42, 0x9f871b23c33362fd},
      {"revenue_cap_seed7", kRevenueCap, kPool * 40, 7, 0x696dc2c77666857b},
      {"tier_bounds", kTierBounds, kPool, 42, 0x988e712f8c257fe9},
      {"tier_bounds_seed7", kTierBounds, kPool * 2, 7, 0x51687c551bb2ba3c},
      {"two_caps_steps", kTwoSteps, kPool, 42, 0x3f2fc2e67da5c6ec},
      {"portfolio_floors", kPortfolioFloors, kPool, 42, 0x974b38380891a7ea},
      {"proportional_128_bit", R"({"policy": "proportional", "metric": "revenue"})",
       1'000'000'000'00, 42, 0x469061715202f551},
      {"proportional_margin", R"({"policy": "proportional", "metric": "gross_margin"})", kPool, 7,
       0xae0dbef043c217f6},
      {"proportional_growth", R"({"policy": "proportional", "metric": "growth"})", kPool, 42,
       0x947e3eb9bbf1c1e},
      {"tier_shares_even", R"({"policy": "tier_shares",
          "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10}})",
       kPool + 12345, 42, 0x726fc166006712c0},
      {"tier_shares_by_revenue", R"({"policy": "tier_shares",
          "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10},
          "within_tier": "by_metric", "metric": "revenue"})",
       1'000'000'000'00, 7, 0x31a3c78f8fa85357},
      {"tier_weights", R"({"policy": "tier_weights",
          "weights": {"strategic": 8, "key": 4, "growth": "2.5", "basic": 1}})",
       kPool - 1, 42, 0x75a784724ed0ff39},
      {"fixed_per_tier", R"({"policy": "fixed_per_tier", "amount_per_customer":
          {"strategic": "5000.00", "key": "2000.00", "growth": "1000.00", "basic": "100.00"}})",
       kPool * 10, 42, 0xc410874229d3d324},
  };
}

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, SameResultAsBefore) {
  const GoldenCase& c = GetParam();
  const Book& book = Seeded(c.seed);
  const absl::StatusOr<Allocation> result = AllocateJson(c.json, book, c.pool_minor);
  const uint64_t digest = DigestOf(result);
  EXPECT_EQ(digest, c.digest) << c.name << ": digest 0x" << std::hex << digest << " ("
                              << (result.ok() ? "ok" : result.status().ToString()) << ")";
}

INSTANTIATE_TEST_SUITE_P(BuiltIn, GoldenTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param) {
                           return param.param.name;
                         });

// One result, reused for every case in turn (forward, then backward, so that it goes from larger
// portfolios to smaller ones and back, and from errors to results), gives each case exactly what
// a new result gets; after an error it is empty.
TEST(GoldenReuseTest, OneResultReusedAcrossPoliciesAndPortfolios) {
  const std::vector<GoldenCase> cases = Cases();
  std::vector<size_t> order;
  for (size_t k = 0; k < cases.size(); ++k) order.push_back(k);
  for (size_t k = cases.size(); k-- > 0;) order.push_back(k);
  Allocation reused;
  for (size_t step = 0; step < order.size(); ++step) {
    const GoldenCase& c = cases[order[step]];
    // Every third step on a portfolio of 3,000 customers instead (pool scaled alike).
    const bool small = step % 3 == 2;
    const Book& book = small ? Seeded(c.seed, 3'000) : Seeded(c.seed);
    const int64_t pool = small ? c.pool_minor / 20'000 * 3'000 : c.pool_minor;
    const absl::StatusOr<Allocation> fresh = AllocateJson(c.json, book, pool);
    auto policy = PolicyFromJson(c.json, book.classification.tier_names);
    ASSERT_TRUE(policy.ok()) << c.name;
    const absl::Status status =
        (*policy)->Allocate(book.portfolio, book.classification, book.Minor(pool), reused);
    ASSERT_EQ(status, fresh.status()) << c.name;
    if (!status.ok()) {
      EXPECT_EQ(reused.size(), 0u) << c.name;
      EXPECT_TRUE(reused.steps.empty() && reused.tier_names.empty()) << c.name;
      EXPECT_EQ(reused.pool_minor, 0) << c.name;
      continue;
    }
    EXPECT_EQ(DigestOf(reused), DigestOf(fresh)) << c.name << (small ? " (3,000)" : "");
    if (!small) {
      EXPECT_EQ(DigestOf(reused), c.digest) << c.name;
    }
  }
}

// A custom policy (DoAllocate only) into a result a built-in filled before: the same as its own
// new result, and the workspace stays for the next built-in.
class EvenToAll final : public AllocationPolicy {
 public:
  std::string_view name() const override { return "even_to_all"; }

 protected:
  absl::StatusOr<Allocation> DoAllocate(const Portfolio& portfolio,
                                        const Classification& classification,
                                        Money pool) const override {
    std::vector<uint64_t> weights(portfolio.size(), 1), keys(portfolio.size());
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = portfolio.tie_key(i);
    std::vector<int64_t> amounts;
    if (absl::Status s = Split(pool.amount_minor(), weights, keys, amounts); !s.ok()) return s;
    return MakeAllocation(portfolio, classification, pool, "even_to_all", std::move(amounts),
                          std::move(weights));
  }
};

TEST(GoldenReuseTest, CustomPolicyIntoAReusedResult) {
  const Book& book = Seeded(42);
  const Book& small = Seeded(7, 3'000);
  const GoldenCase built_in = Cases()[0];
  auto policy = PolicyFromJson(built_in.json, book.classification.tier_names);
  ASSERT_TRUE(policy.ok());
  Allocation reused;
  ASSERT_TRUE(
      (*policy)
          ->Allocate(book.portfolio, book.classification, book.Minor(built_in.pool_minor), reused)
          .ok());
  const size_t workspace_bytes = reused.workspace.bytes();
  EXPECT_GT(workspace_bytes, 0u);

  const EvenToAll custom;
  const absl::StatusOr<Allocation> fresh =
      custom.Allocate(small.portfolio, small.classification, small.Minor(123'456'789));
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(
      custom.Allocate(small.portfolio, small.classification, small.Minor(123'456'789), reused)
          .ok());
  EXPECT_EQ(DigestOf(reused), DigestOf(fresh));
  EXPECT_EQ(reused.workspace.bytes(), workspace_bytes);

  ASSERT_TRUE(
      (*policy)
          ->Allocate(book.portfolio, book.classification, book.Minor(built_in.pool_minor), reused)
          .ok());
  EXPECT_EQ(DigestOf(reused), built_in.digest);
}

// A copy of a result is the answer without the working memory; a result handed out by value
// keeps none either. BytesPerCustomer counts the workspace.
// The first golden case (the benchmark's policy) allocated into a new result, kept for reuse.
struct FirstCase {
  const Book& book = Seeded(42);
  const GoldenCase c = Cases()[0];
  std::unique_ptr<const AllocationPolicy> policy =
      PolicyFromJson(c.json, book.classification.tier_names).value();
  Allocation reused;
  absl::Status AllocateAgain(int64_t pool_minor) {
    return policy->Allocate(book.portfolio, book.classification, book.Minor(pool_minor), reused);
  }
};

TEST(GoldenReuseTest, CopiesAndResultsByValueHoldNoWorkspace) {
  FirstCase first;
  ASSERT_TRUE(first.AllocateAgain(first.c.pool_minor).ok());
  const GoldenCase& c = first.c;
  Allocation& reused = first.reused;
  const Allocation copy = reused;
  EXPECT_EQ(copy.workspace.bytes(), 0u);
  EXPECT_EQ(DigestOf(copy), c.digest);
  EXPECT_EQ(copy.BytesPerCustomer(), 35u);
  EXPECT_GT(reused.BytesPerCustomer(), copy.BytesPerCustomer());
  Allocation assigned;
  assigned = reused;
  EXPECT_EQ(assigned.workspace.bytes(), 0u);
  EXPECT_EQ(DigestOf(assigned), c.digest);

  const absl::StatusOr<Allocation> by_value = first.policy->Allocate(
      first.book.portfolio, first.book.classification, first.book.Minor(c.pool_minor));
  ASSERT_TRUE(by_value.ok());
  EXPECT_EQ(by_value->workspace.bytes(), 0u);
  reused.workspace.Release();
  EXPECT_EQ(reused.workspace.bytes(), 0u);
}

// Bad input into a reused result: refused, and the result is left empty (not stale).
TEST(GoldenReuseTest, RefusedInputLeavesTheResultEmpty) {
  FirstCase first;
  ASSERT_TRUE(first.AllocateAgain(first.c.pool_minor).ok());
  EXPECT_THAT(first.AllocateAgain(-1), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_EQ(first.reused.size(), 0u);
  ASSERT_TRUE(first.AllocateAgain(first.c.pool_minor).ok());
  EXPECT_EQ(DigestOf(first.reused), first.c.digest);
}

}  // namespace
}  // namespace upkeep::testing

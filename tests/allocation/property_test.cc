// Properties over thousands of random portfolios (rapidcheck): exact sums, floors and caps held,
// water-filling optimality (every free customer at the common level; capped ones at or below
// it, floored ones at or above it), determinism and order independence.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "allocation_test_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "upkeep/status.h"

namespace upkeep::testing {
namespace {

constexpr int kPortfoliosPerCase = 10;  // x 100 cases per property
const std::vector<std::string> kTiers = {"A", "B", "C"};

struct Scenario {
  std::vector<Row> rows;
  int64_t pool_minor;
  int64_t floor_minor;
  std::vector<int64_t> cap_minor;  // per tier, 0 = none
  int64_t cap_pct;                 // 0 = none
  bool cap_wins;                   // "cap_below_floor": "cap"
  bool portfolio_wide;
  bool proportional;
};

Scenario GenScenario() {
  Scenario s;
  const int n = *rc::gen::inRange(1, 60);
  for (int i = 0; i < n; ++i) {
    s.rows.push_back({"c" + std::to_string(*rc::gen::inRange(0, 1000000)) + "-" + std::to_string(i),
                      *rc::gen::inRange<int64_t>(0, 1000000),
                      static_cast<TierIndex>(*rc::gen::inRange(0, 3))});
  }
  s.pool_minor = *rc::gen::inRange<int64_t>(0, 5000000);
  s.floor_minor = *rc::gen::inRange<int64_t>(0, 3) == 0 ? 0 : *rc::gen::inRange<int64_t>(0, 20000);
  for (size_t t = 0; t < kTiers.size(); ++t) {
    s.cap_minor.push_back(
        *rc::gen::inRange(0, 2) == 0 ? 0 : s.floor_minor + *rc::gen::inRange<int64_t>(0, 400000));
  }
  s.cap_wins = *rc::gen::inRange(0, 2) == 0;
  s.cap_pct = (s.floor_minor == 0 || s.cap_wins) && *rc::gen::inRange(0, 2) == 0
                  ? *rc::gen::inRange(1, 101)
                  : 0;
  s.portfolio_wide = *rc::gen::inRange(0, 2) == 0;
  s.proportional = *rc::gen::inRange(0, 2) == 0;
  return s;
}

std::string PolicyJson(const Scenario& s) {
  nlohmann::json first =
      s.proportional
          ? nlohmann::json{{"rule", "proportional"}, {"metric", "revenue"}}
          : nlohmann::json{{"rule", "tier_weights"}, {"weights", {{"A", 5}, {"B", 3}, {"C", 1}}}};
  nlohmann::json caps = {{"rule", "caps"},
                         {"excess", "unallocated"},
                         {"redistribute", s.portfolio_wide ? "portfolio" : "within_tier"},
                         {"customer_floor", std::to_string(s.floor_minor / 100) + "." +
                                                std::to_string(s.floor_minor % 100 / 10) +
                                                std::to_string(s.floor_minor % 10)}};
  nlohmann::json cap_by_tier = nlohmann::json::object();
  for (size_t t = 0; t < kTiers.size(); ++t) {
    if (s.cap_minor[t] > 0) {
      cap_by_tier[kTiers[t]] = Money::FromMinor(s.cap_minor[t], Currency()).ToDecimalString();
    }
  }
  if (!cap_by_tier.empty()) caps["customer_cap"] = cap_by_tier;
  if (s.cap_pct > 0) caps["customer_cap_pct_of_revenue"] = s.cap_pct;
  if (s.cap_wins) caps["cap_below_floor"] = "cap";
  return nlohmann::json{{"policy", "pipeline"}, {"steps", {first, caps}}}.dump();
}

int64_t CapOf(const Scenario& s, const Book& book, size_t i) {
  int64_t cap = std::numeric_limits<int64_t>::max();
  const size_t t = book.classification.tier[i];
  if (s.cap_minor[t] > 0) cap = s.cap_minor[t];
  if (s.cap_pct > 0) cap = std::min(cap, book.portfolio.metrics(i).revenue_minor * s.cap_pct / 100);
  return cap;
}

// Water-filling optimality within one group of customers (a tier, or everyone).
void CheckLevel(const Allocation& r, const std::vector<size_t>& group) {
  absl::int128 free_amount = 0, free_base = 0;
  for (size_t i : group) {
    if (!(r.flags[i] & (kAllocFloored | kAllocCapped)) && r.base_minor[i] > 0) {
      free_amount += r.amount_minor[i];
      free_base += r.base_minor[i];
    }
  }
  if (free_base == 0) return;
  for (size_t i : group) {
    const absl::int128 level_share = absl::int128(r.base_minor[i]) * free_amount;  // x free_base
    const absl::int128 amount = absl::int128(r.amount_minor[i]) * free_base;
    if (r.flags[i] & kAllocCapped) {
      RC_ASSERT(amount <= level_share);  // its cap is at or below the common level
    } else if (r.flags[i] & kAllocFloored) {
      RC_ASSERT(r.base_minor[i] == 0 || amount >= level_share);
    } else if (r.base_minor[i] > 0) {
      const absl::int128 gap = amount > level_share ? amount - level_share : level_share - amount;
      RC_ASSERT(gap < free_base);  // within one minor unit of the level
    }
  }
}

RC_GTEST_PROP(AllocationProperties, FloorsAndCapsAreExactHeldAndOptimal, ()) {
  for (int k = 0; k < kPortfoliosPerCase; ++k) {
    const Scenario s = GenScenario();
    const Book book = MakeBook(s.rows, kTiers);
    absl::StatusOr<Allocation> result = AllocateJson(PolicyJson(s), book, s.pool_minor);
    if (!result.ok()) {
      // Only real infeasibility: floors above the pool, or nothing to weigh by.
      RC_ASSERT(ErrorCodeOf(result.status()) == ErrorCode::kInfeasible);
      absl::int128 floors = 0;  // a floor gives way to a lower cap only with cap_wins
      for (size_t i = 0; i < book.portfolio.size(); ++i) {
        floors += std::min(s.floor_minor, CapOf(s, book, i));
      }
      bool zero_weights = true;
      for (const Row& row : s.rows) zero_weights = zero_weights && row.revenue_minor == 0;
      RC_ASSERT(floors > s.pool_minor || (s.proportional && zero_weights));
      continue;
    }
    const Allocation& r = *result;
    absl::int128 total = absl::int128(r.reserve_minor) + r.unallocated_minor;
    for (size_t i = 0; i < r.size(); ++i) {
      total += r.amount_minor[i];
      RC_ASSERT(r.amount_minor[i] >= std::min(s.floor_minor, CapOf(s, book, i)));
      RC_ASSERT(r.amount_minor[i] <= CapOf(s, book, i));
    }
    RC_ASSERT(total == s.pool_minor);
    if (s.portfolio_wide) {
      std::vector<size_t> all(r.size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = i;
      CheckLevel(r, all);
    } else {
      for (size_t t = 0; t < kTiers.size(); ++t) {
        std::vector<size_t> tier;
        for (size_t i = 0; i < r.size(); ++i) {
          if (r.tier[i] == t) tier.push_back(i);
        }
        CheckLevel(r, tier);
      }
    }
  }
}

RC_GTEST_PROP(AllocationProperties, DeterministicAndOrderIndependent, ()) {
  for (int k = 0; k < kPortfoliosPerCase; ++k) {
    const Scenario s = GenScenario();
    const Book book = MakeBook(s.rows, kTiers);
    const std::string json = PolicyJson(s);
    const absl::StatusOr<Allocation> first = AllocateJson(json, book, s.pool_minor);
    const absl::StatusOr<Allocation> again = AllocateJson(json, book, s.pool_minor);
    std::vector<Row> shuffled = s.rows;
    std::mt19937_64 rng(*rc::gen::arbitrary<uint64_t>());
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const Book other = MakeBook(shuffled, kTiers);
    const absl::StatusOr<Allocation> moved = AllocateJson(json, other, s.pool_minor);
    RC_ASSERT(first.ok() == again.ok());
    RC_ASSERT(first.ok() == moved.ok());
    if (!first.ok()) continue;
    RC_ASSERT(first->amount_minor == again->amount_minor);
    for (size_t i = 0; i < book.portfolio.size(); ++i) {
      const size_t j = *other.portfolio.Find(book.portfolio.customer(i).id);
      RC_ASSERT(first->amount_minor[i] == moved->amount_minor[j]);
    }
  }
}

RC_GTEST_PROP(AllocationProperties, TierSharesAreExactAndFollowShares, ()) {
  for (int k = 0; k < kPortfoliosPerCase; ++k) {
    const Scenario s = GenScenario();
    const Book book = MakeBook(s.rows, kTiers);
    const int a = *rc::gen::inRange(0, 101);
    const int b = *rc::gen::inRange(0, 101 - a);
    const std::string json =
        nlohmann::json{{"policy", "tier_shares"},
                       {"shares_pct", {{"A", a}, {"B", b}, {"C", 100 - a - b}}}}
            .dump();
    const absl::StatusOr<Allocation> r = AllocateJson(json, book, s.pool_minor);
    const std::vector<size_t> counts = book.classification.CountByTier();
    const int shares[3] = {a, b, 100 - a - b};
    bool empty_with_share = false;
    for (size_t t = 0; t < 3; ++t) {
      empty_with_share =
          empty_with_share || ((t >= counts.size() || counts[t] == 0) && shares[t] > 0);
    }
    RC_ASSERT(r.ok() == !empty_with_share);
    if (!r.ok()) continue;
    for (size_t t = 0; t < 3; ++t) {
      // Each tier within one unit of its exact share.
      const absl::int128 exact = absl::int128(s.pool_minor) * shares[t];
      const absl::int128 got = absl::int128(r->tier_amount_minor[t]) * 100;
      RC_ASSERT(got - exact < 100 && exact - got < 100);
    }
  }
}

}  // namespace
}  // namespace upkeep::testing

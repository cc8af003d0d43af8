#include "upkeep/monitor/effectiveness.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/json_text.h"
#include "upkeep/checked.h"
#include "upkeep/money.h"
#include "upkeep/rounding.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

using internal::Amount;
using internal::Optional;

// num / den in basis points, half-even, saturating; nullopt when den is 0.
std::optional<int64_t> RatioBp(absl::int128 num, absl::int128 den, int64_t scale = 10000) {
  if (den == 0) return std::nullopt;
  const absl::int128 q = DivideRounded(num * scale, den, RoundingMode::kHalfEven);
  return static_cast<int64_t>(std::clamp<absl::int128>(q, std::numeric_limits<int64_t>::min(),
                                                       std::numeric_limits<int64_t>::max()));
}

absl::Status AddTo(int64_t& sum, int64_t value) {
  UPKEEP_ASSIGN_OR_RETURN(sum, CheckedAdd(sum, value));
  return absl::OkStatus();
}

// The signals of each customer, found by id while they are gathered.
class SignalTable {
 public:
  CustomerSignals& For(std::string_view id, const Facts& facts) {
    const auto [it, inserted] = index_.try_emplace(std::string(id), rows_.size());
    if (inserted) {
      CustomerSignals s{.customer = std::string(id)};
      if (const std::optional<int32_t> c = facts.FindCustomer(id)) {
        const CustomerFacts& f = facts.customers()[static_cast<size_t>(*c)];
        s.tier = f.tier;
        s.owner = f.owner;
        s.region = f.region;
      }
      rows_.push_back(std::move(s));
    }
    return rows_[it->second];
  }
  std::vector<CustomerSignals> TakeSorted() {
    std::sort(rows_.begin(), rows_.end(), [](const CustomerSignals& a, const CustomerSignals& b) {
      return a.customer < b.customer;
    });
    return std::move(rows_);
  }

 private:
  absl::flat_hash_map<std::string, size_t> index_{};
  std::vector<CustomerSignals> rows_{};
};

absl::Status AddRecords(const FeedbackLog& log, std::string_view period, const Facts& facts,
                        SignalTable& table) {
  for (const OutcomeRecord& o : log.outcomes()) {
    if (o.period != period) continue;
    CustomerSignals& s = table.For(o.customer, facts);
    s.has_outcome = true;
    s.revenue_minor = o.revenue_minor;
    s.revenue_before_minor = o.revenue_before_minor;
    s.renewal = o.renewal;
  }
  for (const CustomerFeedback& f : log.feedback()) {
    if (f.period != period) continue;
    CustomerSignals& s = table.For(f.customer, facts);
    if (f.satisfaction) {
      ++s.satisfaction_responses;
      s.satisfaction_sum += *f.satisfaction;
    }
    if (f.recommend) {
      ++s.recommend_responses;
      s.promoters += *f.recommend >= 9 ? 1 : 0;
      s.detractors += *f.recommend <= 6 ? 1 : 0;
    }
    UPKEEP_RETURN_IF_ERROR(AddTo(s.complaints, f.complaints));
  }
  for (const Assessment& a : log.assessments()) {
    if (a.period != period) continue;
    CustomerSignals& s = table.For(a.customer, facts);
    ++s.assessments;
    s.rating_sum += a.rating;
  }
  return absl::OkStatus();
}

absl::StatusOr<int32_t> PeriodIndex(const Facts& facts, std::string_view period) {
  const std::optional<int32_t> index = facts.FindPeriod(period);
  if (!index) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period '", AsAbsl(period), "' in the monitor's facts"));
  }
  return *index;
}

// The customer envelopes of the period, with the customer each belongs to.
template <typename Visit>
void ForEachEnvelope(const Facts& facts, int32_t period, Visit visit) {
  for (const ScopeFacts& scope : facts.scopes()) {
    if (scope.known && scope.ref.kind == ledger::ScopeKind::kCustomer && scope.period == period) {
      visit(scope);
    }
  }
}

// Adds one customer's (or one share of a customer's) numbers to a row.
absl::Status Accumulate(EffectivenessRow& row, const CustomerSignals& s, int64_t budget_minor,
                        int64_t spent_minor, int64_t revenue_minor, int64_t revenue_before_minor) {
  ++row.customers;
  UPKEEP_RETURN_IF_ERROR(AddTo(row.budget_minor, budget_minor));
  UPKEEP_RETURN_IF_ERROR(AddTo(row.spent_minor, spent_minor));
  UPKEEP_RETURN_IF_ERROR(AddTo(row.revenue_minor, revenue_minor));
  UPKEEP_RETURN_IF_ERROR(AddTo(row.revenue_before_minor, revenue_before_minor));
  row.renewed += s.renewal == Renewal::kRenewed ? 1 : 0;
  row.churned += s.renewal == Renewal::kChurned ? 1 : 0;
  UPKEEP_RETURN_IF_ERROR(AddTo(row.complaints, s.complaints));
  return absl::OkStatus();
}

// Sums kept beside a row for its averages.
struct Tallies {
  int64_t satisfaction_responses = 0, satisfaction_sum = 0;
  int64_t recommend_responses = 0, promoters = 0, detractors = 0;
  int64_t assessments = 0, rating_sum = 0;
  void Add(const CustomerSignals& s) {
    satisfaction_responses += s.satisfaction_responses;
    satisfaction_sum += s.satisfaction_sum;
    recommend_responses += s.recommend_responses;
    promoters += s.promoters;
    detractors += s.detractors;
    assessments += s.assessments;
    rating_sum += s.rating_sum;
  }
};

absl::Status Finish(EffectivenessRow& row, const Tallies& t) {
  UPKEEP_ASSIGN_OR_RETURN(row.revenue_change_minor,
                          CheckedSub(row.revenue_minor, row.revenue_before_minor));
  const absl::int128 change = row.revenue_change_minor;
  row.return_bp = RatioBp(change, row.spent_minor);
  row.roi_bp = RatioBp(change - row.spent_minor, row.spent_minor);
  row.cost_to_serve_bp = RatioBp(row.spent_minor, row.revenue_minor);
  row.retention_bp = RatioBp(row.renewed, row.renewed + row.churned);
  row.satisfaction_avg_centi = RatioBp(t.satisfaction_sum, t.satisfaction_responses, 100);
  row.nps = RatioBp(t.promoters - t.detractors, t.recommend_responses, 100);
  row.rating_avg_centi = RatioBp(t.rating_sum, t.assessments, 100);
  return absl::OkStatus();
}

const std::string& KeyOf(const CustomerSignals& s, Dimension dimension) {
  static const std::string kCompany = "company";
  switch (dimension) {
    case Dimension::kTier:
      return s.tier;
    case Dimension::kCustomer:
      return s.customer;
    case Dimension::kOwner:
      return s.owner;
    case Dimension::kRegion:
      return s.region;
    case Dimension::kCompany:
    case Dimension::kCategory:
      break;
  }
  return kCompany;
}

// Rows keyed and sorted by key, each with its tallies.
struct Groups {
  std::map<std::string, std::pair<EffectivenessRow, Tallies>> rows;
  std::pair<EffectivenessRow, Tallies>& Row(const std::string& key) {
    auto [it, inserted] = rows.try_emplace(key);
    if (inserted) it->second.first.key = key;
    return it->second;
  }
};

// One customer's spend in each category of the period.
struct CategorySpend {
  size_t customer;  // index into the signals
  std::string category;
  int64_t budget_minor;
  int64_t spent_minor;
};

absl::Status GroupByCategory(const std::vector<CustomerSignals>& signals,
                             const std::vector<CategorySpend>& spends, Groups& groups) {
  std::vector<std::vector<size_t>> of_customer(signals.size());
  for (size_t k = 0; k < spends.size(); ++k) of_customer[spends[k].customer].push_back(k);
  std::vector<uint64_t> weights, keys;
  std::vector<int64_t> revenue, before;
  for (size_t c = 0; c < signals.size(); ++c) {
    const CustomerSignals& s = signals[c];
    weights.clear();
    keys.clear();
    for (size_t k : of_customer[c]) {
      weights.push_back(static_cast<uint64_t>(std::max<int64_t>(0, spends[k].spent_minor)));
      keys.push_back(keys.size());
    }
    const bool spent = std::any_of(weights.begin(), weights.end(), [](uint64_t w) { return w; });
    if (!spent) {
      auto& [row, tallies] = groups.Row("");
      UPKEEP_RETURN_IF_ERROR(Accumulate(row, s, s.budget_minor, s.spent_minor, s.revenue_minor,
                                        s.revenue_before_minor));
      tallies.Add(s);
      continue;
    }
    UPKEEP_RETURN_IF_ERROR(Split(s.revenue_minor, weights, keys, revenue));
    UPKEEP_RETURN_IF_ERROR(Split(s.revenue_before_minor, weights, keys, before));
    for (size_t j = 0; j < of_customer[c].size(); ++j) {
      const CategorySpend& cs = spends[of_customer[c][j]];
      auto& [row, tallies] = groups.Row(cs.category);
      UPKEEP_RETURN_IF_ERROR(
          Accumulate(row, s, cs.budget_minor, cs.spent_minor, revenue[j], before[j]));
      tallies.Add(s);
    }
  }
  return absl::OkStatus();
}

nlohmann::json RowJson(const EffectivenessRow& r, Currency currency) {
  return {{"key", r.key},
          {"customers", r.customers},
          {"budget", Amount(r.budget_minor, currency)},
          {"spent", Amount(r.spent_minor, currency)},
          {"revenue", Amount(r.revenue_minor, currency)},
          {"revenue_before", Amount(r.revenue_before_minor, currency)},
          {"revenue_change", Amount(r.revenue_change_minor, currency)},
          {"return_bp", Optional(r.return_bp)},
          {"roi_bp", Optional(r.roi_bp)},
          {"cost_to_serve_bp", Optional(r.cost_to_serve_bp)},
          {"renewed", r.renewed},
          {"churned", r.churned},
          {"retention_bp", Optional(r.retention_bp)},
          {"satisfaction_avg_centi", Optional(r.satisfaction_avg_centi)},
          {"nps", Optional(r.nps)},
          {"complaints", r.complaints},
          {"rating_avg_centi", Optional(r.rating_avg_centi)}};
}

}  // namespace

std::optional<int64_t> CustomerSignals::return_bp() const {
  if (!has_outcome) return std::nullopt;
  return RatioBp(absl::int128(revenue_minor) - revenue_before_minor, spent_minor);
}

std::optional<int64_t> CustomerSignals::satisfaction_avg_centi() const {
  return RatioBp(satisfaction_sum, satisfaction_responses, 100);
}

std::optional<int64_t> CustomerSignals::rating_avg_centi() const {
  return RatioBp(rating_sum, assessments, 100);
}

absl::StatusOr<std::vector<CustomerSignals>> CollectSignals(const Facts& facts,
                                                            const FeedbackLog& log,
                                                            std::string_view period) {
  UPKEEP_ASSIGN_OR_RETURN(const int32_t index, PeriodIndex(facts, period));
  SignalTable table;
  absl::Status status;
  ForEachEnvelope(facts, index, [&](const ScopeFacts& scope) {
    CustomerSignals& s = table.For(scope.ref.key, facts);
    if (status.ok()) status = AddTo(s.budget_minor, scope.balance.budget_minor);
    if (status.ok()) status = AddTo(s.spent_minor, scope.balance.spent_minor);
  });
  UPKEEP_RETURN_IF_ERROR(status);
  UPKEEP_RETURN_IF_ERROR(AddRecords(log, period, facts, table));
  return table.TakeSorted();
}

absl::StatusOr<EffectivenessReport> Effectiveness(const Facts& facts, const FeedbackLog& log,
                                                  const EffectivenessRequest& request) {
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<CustomerSignals> signals,
                          CollectSignals(facts, log, request.period));
  Groups groups;
  if (request.group_by == Dimension::kCategory) {
    UPKEEP_ASSIGN_OR_RETURN(const int32_t index, PeriodIndex(facts, request.period));
    std::vector<CategorySpend> spends;
    ForEachEnvelope(facts, index, [&](const ScopeFacts& scope) {
      const auto it = std::lower_bound(
          signals.begin(), signals.end(), scope.ref.key,
          [](const CustomerSignals& s, const std::string& id) { return s.customer < id; });
      spends.push_back({static_cast<size_t>(it - signals.begin()), scope.ref.category,
                        scope.balance.budget_minor, scope.balance.spent_minor});
    });
    UPKEEP_RETURN_IF_ERROR(GroupByCategory(signals, spends, groups));
  } else {
    for (const CustomerSignals& s : signals) {
      auto& [row, tallies] = groups.Row(KeyOf(s, request.group_by));
      UPKEEP_RETURN_IF_ERROR(Accumulate(row, s, s.budget_minor, s.spent_minor, s.revenue_minor,
                                        s.revenue_before_minor));
      tallies.Add(s);
    }
  }
  EffectivenessReport report{.period = request.period, .group_by = request.group_by};
  report.total.key = "total";
  Tallies total_tallies;
  for (const CustomerSignals& s : signals) {
    UPKEEP_RETURN_IF_ERROR(Accumulate(report.total, s, s.budget_minor, s.spent_minor,
                                      s.revenue_minor, s.revenue_before_minor));
    total_tallies.Add(s);
  }
  UPKEEP_RETURN_IF_ERROR(Finish(report.total, total_tallies));
  for (auto& [key, entry] : groups.rows) {
    UPKEEP_RETURN_IF_ERROR(Finish(entry.first, entry.second));
    report.rows.push_back(std::move(entry.first));
  }
  std::vector<const EffectivenessRow*> ranked;
  for (const EffectivenessRow& row : report.rows) ranked.push_back(&row);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const EffectivenessRow* a, const EffectivenessRow* b) {
                     if (a->return_bp.has_value() != b->return_bp.has_value()) {
                       return a->return_bp.has_value();
                     }
                     return a->return_bp.value_or(0) > b->return_bp.value_or(0);
                   });
  for (const EffectivenessRow* row : ranked) report.ranking.push_back(row->key);
  return report;
}

nlohmann::json ToJson(const EffectivenessReport& report, Currency currency) {
  nlohmann::json rows = nlohmann::json::array();
  for (const EffectivenessRow& row : report.rows) rows.push_back(RowJson(row, currency));
  return {{"report", "effectiveness"},
          {"period", report.period},
          {"group_by", std::string(DimensionName(report.group_by))},
          {"currency", std::string(currency.code())},
          {"rows", std::move(rows)},
          {"total", RowJson(report.total, currency)},
          {"ranking", report.ranking}};
}

}  // namespace upkeep::monitor

#include "upkeep/monitor/monitor.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "monitor/alert_text.h"
#include "monitor/anomaly.h"
#include "upkeep/status.h"

namespace upkeep::monitor {

// What the rules compare, for one scope at one time.
struct Monitor::Eval {
  int64_t time_micros = 0;
  const ledger::Period* period = nullptr;  // nullptr: the window is unknown
  ledger::ScopeRef ref{};
  ledger::Balance balance{};
  int64_t used_minor = 0;
  int64_t utilization_bp = 0;
  int64_t elapsed_bp = 0;
  int64_t projected_minor = 0;
  int64_t threshold_bp = 0;  // set per slot
  int64_t spend_minor = 0;
  int64_t median_minor = 0;
};

namespace {

bool Matches(const AlertRule& rule, const ScopeFacts& scope, const Facts& facts) {
  if (rule.level != scope.ref.kind) return false;
  if (!rule.key.empty() && rule.key != scope.ref.key) return false;
  if (!rule.category.empty() && rule.category != scope.ref.category) return false;
  if (rule.kind == AlertKind::kUnderUse && !rule.tiers.empty()) {
    if (scope.customer == kNoIndex) return false;
    const std::string& tier = facts.customers()[static_cast<size_t>(scope.customer)].tier;
    return std::find(rule.tiers.begin(), rule.tiers.end(), tier) != rule.tiers.end();
  }
  return true;
}

uint64_t ActiveKey(ledger::ScopeId id, size_t slot) { return (uint64_t{id} << 8) | slot; }

}  // namespace

Monitor::Monitor(MonitorOptions options)
    : currency_(options.currency),
      policy_(std::move(options.policy)),
      alert_log_max_(std::max<size_t>(1, options.alert_log_max)) {
  size_t slot = 0;
  for (const AlertRule& rule : policy_.rules) {
    slot_base_.push_back(slot);
    slot += std::max<size_t>(1, rule.thresholds_bp.size());
  }
}

Monitor::~Monitor() = default;

void Monitor::Attach(ledger::Ledger* ledger) {
  SetDescriber([ledger](ledger::ScopeId id) { return ledger->DescribeScope(id); });
  ledger->AddObserver(this);
}

void Monitor::SetDescriber(ScopeDescriber describe) {
  WriterLock lock(&mu_);
  describe_ = std::move(describe);
}

void Monitor::AddPeriod(const ledger::Period& period) {
  WriterLock lock(&mu_);
  facts_.AddPeriod(period);
}

void Monitor::AddCustomer(const CustomerFacts& customer) {
  WriterLock lock(&mu_);
  facts_.AddCustomer(customer);
}

void Monitor::Subscribe(AlertSink* sink) {
  WriterLock lock(&mu_);
  sinks_.push_back(sink);
}

void Monitor::WatchLocked(ledger::ScopeId id) {
  if (id >= watches_.size()) watches_.resize(size_t{id} + 1);
  Watch& watch = watches_[id];
  if (watch.ready) return;
  const ScopeFacts& scope = facts_.scopes()[id];
  if (!scope.known) return;
  watch.ready = true;
  for (size_t r = 0; r < policy_.rules.size(); ++r) {
    if (Matches(policy_.rules[r], scope, facts_)) watch.rules.push_back(static_cast<uint8_t>(r));
  }
}

void Monitor::OnApplied(const ledger::Event& event, std::span<const ledger::ScopeChange> changed) {
  WriterLock lock(&mu_);
  absl::InlinedVector<int64_t, 8> spent_before;
  for (const ledger::ScopeChange& change : changed) {
    spent_before.push_back(facts_.spent_minor(change.scope));
  }
  facts_.Apply(event, changed, describe_);
  if (policy_.rules.empty()) return;
  for (size_t i = 0; i < changed.size(); ++i) {
    const ledger::ScopeChange& change = changed[i];
    WatchLocked(change.scope);
    if (watches_[change.scope].rules.empty()) continue;
    EvaluateLocked(change.scope, event.time_micros, change.balance.spent_minor - spent_before[i],
                   false);
  }
}

void Monitor::Sweep(int64_t now_micros) {
  WriterLock lock(&mu_);
  for (size_t id = 0; id < watches_.size(); ++id) {
    if (!watches_[id].rules.empty()) {
      EvaluateLocked(static_cast<ledger::ScopeId>(id), now_micros, 0, true);
    }
  }
}

void Monitor::EvaluateLocked(ledger::ScopeId id, int64_t time_micros, int64_t spend_minor,
                             bool time_only) {
  const ScopeFacts& scope = facts_.scopes()[id];
  Eval e;
  e.time_micros = time_micros;
  e.ref = scope.ref;
  e.balance = scope.balance;
  e.spend_minor = spend_minor;
  e.used_minor = scope.balance.spent_minor + scope.balance.reserved_minor;
  e.utilization_bp = ShareBasisPoints(e.used_minor, scope.balance.budget_minor);
  std::optional<int32_t> period = scope.period;
  if (*period == kNoIndex) period = facts_.FindPeriod(scope.ref.period);
  if (period) {
    e.period = &facts_.periods()[static_cast<size_t>(*period)];
    const int64_t length = e.period->end_micros - e.period->start_micros;
    if (length <= 0) e.period = nullptr;
    if (e.period != nullptr) {
      const int64_t at = std::clamp(time_micros, e.period->start_micros, e.period->end_micros);
      e.elapsed_bp = ShareBasisPoints(at - e.period->start_micros, length);
    }
  }
  std::vector<int64_t>* history = nullptr;
  if (scope.customer != kNoIndex && spend_minor > 0 && !time_only) {
    if (history_.size() <= static_cast<size_t>(scope.customer)) {
      history_.resize(static_cast<size_t>(scope.customer) + 1);
    }
    history = &history_[static_cast<size_t>(scope.customer)];
  }
  Watch& watch = watches_[id];
  for (const uint8_t r : watch.rules) {
    const AlertRule& rule = policy_.rules[r];
    const size_t slot = slot_base_[r];
    switch (rule.kind) {
      case AlertKind::kThreshold:
        if (time_only) break;
        for (size_t t = 0; t < rule.thresholds_bp.size(); ++t) {
          e.threshold_bp = rule.thresholds_bp[t];
          SetStateLocked(id, rule, slot + t, e.utilization_bp >= e.threshold_bp, e);
        }
        break;
      case AlertKind::kPace: {
        if (e.period == nullptr) break;
        e.threshold_bp = rule.ahead_bp;
        const bool holds = e.elapsed_bp >= rule.min_elapsed_bp &&
                           absl::int128(e.utilization_bp) * 10000 >
                               absl::int128(e.elapsed_bp) * (10000 + rule.ahead_bp);
        SetStateLocked(id, rule, slot, holds, e);
        break;
      }
      case AlertKind::kForecastBreach: {
        if (e.period == nullptr) break;
        absl::StatusOr<Projection> p =
            policy_.forecast->Project({.start_micros = e.period->start_micros,
                                       .end_micros = e.period->end_micros,
                                       .now_micros = time_micros,
                                       .used_minor = e.used_minor,
                                       .currency = currency_,
                                       .explain = false});
        if (!p.ok()) break;
        e.projected_minor = p->projected_minor;
        e.threshold_bp = rule.margin_bp;
        const bool holds = absl::int128(e.projected_minor) * 10000 >
                           absl::int128(scope.balance.budget_minor) * (10000 + rule.margin_bp);
        SetStateLocked(id, rule, slot, holds, e);
        break;
      }
      case AlertKind::kAnomaly: {
        if (history == nullptr) break;
        const internal::AnomalyScore score = internal::ScoreSpend(*history, spend_minor);
        e.median_minor = score.median_minor;
        e.threshold_bp = static_cast<int64_t>(std::llround(rule.z * 100));
        const bool holds =
            static_cast<int32_t>(history->size()) >= rule.min_history && score.z > rule.z;
        SetStateLocked(id, rule, slot, holds, e);
        break;
      }
      case AlertKind::kUnderUse: {
        if (e.period == nullptr) break;
        e.threshold_bp = rule.max_utilization_bp;
        const bool holds = scope.balance.budget_minor > 0 &&
                           e.elapsed_bp >= rule.after_elapsed_bp &&
                           e.utilization_bp <= rule.max_utilization_bp;
        SetStateLocked(id, rule, slot, holds, e);
        break;
      }
    }
  }
  if (history != nullptr) internal::Remember(history, spend_minor);
}

void Monitor::SetStateLocked(ledger::ScopeId id, const AlertRule& rule, size_t slot, bool holds,
                             const Eval& e) {
  Watch& watch = watches_[id];
  const uint64_t bit = uint64_t{1} << slot;
  const bool active = (watch.active & bit) != 0;
  if (holds == active) return;
  Alert alert;
  alert.rule_id = rule.id;
  alert.kind = rule.kind;
  alert.cleared = !holds;
  alert.threshold_bp = e.threshold_bp;
  alert.time_micros = e.time_micros;
  alert.spend_minor = e.spend_minor;
  alert.median_minor = e.median_minor;
  if (e.period != nullptr) {
    absl::StatusOr<ScopeMetrics> metrics = ComputeMetrics({.scope = e.ref,
                                                           .balance = e.balance,
                                                           .period = *e.period,
                                                           .now_micros = e.time_micros,
                                                           .currency = currency_},
                                                          *policy_.forecast);
    if (metrics.ok()) alert.metrics = *std::move(metrics);
  }
  if (alert.metrics.scope.period.empty()) {  // no window: the balance alone
    alert.metrics.scope = e.ref;
    alert.metrics.budget_minor = e.balance.budget_minor;
    alert.metrics.reserved_minor = e.balance.reserved_minor;
    alert.metrics.spent_minor = e.balance.spent_minor;
    alert.metrics.available_minor = e.balance.available_minor;
    alert.metrics.used_minor = e.used_minor;
    alert.metrics.utilization_bp = e.utilization_bp;
  }
  alert.message = internal::AlertMessage(alert, rule, currency_);
  alert.seq = next_seq_++;  // before the copy kept in active_, which ActiveAlerts orders by it
  const uint64_t key = ActiveKey(id, slot);
  if (holds) {
    watch.active |= bit;
    active_[key] = alert;
  } else {
    watch.active &= ~bit;
    active_.erase(key);
  }
  EmitLocked(std::move(alert));
}

void Monitor::EmitLocked(Alert alert) {
  if (log_.size() >= alert_log_max_) {
    const size_t drop = log_.size() / 2 + 1;
    log_.erase(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(drop));
    taken_ = taken_ > drop ? taken_ - drop : 0;
  }
  log_.push_back(std::move(alert));
  for (AlertSink* sink : sinks_) sink->OnAlert(log_.back());
}

std::vector<Alert> Monitor::ActiveAlerts() const {
  WriterLock lock(&mu_);
  std::vector<Alert> alerts;
  alerts.reserve(active_.size());
  for (const auto& [key, alert] : active_) alerts.push_back(alert);
  std::sort(alerts.begin(), alerts.end(),
            [](const Alert& a, const Alert& b) { return a.seq < b.seq; });
  return alerts;
}

std::vector<Alert> Monitor::TakeAlerts() {
  WriterLock lock(&mu_);
  std::vector<Alert> fresh(log_.begin() + static_cast<std::ptrdiff_t>(taken_), log_.end());
  taken_ = log_.size();
  return fresh;
}

std::vector<Alert> Monitor::AlertLog() const {
  WriterLock lock(&mu_);
  return log_;
}

absl::StatusOr<ScopeMetrics> Monitor::Metrics(const ledger::ScopeRef& scope, int64_t now_micros,
                                              std::optional<int64_t> plan_minor) const {
  WriterLock lock(&mu_);
  const std::optional<ledger::ScopeId> id = facts_.FindScope(scope);
  if (!id) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("the monitor has not seen scope ", scope.ToString()));
  }
  const std::optional<int32_t> period = facts_.FindPeriod(scope.period);
  if (!period) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("the monitor does not know period '", scope.period, "'"));
  }
  return ComputeMetrics({.scope = scope,
                         .balance = facts_.scopes()[*id].balance,
                         .period = facts_.periods()[static_cast<size_t>(*period)],
                         .now_micros = now_micros,
                         .currency = currency_,
                         .plan_minor = plan_minor},
                        *policy_.forecast);
}

void Monitor::ReadFacts(absl::FunctionRef<void(const Facts&)> read) const {
  WriterLock lock(&mu_);
  read(facts_);
}

}  // namespace upkeep::monitor

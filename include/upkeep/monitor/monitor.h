// upkeep/monitor/monitor.h: live monitoring of a ledger, with alerts (有效监控).
//
// A Monitor is a LedgerObserver: attached to a ledger, it sees every applied event with the
// balances it changed, keeps the Facts (facts.h) that reports read, and evaluates the alert
// rules of its MonitoringPolicy (alerts.h) on each scope the event changed, at the event's time.
// An alert is raised once per rule (threshold) and scope and stays active until its condition
// stops holding; then a "cleared" alert follows. Rules that depend on time passing (under-use,
// pace, forecast) are also evaluated by Sweep(now) over every watched scope: the host calls it
// (e.g. daily); the engine has no thread or clock of its own.
//
//   upkeep::monitor::Monitor monitor({.currency = cny, .policy = policy});
//   monitor.Attach(ledger.get());      // before the ledger's first event, or see AddPeriod
//   monitor.Subscribe(&my_sink);       // delivered as raised
//   ledger->Reserve(...);              // may raise "usage@80 on 2024-Q1/customer:c-001/gift"
//   monitor.Sweep(now_micros);         // under-use late in the period
//   std::vector<Alert> fresh = monitor.TakeAlerts();  // pull what was raised since last time
//
// Callbacks: AlertSink::OnAlert runs on the thread that changed the ledger, inside the ledger's
// observer callback (the ledger's write lock held) or inside Sweep, with the monitor's lock
// held: it must be quick, must not throw, and must not call the ledger or the monitor.
// Ownership: the host owns the Monitor, its sinks, and the ledger; the Monitor must outlive
// the ledger it is attached to (or the ledger must not change after the Monitor is gone).
// Thread safety: all methods may be called from many threads; one lock guards the state.
#ifndef UPKEEP_MONITOR_MONITOR_H_
#define UPKEEP_MONITOR_MONITOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/ledger/observer.h"
#include "upkeep/monitor/alerts.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/monitor/feedback.h"
#include "upkeep/monitor/metrics.h"
#include "upkeep/shared_mutex.h"

namespace upkeep::monitor {

struct MonitorOptions {
  Currency currency{};
  MonitoringPolicy policy{};
  size_t alert_log_max = 100'000;  // oldest log entries are dropped beyond this
};

class Monitor final : public ledger::LedgerObserver {
 public:
  explicit Monitor(MonitorOptions options);
  ~Monitor() override;
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Observes `ledger` (AddObserver) and names scopes with its DescribeScope. Periods and
  // customers defined before attaching must be told with AddPeriod / AddCustomer.
  void Attach(ledger::Ledger* ledger);
  // For a monitor fed by hand (tests, a host that replays a journal itself).
  void SetDescriber(ScopeDescriber describe);
  void AddPeriod(const ledger::Period& period);
  void AddCustomer(const CustomerFacts& customer);
  // `sink` receives every alert raised or cleared from now on. Not owned.
  void Subscribe(AlertSink* sink);

  void OnApplied(const ledger::Event& event, std::span<const ledger::ScopeChange> changed) override;

  // Evaluates the time-driven rules on every watched scope at `now_micros`.
  void Sweep(int64_t now_micros);

  // The alerts now active (raised, not cleared), in the order raised.
  std::vector<Alert> ActiveAlerts() const;
  // Every alert raised or cleared since the last call (or since the start).
  std::vector<Alert> TakeAlerts();
  // The whole log (bounded by alert_log_max).
  std::vector<Alert> AlertLog() const;

  // The numbers of `scope` at `now_micros`; kNotFound for a scope or period the monitor has
  // not seen.
  absl::StatusOr<ScopeMetrics> Metrics(const ledger::ScopeRef& scope, int64_t now_micros,
                                       std::optional<int64_t> plan_minor = std::nullopt) const;
  // Runs `read` with the facts, under the monitor's lock (do not call the monitor from it).
  void ReadFacts(absl::FunctionRef<void(const Facts&)> read) const;

  // Keeps an outcome, customer feedback or assessment (feedback.h), checked against the
  // customers and periods the monitor has seen (kNotFound naming an unknown one).
  absl::StatusOr<RecordResult> Record(const OutcomeRecord& record);
  absl::StatusOr<RecordResult> Record(const CustomerFeedback& record);
  absl::StatusOr<RecordResult> Record(const Assessment& record);
  // Runs `read` with the facts and the feedback log, under the monitor's lock; effectiveness
  // (effectiveness.h) and proposals (proposal.h) are computed from them.
  void ReadFeedback(absl::FunctionRef<void(const Facts&, const FeedbackLog&)> read) const;
  Currency currency() const { return currency_; }
  const MonitoringPolicy& policy() const { return policy_; }

 private:
  struct Watch {
    bool ready = false;
    std::vector<uint8_t> rules{};  // indexes into policy_.rules that watch this scope
    uint64_t active = 0;           // bit per alert slot
  };
  struct Eval;
  void WatchLocked(ledger::ScopeId id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EvaluateLocked(ledger::ScopeId id, int64_t time_micros, int64_t spend_minor, bool time_only)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetStateLocked(ledger::ScopeId id, const AlertRule& rule, size_t slot, bool holds,
                      const Eval& eval) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EmitLocked(Alert alert) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  FeedbackChecker CheckerLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Currency currency_;
  const MonitoringPolicy policy_;
  const size_t alert_log_max_;
  std::vector<size_t> slot_base_{};  // per rule, its first slot

  mutable SharedMutex mu_;
  ScopeDescriber describe_ ABSL_GUARDED_BY(mu_){};
  Facts facts_ ABSL_GUARDED_BY(mu_){};
  FeedbackLog feedback_ ABSL_GUARDED_BY(mu_){};
  std::vector<Watch> watches_ ABSL_GUARDED_BY(mu_){};                   // per ScopeId
  std::vector<std::vector<int64_t>> history_ ABSL_GUARDED_BY(mu_){};    // per customer: spends
  absl::flat_hash_map<uint64_t, Alert> active_ ABSL_GUARDED_BY(mu_){};  // (scope, slot)
  std::vector<Alert> log_ ABSL_GUARDED_BY(mu_){};
  size_t taken_ ABSL_GUARDED_BY(mu_) = 0;  // log entries already taken
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<AlertSink*> sinks_ ABSL_GUARDED_BY(mu_){};
};

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_MONITOR_H_

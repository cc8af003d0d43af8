// upkeep/ledger/ledger.h: the budget ledger: scopes, two-phase reservations, control, approvals.
//
// A Ledger keeps the budgets of one book in one currency. Budgets live at scopes (types.h) that
// form a tree per period and category: company -> tier pool -> customer envelope; owner and
// region budgets may cross it. Every request is checked at every scope on its path at once and
// applied all or nothing.
//
//   upkeep::ledger::MemoryJournal journal;
//   auto ledger = upkeep::ledger::Ledger::Create({.currency = cny, .journal = &journal}).value();
//   ledger->DefineCategory("admin", "gift");
//   ledger->DefineTier("admin", "A");
//   ledger->DefineCustomer("admin", {.id = "c-001", .tier = "A", .owner = "amy"});
//   ledger->DefinePeriod("admin", {"2024-Q1", start_micros, end_micros});
//   ledger->ApplyAllocation({.op_id = "alloc-1", .actor = "admin", .period = "2024-Q1",
//                            .category = "gift", .envelopes = {{"c-001", "A", 100000}}});
//   Result r = ledger->Reserve({.op_id = "r-1", .actor = "amy", .period = "2024-Q1",
//                               .customer = "c-001", .category = "gift",
//                               .amount = Money::FromMinor(30000, cny)}).value();
//   ledger->Post({.op_id = "p-1", .actor = "amy", .reservation_id = "r-1"});  // spends 300.00
//
// Operations take a caller-chosen op id and apply at most once: the same id with the same
// payload returns the first result (Result::replayed); with a different payload it is
// kIdempotencyConflict. A rejected request (or any error) changes nothing and does not use up its
// id. Resolving a reservation twice (post after void, double post) is kInvalidState.
//
// Every state change is first appended to the journal (write-ahead) and then applied; Replay()
// rebuilds the same state from a journal, including the control policies (SetPolicies is
// journaled). An operation that writes several events writes them with Journal::AppendBatch.
// WriteSnapshot() encodes the whole state; Restore() loads a snapshot and replays the journal
// entries after it, which gives the same state as replaying the whole journal.
//
// Hot loops may resolve an envelope once (ResolveEnvelope) and pass the handle in
// Request::envelope instead of the period, customer and category names.
//
// Observers (observer.h) are told about every applied event and the balances it changed.
//
// Governance. Every call names an actor, checked first (unknown: kNotFound; not allowed:
// kPermissionDenied):
//   account manager: reserve, spend, check, post, void for customers they own;
//   manager:         the above for every customer, refunds, approvals, expire;
//   finance:         the above, plus budgets (allocation, revision, transfer) and periods;
//   admin:           everything, including actors, categories, tiers, customers and policies.
// A request that needs approval waits as a pending approval; an approver other than the
// requester approves (the request is decided again with approval granted) or rejects it.
//
// Ownership: the Ledger does not own the Journal; it must outlive the Ledger.
// Thread safety: all methods may be called from many threads. Changes are serialised by one
// lock; Check and the read methods share it (readers run in parallel). Observers run under the
// write lock (see observer.h).
#ifndef UPKEEP_LEDGER_LEDGER_H_
#define UPKEEP_LEDGER_LEDGER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/control.h"
#include "upkeep/ledger/decision.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/ledger/observer.h"
#include "upkeep/ledger/types.h"
#include "upkeep/money.h"
#include "upkeep/shared_mutex.h"

namespace upkeep::ledger {

struct LedgerOptions {
  Currency currency{};
  Journal* journal = nullptr;             // required, empty for Create; not owned
  std::string bootstrap_admin = "admin";  // the first actor, an admin (Create only)
  // Read once per change: its decision (windowed limits, custom rules) and its events carry
  // that one time; a batch of changes reads it once for all its requests. A check (alone or in
  // a batch) reads it only when a rule asks for the time. Default: the system clock.
  std::function<int64_t()> clock_micros{};
  bool refund_returns_to_budget = true;  // the default refund policy
  // Told about every applied event, in this order; not owned (see observer.h).
  std::vector<LedgerObserver*> observers{};
  // Custom control policies named in journaled policy documents are rebuilt from this registry
  // by Replay and Restore; required only when such policies were set. Not owned.
  const ControlPolicyRegistry* control_registry = nullptr;
};

// A customer envelope (period, customer, category) resolved once, for hot loops: pass it in
// Request::envelope. Valid for the life of the ledger (and of a replayed or restored copy).
struct EnvelopeHandle {
  static constexpr ScopeId kNone = 0xFFFFFFFFu;
  ScopeId envelope = kNone;
  bool valid() const { return envelope != kNone; }
  friend bool operator==(const EnvelopeHandle&, const EnvelopeHandle&) = default;
};

struct CustomerInfo {
  std::string id{};
  std::string tier{};
  std::string owner{};   // the account manager's actor id; may be empty
  std::string region{};  // may be empty
};

// A reserve, a spend, or a dry-run check of either. The envelope is named either by period,
// customer and category, or by a handle from ResolveEnvelope (then those three must be empty).
struct Request {
  std::string_view op_id{};
  std::string_view actor{};
  std::string_view period{};
  std::string_view customer{};
  std::string_view category{};
  EnvelopeHandle envelope{};
  Money amount{};
  int64_t expiry_micros = 0;  // reserve only; 0: never expires
  std::string_view reason{};
  bool explain = false;  // also give reasons for a plain approval
};

struct Result {
  Decision decision{};
  bool replayed = false;  // this op id was applied before; this is its first result again
};

struct PostRequest {
  std::string_view op_id{};
  std::string_view actor{};
  std::string_view reservation_id{};
  std::optional<Money> amount{};  // nullopt: the whole reservation; less: the rest is released
  std::string_view reason{};
};

struct VoidRequest {
  std::string_view op_id{};
  std::string_view actor{};
  std::string_view reservation_id{};
  std::string_view reason{};
};

struct RefundRequest {
  std::string_view op_id{};
  std::string_view actor{};
  std::string_view target_id{};            // a spend, or a posted reservation
  std::optional<Money> amount{};           // nullopt: all that is not yet refunded (a reversal)
  std::optional<bool> return_to_budget{};  // nullopt: LedgerOptions::refund_returns_to_budget
  std::string_view reason{};
};

struct TransferRequest {
  std::string_view op_id{};
  std::string_view actor{};
  ScopeRef from{};
  ScopeRef to{};
  Money amount{};
  std::string_view reason{};  // required
};

struct ReviseRequest {
  std::string_view op_id{};
  std::string_view actor{};
  ScopeRef scope{};
  Money budget{};             // the new budget
  std::string_view reason{};  // required
};

struct EnvelopeBudget {
  std::string customer{};
  std::string tier{};  // empty: the customer's tier; otherwise must match it
  int64_t amount_minor = 0;
};

// Turns an allocation result into budgets in one step: an envelope per customer, a tier pool per
// tier (the sum of its envelopes) and the company (the sum of all), for one period and category.
struct AllocationRequest {
  std::string_view op_id{};
  std::string_view actor{};
  std::string_view period{};
  std::string_view category{};
  std::vector<EnvelopeBudget> envelopes{};
  std::string_view reason{};
};

// A budget for an owner or a region (crossing the tree), counted from the envelopes below it.
struct DimensionBudgetRequest {
  std::string_view op_id{};
  std::string_view actor{};
  ScopeRef scope{};  // kind kOwner or kRegion
  Money budget{};
  std::string_view reason{};
};

struct ApprovalRequest {
  std::string_view actor{};        // the approver
  std::string_view approval_id{};  // the op id of the request that needs approval
  std::string_view reason{};
};

struct PendingApproval {
  std::string approval_id{};
  std::string requester{};
  ScopeRef envelope{};
  int64_t amount_minor = 0;
  bool is_spend = false;
};

enum class ReservationStatus : uint8_t { kOpen, kPosted, kVoided, kExpired, kPending };

struct ReservationInfo {
  ReservationStatus status = ReservationStatus::kOpen;
  ScopeRef envelope{};
  int64_t amount_minor = 0;
  int64_t posted_minor = 0;
  int64_t refunded_minor = 0;
  int64_t expiry_micros = 0;
};

// One scope and its numbers, for reports and invariant checks.
struct ScopeSnapshot {
  ScopeRef scope{};
  Balance balance{};
  int64_t children_budget_minor = 0;  // the sum of its children's budgets (tree parents)
  std::optional<ScopeRef> parent{};
  ControlMode mode = ControlMode::kBlock;  // its availability rule
};

class LedgerState;

class Ledger {
 public:
  // A new, empty ledger; its journal must be empty. Defines options.bootstrap_admin.
  static absl::StatusOr<std::unique_ptr<Ledger>> Create(LedgerOptions options);
  // A ledger rebuilt from every event of `source`, journaling into options.journal (empty).
  static absl::StatusOr<std::unique_ptr<Ledger>> Replay(const Journal& source,
                                                        LedgerOptions options);
  // A ledger loaded from `snapshot` (WriteSnapshot) and brought up to date with the entries of
  // options.journal after the ones the snapshot covers; it goes on journaling there. The
  // journal must hold every event (at least those the snapshot covers). kCorrupt for a damaged
  // snapshot or one whose chain head differs from the journal's; kUnsupportedVersion for a
  // snapshot from a newer version.
  static absl::StatusOr<std::unique_ptr<Ledger>> Restore(std::string_view snapshot,
                                                         LedgerOptions options);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Definitions (admin; periods also finance). Ids are non-empty UTF-8; duplicates are
  // kAlreadyExists.
  absl::Status DefineActor(std::string_view actor, const Actor& subject);
  absl::Status DefineCategory(std::string_view actor, std::string_view category);
  absl::Status DefineTier(std::string_view actor, std::string_view tier);
  absl::Status DefineCustomer(std::string_view actor, const CustomerInfo& customer);
  absl::Status DefinePeriod(std::string_view actor, const Period& period);
  absl::Status ClosePeriod(std::string_view actor, std::string_view period);
  // Replaces the control policies (admin). Journaled as a policy document with a version
  // (1, 2, ...), so Replay and Restore rebuild them. Custom policies are journaled by name and
  // params, and rebuilt from LedgerOptions::control_registry.
  absl::Status SetPolicies(std::string_view actor, ControlPolicySet policies);

  // Budgets (finance, admin).
  absl::Status ApplyAllocation(const AllocationRequest& request);
  absl::Status SetDimensionBudget(const DimensionBudgetRequest& request);
  absl::Status Revise(const ReviseRequest& request);
  absl::Status Transfer(const TransferRequest& request);

  // Money movements. A rejected request returns OK with a kReject decision and changes nothing.
  absl::StatusOr<Result> Reserve(const Request& request);
  absl::StatusOr<Result> Spend(const Request& request);
  // The decision Reserve (or, with as_spend, Spend) would give now; changes nothing.
  absl::StatusOr<Result> Check(const Request& request, bool as_spend = false) const;
  absl::Status Post(const PostRequest& request);
  // Batches: each request as Reserve / Spend / Post would do it, in order, under one lock
  // acquisition, with the memory of the next requests loaded while one is decided (the batch
  // forms are several times cheaper per request for hosts that move many at once), all at the
  // one time the batch read from the clock. Element i is request i's answer; one request's error
  // does not stop the others. Other threads' requests wait for the whole batch.
  std::vector<absl::StatusOr<Result>> ReserveBatch(std::span<const Request> requests);
  std::vector<absl::StatusOr<Result>> SpendBatch(std::span<const Request> requests);
  std::vector<absl::Status> PostBatch(std::span<const PostRequest> requests);
  // Check for each request, against the state as it is (the requests do not see each other:
  // each is answered as if it were the only one), loading the next requests' memory like the
  // batches above. Changes nothing. The shared lock is taken once for each 1,024 requests (a
  // turn, about 0.2 ms): other threads' checks run beside it, and a change from another thread
  // goes ahead between two turns instead of waiting for the whole batch (checks on other
  // threads hold the lock shared too and can keep it waiting longer; figures in
  // docs/threading.md). A change made between turns is seen by the requests after it.
  std::vector<absl::StatusOr<Result>> CheckBatch(std::span<const Request> requests,
                                                 bool as_spend = false) const;
  // Makes room for `count` more operations (their ids, kept for idempotency) in one step, for a
  // host about to apply many (an import): the id table then does not grow, rehashing, on the
  // way. Changes no state; a count past what is needed only costs memory (8 bytes per id).
  void ReserveOperations(size_t count);
  absl::Status Void(const VoidRequest& request);
  absl::Status Refund(const RefundRequest& request);
  // Releases every open reservation whose expiry is <= now_micros; returns how many.
  absl::StatusOr<int64_t> Expire(std::string_view actor, int64_t now_micros);

  // Approvals (manager, finance, admin; never the requester).
  absl::StatusOr<Decision> Approve(const ApprovalRequest& request);
  absl::Status RejectApproval(const ApprovalRequest& request);
  // The requester (request.actor) takes back their own pending request; kPermissionDenied for
  // anyone else, kInvalidState if it is not pending. Its op id stays used: a retry of the
  // request answers reject (replayed).
  absl::Status WithdrawApproval(const ApprovalRequest& request);
  std::vector<PendingApproval> PendingApprovals() const;

  // Observers. AddObserver appends one (not owned; see observer.h).
  void AddObserver(LedgerObserver* observer);

  // Snapshots. The complete state, versioned, with the number of journal entries it covers and
  // the journal's chain head after them (the journal is sealed that far).
  absl::StatusOr<std::string> WriteSnapshot() const;

  // What a snapshot says about itself, read from its header without loading it.
  struct SnapshotInfo {
    uint64_t format = 0;     // the snapshot format (1, 2, ...)
    std::string currency{};  // the ledger's currency code
    uint64_t entries = 0;    // the journal entries it covers: [0, entries)
    Digest head{};           // the journal's chain hash after them; zeros when the journal had none
  };
  // Reads the header of `snapshot` (WriteSnapshot). Cheap: the checksum over the whole snapshot
  // is not checked here (Restore checks it). kCorrupt if it is not a ledger snapshot or its
  // header is cut short; kUnsupportedVersion for a format newer than this library's.
  static absl::StatusOr<SnapshotInfo> ReadSnapshotInfo(std::string_view snapshot);

  // Reads.
  Currency currency() const;
  // The handle of an existing envelope, for Request::envelope; kNotFound like Reserve.
  absl::StatusOr<EnvelopeHandle> ResolveEnvelope(std::string_view period, std::string_view customer,
                                                 std::string_view category) const;
  // A scope's dense id and back (observer.h). DescribeScope may be called from inside an
  // observer callback; kNotFound for an id that names no scope.
  absl::StatusOr<ScopeId> FindScopeId(const ScopeRef& scope) const;
  absl::StatusOr<ScopeRef> DescribeScope(ScopeId scope) const;
  absl::StatusOr<Balance> GetBalance(const ScopeRef& scope) const;
  absl::StatusOr<ReservationInfo> GetReservation(std::string_view op_id) const;
  std::vector<ScopeSnapshot> Scopes() const;
  // The balances of `scopes` (ScopeIds, observer.h; nullopt: every scope) read together at one
  // point of the journal, into `out` (cleared first); returns how many journal entries had been
  // applied at that point. For readers that keep a consistent copy of balances (the SQLite
  // store's readable tables). kNotFound for an id that names no scope; `out` is then empty.
  absl::StatusOr<uint64_t> ReadBalances(std::optional<std::span<const ScopeId>> scopes,
                                        std::vector<ScopeChange>* out) const;
  // The journaled events that changed `scope` (budgets, reservations, spends, transfers), in
  // order: the history behind its balance.
  absl::StatusOr<std::vector<Event>> History(const ScopeRef& scope) const;
  // A canonical text of the whole state; two ledgers with equal dumps are in the same state.
  std::string DumpState() const;
  // Bytes of memory the ledger holds (not counting the journal).
  size_t MemoryBytes() const;

 private:
  explicit Ledger(LedgerOptions options);

  mutable SharedMutex mu_;
  std::unique_ptr<LedgerState> state_ ABSL_PT_GUARDED_BY(mu_);
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_LEDGER_H_

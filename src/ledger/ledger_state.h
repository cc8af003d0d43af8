// ledger/ledger_state.h: the ledger's data and the code that changes it. Internal.
//
// Everything is interned to dense indices: a scope is a 64-byte record in one flat array, found
// through one hash map keyed by (kind, period, category, key). Operations are records in a
// StableVector (segments that double; growing copies nothing), found by their interned op id.
//
// Every change is an event applied by ApplyEvent: the live operations (ledger_ops.cc and the
// others) journal it and apply it, passing what they already resolved as an EventHint; replay
// and restore apply journaled events the same way without hints. So replaying a journal
// rebuilds exactly the same state. ApplyEvent then tells the observers.
// Thread safety: none; class Ledger holds the lock.
#ifndef UPKEEP_SRC_LEDGER_LEDGER_STATE_H_
#define UPKEEP_SRC_LEDGER_LEDGER_STATE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/huge_pages.h"
#include "base/stable_vector.h"
#include "ledger/interner.h"
#include "upkeep/ledger/ledger.h"

namespace upkeep::ledger {

class Reader;  // ledger/codec.h

inline constexpr uint16_t kDefaultRule = 0xFFFF;

// A budget scope. One cache line each (56 bytes of fields, aligned to 64): reading a scope at
// random, as every request does with its envelope, is one cache miss, never two.
struct alignas(64) Scope {
  int64_t budget_minor = 0;
  int64_t reserved_minor = 0;
  int64_t spent_minor = 0;
  int64_t children_budget_minor = 0;
  uint32_t parent = kNone;  // tree parent (company and dimension scopes have none)
  uint32_t key = kNone;     // tier / customer / actor (owner) / region index; kNone for company
  uint16_t period = 0;
  uint16_t category = 0;
  int32_t version = 0;
  int32_t uses = 0;  // envelope: approved reservations (not released) and spends
  uint16_t rule = kDefaultRule;
  ScopeKind kind = ScopeKind::kCompany;

  int64_t available_minor() const { return budget_minor - reserved_minor - spent_minor; }
};

enum class OpKind : uint8_t { kReserve, kSpend, kPost, kVoid, kRefund, kTransfer, kBudget };
enum class OpStatus : uint8_t {
  kDone,
  kOpen,
  kPosted,
  kVoided,
  kExpired,
  kPending,
  kRejected,
  kWithdrawn
};

// One applied operation: what is needed to answer a retry and to resolve it later.
struct Op {
  int64_t amount_minor = 0;    // reserved / spent / posted / refunded / transferred / budget
  int64_t settled_minor = 0;   // reservation: posted; post: released
  int64_t refunded_minor = 0;  // reservation or spend: refunded so far
  int64_t expiry_micros = 0;
  uint64_t text_fingerprint = 0;  // of the payload's text (reason, allocation entries)
  uint32_t actor = kNone;
  uint32_t scope = kNone;  // envelope, from-scope, or budget scope
  uint32_t ref = kNone;    // post/void/refund: the op it resolves; transfer: the to-scope
  int32_t month = 0;       // calendar month (UTC, months since 1970-01) it was applied in
  OpKind kind = OpKind::kReserve;
  OpStatus status = OpStatus::kDone;
  Outcome outcome = Outcome::kApprove;  // reserve or spend: how it was decided
  bool implicit_amount = false;         // post or refund of "all of it"
  bool returned = false;                // refund: the money went back to the budget
};

// The scopes a request touches: the envelope, its tree ancestors, then owner and region scopes.
struct Path {
  std::array<uint32_t, 5> scopes{};
  int size = 0;
  void Add(uint32_t scope) { scopes[static_cast<size_t>(size++)] = scope; }
  const uint32_t* begin() const { return scopes.data(); }
  const uint32_t* end() const { return scopes.data() + size; }
};

// What the live path already knows, so that applying its event need not look it up again.
struct EventHint {
  uint32_t actor = kNone;
  uint32_t scope = kNone;
  uint32_t ref = kNone;
  std::optional<uint32_t> op_tag;        // Interner::TagOf(the event's op id), if known
  bool new_op = false;                   // the event's op id is known to be unused
  ControlPolicySet* policies = nullptr;  // kPoliciesSet: the set its document describes (moved)
  const Path* path = nullptr;            // PathOf(scope), when the live path found it
};

struct CustomerState {
  uint32_t tier = kNone;
  uint32_t owner = kNone;   // actor index
  uint32_t region = kNone;  // region index
};

struct PeriodState {
  int64_t start_micros = 0;
  int64_t end_micros = 0;
  bool closed = false;         // ClosePeriod
  bool policy_closed = false;  // listed in the policies' closed_periods
};

// A request resolved to indices.
struct Resolved {
  uint32_t actor = kNone;
  uint32_t customer = kNone;
  uint32_t period = kNone;
  uint32_t category = kNone;
  uint32_t envelope = kNone;
  int64_t amount_minor = 0;
  int64_t expiry_micros = 0;
  uint64_t text_fingerprint = 0;
  // When it is decided: one reading of the clock for the whole operation. Unset for a check,
  // which reads the clock only if a rule asks for the time.
  std::optional<int64_t> time_micros;
};

// What warming a request found (LedgerState::Warm, and a batch), so that deciding it does not
// look it up again. Valid for the rest of the ledger's life: names and scopes are never removed.
// Small enough to be returned in registers.
struct Prepared {
  uint32_t op_tag = 0;        // Interner::TagOf(its op id)
  uint32_t envelope = kNone;  // the envelope it names, if that exists
  uint32_t actor = kNone;     // its actor, when a batch found it (FindActor; never removed)
};

// The hash tags (Interner::TagOf) of a request's names, computed once for all the stages that
// look them up: its op id, its customer (a request by name; else 0) and the op it resolves (a
// post; else 0). Of is inline: out of line, its tags came back through the stack and the load
// that read them stalled (docs/architecture.md, "The ledger's hot path").
struct NameTags {
  uint32_t op = 0;
  uint32_t customer = 0;
  uint32_t target = 0;
  static NameTags Of(std::string_view op_id, const Request* request, std::string_view target_id) {
    NameTags tags{.op = Interner::TagOf(op_id)};
    if (request != nullptr && !request->envelope.valid()) {
      tags.customer = Interner::TagOf(request->customer);
    }
    if (!target_id.empty()) tags.target = Interner::TagOf(target_id);
    return tags;
  }
};

class EnvelopeTable;

// What PrefetchCustomer found for a request by name: the customer its name's hash slot points
// at (unconfirmed: the name itself was not compared), its period and category, and their
// envelope table (valid while no table is added: a batch of reserves or spends adds none).
struct CustomerGuess {
  uint32_t customer = kNone;
  uint32_t period = kNone;
  uint32_t category = kNone;
  const EnvelopeTable* envelopes = nullptr;
};

// The period and category names a batch's last request named and what they were found to be.
// Consecutive requests nearly always name the same two: comparing the names is cheaper than
// looking them up. The views are into that request (a batch keeps its requests).
struct NamesSeen {
  std::string_view period;
  std::string_view category;
  CustomerGuess found;  // its period, category and envelopes (customer unused)
};

// The envelopes of one (period, category): each customer's envelope scope, by customer index.
// An allocation creates a period's envelopes in customer order, so their scopes usually lie on
// a line (scope = origin_scope + step * (customer - origin_customer)): a request then loads its
// envelope's scope together with the customer's cell (Predict), instead of after it.
class EnvelopeTable {
 public:
  // The envelope scope of `customer`, or kNone.
  uint32_t Of(uint32_t customer) const {
    return customer < cells_.size() ? cells_[customer] : kNone;
  }
  // The address of `customer`'s cell (to prefetch). REQUIRES: customer < size().
  const uint32_t* CellOf(uint32_t customer) const { return &cells_[customer]; }
  size_t size() const { return cells_.size(); }
  size_t MemoryBytes() const { return cells_.capacity() * sizeof(uint32_t); }
  // Records `scope` as the envelope of `customer` (the table grows to `customers`).
  // REQUIRES: customer < customers.
  void Set(uint32_t customer, uint32_t scope, size_t customers);
  // The scope the line predicts for `customer` (unchecked: prefetch it, never read it as the
  // envelope), or kNone until kConfirmed envelopes lie on it with few off it.
  uint32_t Predict(uint32_t customer) const {
    return on_line_ >= kConfirmed && off_line_ * 8 <= on_line_ ? OnLine(customer) : kNone;
  }

 private:
  static constexpr uint32_t kConfirmed = 16;

  // Starts a line (its slope unknown until the next envelope) at this envelope.
  void StartLineAt(uint32_t customer, uint32_t scope);

  // The scope on the line at `customer`. In 64-bit unsigned arithmetic, which wraps: the low
  // 32 bits are the line's.
  uint32_t OnLine(uint32_t customer) const {
    const uint64_t offset =
        static_cast<uint64_t>(step_) * static_cast<uint64_t>(int64_t{customer} - origin_customer_);
    return origin_scope_ + static_cast<uint32_t>(offset);
  }

  HugePageVector<uint32_t> cells_;
  // The line: it goes through (origin_customer_, origin_scope_) with slope step_.
  uint32_t origin_customer_ = 0;
  uint32_t origin_scope_ = 0;
  int64_t step_ = 0;
  uint32_t on_line_ = 0;   // envelopes set on the line (the two that define it count)
  uint32_t off_line_ = 0;  // envelopes set off it: more than on it, and a new line starts
};

// The policies, resolved against the ledger's names.
struct CompiledPolicies {
  struct Limit {
    uint32_t category = kNone;     // kNone: any
    uint32_t tier = kNone;         // kNone: any
    bool matches_nothing = false;  // names a category or tier that does not exist
    size_t rule = 0;               // index in source.limits
  };
  ControlPolicySet source;
  std::vector<Limit> limits;
  bool windowed = false;                         // a frequency limit counts per month or quarter
  absl::flat_hash_map<uint64_t, size_t> denied;  // (tier << 32 | category) -> tier rule index
};

// 64-bit FNV-1a: a stable fingerprint of text in payloads (the same in every process).
uint64_t Fingerprint(std::string_view text, uint64_t seed = 0xcbf29ce484222325ull);

// The calendar month (UTC) of a time, as months since 1970-01.
int32_t MonthOf(int64_t time_micros);

// MonthOf for times that mostly repeat their day (the events of a ledger): the last day's month
// is remembered. Thread safety: none; the owner guards it.
class MonthsByDay {
 public:
  int32_t Of(int64_t time_micros) {
    constexpr int64_t kMicrosPerDay = 86'400'000'000;
    const int64_t day = time_micros / kMicrosPerDay - (time_micros % kMicrosPerDay < 0 ? 1 : 0);
    if (day != day_) {
      day_ = day;
      month_ = MonthOf(time_micros);
    }
    return month_;
  }

 private:
  int64_t day_ = INT64_MIN;  // no day yet: no time's day is INT64_MIN
  int32_t month_ = 0;
};

class LedgerState {
 public:
  explicit LedgerState(LedgerOptions options);

  // ---- names (ledger_state.cc)
  absl::StatusOr<uint32_t> FindActor(std::string_view id) const;  // defined actors only
  absl::StatusOr<uint32_t> FindPeriod(std::string_view id) const;
  absl::StatusOr<uint32_t> FindCategory(std::string_view id) const;
  absl::StatusOr<uint32_t> FindCustomer(std::string_view id) const;
  absl::StatusOr<uint32_t> FindScope(const ScopeRef& ref) const;
  uint32_t LookupScope(ScopeKind kind, uint32_t period, uint32_t category, uint32_t key) const;
  // The envelope of `customer` for (period, category), or kNone: one array read.
  uint32_t EnvelopeOf(uint32_t period, uint32_t category, uint32_t customer) const;
  // The envelope a request names, by names or by handle; kNotFound if there is none.
  absl::StatusOr<uint32_t> FindEnvelope(std::string_view period, std::string_view customer,
                                        std::string_view category) const;
  absl::StatusOr<uint32_t> FindEnvelope(EnvelopeHandle handle) const;
  // Sets `event`'s scope to the name of `scope`, reusing its strings' buffers.
  void NameScope(uint32_t scope, ScopeRef* out) const;
  ScopeRef RefOf(uint32_t scope) const;
  Balance BalanceOf(uint32_t index) const {  // inline: built in place of the caller's copy
    const Scope& scope = scopes[index];
    return Balance{.budget_minor = scope.budget_minor,
                   .reserved_minor = scope.reserved_minor,
                   .spent_minor = scope.spent_minor,
                   .available_minor = scope.available_minor(),
                   .budget_version = scope.version};
  }
  Path PathOf(uint32_t envelope) const;
  absl::Status CheckPeriodOpen(uint32_t period) const;
  absl::Status CheckMoney(const Money& amount, std::string_view what) const;
  std::string Format(int64_t amount_minor) const;
  // kNone if `op_id` is new; its index if it was applied with the same payload;
  // kIdempotencyConflict if with another.
  absl::StatusOr<uint32_t> FindRetry(std::string_view op_id, const Op& payload) const {
    return FindRetry(op_id, payload, Interner::TagOf(op_id));
  }
  // The same with `op_tag` == Interner::TagOf(op_id), computed once by the caller.
  absl::StatusOr<uint32_t> FindRetry(std::string_view op_id, const Op& payload,
                                     uint32_t op_tag) const;

  // ---- governance (ledger_governance.cc)
  // kPermissionDenied unless `actor` may do `what` (for `customer`, if not kNone).
  enum class Action : uint8_t {
    kDefine,
    kPeriods,
    kBudgets,
    kMoveMoney,
    kRefund,
    kApprove,
    kExpire
  };
  absl::Status Permit(uint32_t actor, Action action, uint32_t customer,
                      std::string_view what) const;

  // ---- control (ledger_control.cc)
  void SetPolicies(ControlPolicySet policies, std::string document);
  // Reservations and spends in use on `customer`'s `category` in the month or quarter that
  // contains `month` (see monthly_uses).
  int32_t UsesInWindow(uint32_t customer, uint32_t category, LimitWindow window,
                       int32_t month) const;
  // Counts reservation or spend `op` in (+1) or out (-1) of monthly_uses, if windowed limits
  // exist.
  void CountUse(uint32_t op, int32_t delta);
  // `path`: PathOf(request.envelope), which the caller has already found.
  void Decide(const Resolved& request, const Path& path, bool approval_granted, bool explain,
              Decision* decision) const;

  // ---- events (ledger_events.cc)
  // Applies one journaled event: registers its op and changes balances, then tells the
  // observers (OnReplayed when `replayed`). kCorrupt when it names something unknown. Live
  // operations, replay and restore all come through here.
  absl::Status ApplyEvent(const Event& event, const EventHint& hint, bool replayed);
  // Stamps `event` with the next seq and `time_micros` (when the operation was decided), appends
  // it to the journal, then applies it.
  absl::Status Record(Event* event, const EventHint& hint, int64_t time_micros);
  // The same at the clock's time now.
  absl::Status Record(Event* event, const EventHint& hint = {}) {
    return Record(event, hint, options.clock_micros());
  }
  // The same for several events that must be journaled together (Journal::AppendBatch).
  // REQUIRES: hints.size() == events.size().
  absl::Status RecordBatch(std::span<Event> events, std::span<const EventHint> hints,
                           int64_t time_micros);
  // The same at the clock's time now.
  absl::Status RecordBatch(std::span<Event> events, std::span<const EventHint> hints) {
    return RecordBatch(events, hints, options.clock_micros());
  }
  // The reused event of the live path, cleared, of `kind`.
  Event& NewEvent(EventKind kind);
  // What a retry of reserve or spend `op` answers: its first result, reasons included.
  Result RetryResult(uint32_t op) const;

  // ---- warming (ledger_ops.cc): load what a request will touch, ahead of deciding it
  // A batch loads each request's memory in stages, each reading what the one before loaded:
  // PrefetchNames, PrefetchCustomer, PrefetchEnvelope, then Warm, which finds it all loaded.
  // The hash slots of its op id and customer name (and of `target_id`); sets `tags` to their
  // tags, in place (docs/architecture.md, "The ledger's hot path").
  void PrefetchNames(std::string_view op_id, const Request* request, std::string_view target_id,
                     NameTags* tags) const;
  // With the customer's slot loaded: its name entry, its state and its envelope's cell in the
  // envelope table. Sets `guess` to the customer the slot points at (a guess: its name is
  // unread), in place as PrefetchNames does. `customer_tag`: NameTags::customer. `seen`: the
  // names a batch found last (updated here), or null.
  void PrefetchCustomer(const Request& request, uint32_t customer_tag, NamesSeen* seen,
                        CustomerGuess* guess) const;
  // With that cell loaded: the envelope's scope.
  void PrefetchEnvelope(const Request& request, const CustomerGuess& guess) const;
  // Its envelope and the scopes on its path, found by `request` or by the op `target_id`
  // resolves (either may be null / empty), whose names' tags are `tags`; returns what it found.
  // `guess`: what PrefetchCustomer found for `request` earlier (a batch), or null to guess now
  // (a single request); confirmed, it saves looking the names up.
  Prepared Warm(const NameTags& tags, const Request* request, std::string_view target_id,
                const CustomerGuess* guess) const;

  // ---- changes (ledger_apply.cc); callers have checked everything, including overflow
  void ApplyActor(std::string_view id, Role role);
  void ApplyCategory(std::string_view id);
  void ApplyTier(std::string_view id);
  void ApplyCustomer(std::string_view id, std::string_view tier, std::string_view owner,
                     std::string_view region);
  void ApplyPeriod(std::string_view id, int64_t start_micros, int64_t end_micros);
  void ApplyPeriodClosed(uint32_t period);
  // Sets a scope's budget, creating it (kind/period/category/key) if new.
  uint32_t ApplyBudget(ScopeKind kind, uint32_t period, uint32_t category, uint32_t key,
                       int64_t budget_minor, int32_t version);
  // `path`: PathOf(envelope).
  void ApplyReserve(uint32_t op, uint32_t envelope, const Path& path, int64_t amount_minor,
                    int64_t expiry_micros);
  void ApplySpend(uint32_t op, uint32_t envelope, const Path& path, int64_t amount_minor);
  void ApplyPost(uint32_t reservation, int64_t posted_minor);
  void ApplyRelease(uint32_t reservation, OpStatus status);
  void ApplyRefund(uint32_t target, int64_t amount_minor, bool returned);
  void ApplyTransfer(uint32_t from, uint32_t to, int64_t amount_minor);
  // Notes that `scope`'s balance changed, for the observers (nothing without observers).
  void Touch(uint32_t scope) {
    if (!options.observers.empty()) changed.push_back(scope);
  }
  // The op `id` names, value-initialized to be filled in place, its index in `*index`: a new one
  // is registered; an existing one (a pending request being approved) is reset.
  // `tag`: Interner::TagOf(id). Filled in place, not copied in (StableVector::emplace_back).
  Op& AddOp(std::string_view id, uint32_t tag, uint32_t* index);

  // ---- checks shared by live operations and replay (ledger_apply.cc)
  // kOverflow unless `amount_minor` can be added to reserved + spent at every scope on `path`.
  absl::Status CheckUsageFits(const Path& path, int64_t amount_minor) const;
  // The budget changes of a transfer: scopes losing and gaining `amount_minor`.
  void TransferChains(uint32_t from, uint32_t to, std::vector<uint32_t>* losing,
                      std::vector<uint32_t>* gaining) const;

  // ---- snapshots (ledger_snapshot.cc)
  std::string Snapshot(const Digest& head) const;
  // Loads `snapshot` into this empty state; the journal entries it covers and their head.
  absl::Status Load(std::string_view snapshot, uint64_t* covered, Digest* head);

  // ---- reads (ledger_read.cc)
  std::string Dump() const;
  size_t MemoryBytes() const;
  size_t EnvelopeTableBytes() const;
  ReservationInfo InfoOf(uint32_t op) const;

  // Data, public to the ledger's own files.
  LedgerOptions options;
  Interner actor_ids;
  std::vector<int8_t> actor_roles;  // -1: an owner id that is not (yet) a defined actor
  Interner categories, tiers, regions, periods, customers, op_ids;
  std::vector<PeriodState> period_states;
  HugePageVector<CustomerState> customer_states;  // read at random: on huge pages
  HugePageVector<Scope> scopes;
  absl::flat_hash_map<uint64_t, uint32_t> scope_index;
  StableVector<Op> ops;                                   // never moved: growing copies nothing
  std::vector<std::pair<int64_t, uint32_t>> expiry_heap;  // min-heap of (expiry, reservation)
  std::set<uint32_t> pending;                             // ops waiting for approval
  // While windowed limits exist: reservations (not released) and spends per (customer << 32 |
  // category << 17 | month). Rebuilt from the ops when policies change.
  absl::flat_hash_map<uint64_t, int32_t> monthly_uses;
  // Reserves and spends decided with reasons: their first result, for retries (journaled).
  absl::flat_hash_map<uint32_t, Decision> decisions;
  // Envelopes by (period << 16 | category).
  absl::flat_hash_map<uint32_t, EnvelopeTable> envelopes;
  bool has_dimension_budgets = false;
  CompiledPolicies policies;
  int64_t policy_version = 0;  // 0: none set yet
  std::string policy_document;
  uint64_t next_seq = 0;

  // The thread running observer callbacks (DescribeScope may be called from there).
  std::atomic<std::thread::id> notifying_thread{};
  std::vector<uint32_t> changed;           // scopes the event being applied changed
  std::vector<ScopeChange> change_buffer;  // what the observers are given
  Event scratch_event;                     // NewEvent
  MonthsByDay event_months;                // the month of each reserve or spend applied

 private:
  uint16_t MatchRule(const Scope& scope) const;
  void CompilePolicies();
  absl::Status ApplyOne(const Event& event, const EventHint& hint);
  // Load's body: the name tables, scopes, operations, heaps and policies (ledger_snapshot.cc),
  // in snapshot format `format`.
  absl::Status LoadBody(Reader& in, uint64_t format);
  void Notify(const Event& event, bool replayed);
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_LEDGER_STATE_H_

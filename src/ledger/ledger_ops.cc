// Ledger: reserve, spend, check, post, void, refund, expire.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "base/same_bytes.h"
#include "base/status_macros.h"
#include "ledger/ledger_state.h"
#include "ledger/reason_json.h"
#include "ledger/text.h"
#include "ledger/validate.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

// A reserve or spend request, checked and decided but not applied.
struct Evaluation {
  Resolved request;
  Path path;            // of its envelope, once it is decided (empty for a retry)
  uint32_t op_tag = 0;  // Interner::TagOf(its op id)
  bool is_retry = false;
  Result result;
};

std::string_view StatusName(OpStatus status) {
  switch (status) {
    case OpStatus::kDone:
      return "done";
    case OpStatus::kOpen:
      return "open";
    case OpStatus::kPosted:
      return "posted";
    case OpStatus::kVoided:
      return "voided";
    case OpStatus::kExpired:
      return "expired";
    case OpStatus::kPending:
      return "waiting for approval";
    case OpStatus::kRejected:
      return "rejected";
    case OpStatus::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

// The index of the actor named `actor`: the one warming found (`prepared`, may be null), else
// looked up; kNotFound for an unknown one.
absl::StatusOr<uint32_t> ActorOf(const LedgerState& s, std::string_view actor,
                                 const Prepared* prepared) {
  if (prepared != nullptr && prepared->actor != kNone) return prepared->actor;
  return s.FindActor(actor);
}

// Checks and decides `r` into `*evaluation`, a fresh one of the caller's (filled in place:
// returning it copied its 64-byte request with `rep movs`, a third of Evaluate's time in a hot
// check), whose request's time_micros the caller set: the ledger's clock, read once for the
// operation (or for its batch), or unset for a check (Decide reads it if a rule needs it); set
// there, not passed as an optional (docs/architecture.md, "The ledger's hot path"). `prepared`:
// what warming `r` found, or null.
absl::Status Evaluate(const LedgerState& s, const Request& r, OpKind kind, const Prepared* prepared,
                      Evaluation* evaluation) {
  Evaluation& e = *evaluation;
  Resolved& q = e.request;
  e.op_tag = prepared != nullptr ? prepared->op_tag : Interner::TagOf(r.op_id);
  s.op_ids.Prefetch(e.op_tag);  // its slot loads while the envelope is found
  UPKEEP_ASSIGN_OR_RETURN(q.actor, ActorOf(s, r.actor, prepared));
  UPKEEP_RETURN_IF_ERROR(CheckId(r.op_id, "op id"));
  UPKEEP_RETURN_IF_ERROR(CheckText(r.reason, "reason"));
  UPKEEP_RETURN_IF_ERROR(s.CheckMoney(r.amount, "the amount"));
  if (r.expiry_micros < 0 || (kind == OpKind::kSpend && r.expiry_micros != 0)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "expiry must be a positive time, and only for a reservation");
  }
  if (r.envelope.valid() && (!r.period.empty() || !r.customer.empty() || !r.category.empty())) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a request names its envelope by handle or by names, not both");
  }
  if (prepared != nullptr && prepared->envelope != kNone) {
    q.envelope = prepared->envelope;
  } else {
    UPKEEP_ASSIGN_OR_RETURN(q.envelope, r.envelope.valid()
                                            ? s.FindEnvelope(r.envelope)
                                            : s.FindEnvelope(r.period, r.customer, r.category));
  }
  const Scope& envelope = s.scopes[q.envelope];
  q.customer = envelope.key;
  q.period = envelope.period;
  q.category = envelope.category;
  UPKEEP_RETURN_IF_ERROR(s.Permit(q.actor, LedgerState::Action::kMoveMoney, q.customer,
                                  kind == OpKind::kSpend ? "spend" : "reserve"));
  q.amount_minor = r.amount.amount_minor();
  q.expiry_micros = r.expiry_micros;
  q.text_fingerprint = Fingerprint(r.reason);
  Op payload;
  payload.kind = kind;
  payload.actor = q.actor;
  payload.scope = q.envelope;
  payload.amount_minor = q.amount_minor;
  payload.expiry_micros = q.expiry_micros;
  payload.text_fingerprint = q.text_fingerprint;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(r.op_id, payload, e.op_tag));
  if (retry != kNone) {
    e.is_retry = true;
    e.result = s.RetryResult(retry);
    return absl::OkStatus();
  }
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(q.period));
  const Path path = s.PathOf(q.envelope);
  UPKEEP_RETURN_IF_ERROR(s.CheckUsageFits(path, q.amount_minor));
  s.Decide(q, path, /*approval_granted=*/false, r.explain, &e.result.decision);
  // Kept only now: copied at once, wider loads waited on the stores that had just made it.
  e.path = path;
  return absl::OkStatus();
}

absl::StatusOr<Result> Submit(LedgerState& s, const Request& r, OpKind kind,
                              const Prepared* prepared, int64_t now_micros) {
  Evaluation e;
  e.request.time_micros = now_micros;
  UPKEEP_RETURN_IF_ERROR(Evaluate(s, r, kind, prepared, &e));
  const Outcome outcome = e.result.decision.outcome;
  if (e.is_retry || outcome == Outcome::kReject) return std::move(e.result);
  Event& event = s.NewEvent(outcome == Outcome::kNeedsApproval ? EventKind::kApprovalRequested
                            : kind == OpKind::kSpend           ? EventKind::kSpent
                                                               : EventKind::kReserved);
  event.op_id.assign(r.op_id);
  event.actor.assign(r.actor);
  event.reason.assign(r.reason);
  if (r.envelope.valid()) {
    s.NameScope(e.request.envelope, &event.scope);
  } else {
    event.scope.period.assign(r.period);
    event.scope.kind = ScopeKind::kCustomer;
    event.scope.key.assign(r.customer);
    event.scope.category.assign(r.category);
  }
  event.amount_minor = e.request.amount_minor;
  event.expiry_micros = e.request.expiry_micros;
  if (outcome == Outcome::kNeedsApproval) {
    event.args.emplace_back(kind == OpKind::kSpend ? "spend" : "reserve");
  } else {
    event.amount2_minor = static_cast<int64_t>(outcome);
  }
  for (const Reason& reason : e.result.decision.reasons) event.args.push_back(EncodeReason(reason));
  UPKEEP_RETURN_IF_ERROR(s.Record(&event,
                                  EventHint{.actor = e.request.actor,
                                            .scope = e.request.envelope,
                                            .op_tag = e.op_tag,
                                            .new_op = true,
                                            .path = &e.path},
                                  now_micros));
  return std::move(e.result);
}

// The decision `r` would get now (Check), changing nothing. `prepared`: what warming found, or
// null.
absl::StatusOr<Result> CheckWarmed(const LedgerState& s, const Request& r, bool as_spend,
                                   const Prepared* prepared) {
  Evaluation e;
  UPKEEP_RETURN_IF_ERROR(
      Evaluate(s, r, as_spend ? OpKind::kSpend : OpKind::kReserve, prepared, &e));
  return std::move(e.result);
}

// What warming reads from a request of each kind: a reserve, spend or check names its
// envelope; a post names the reservation it resolves (and has no customer to look up).
const Request* EnvelopeRequest(const Request& request) { return &request; }
const Request* EnvelopeRequest(const PostRequest&) { return nullptr; }
std::string_view TargetOf(const Request&) { return {}; }
std::string_view TargetOf(const PostRequest& request) { return request.reservation_id; }

// Warms a single request (no batch around it to guess ahead).
template <typename Item>
Prepared WarmAlone(const LedgerState& s, const Item& item) {
  return s.Warm(NameTags::Of(item.op_id, EnvelopeRequest(item), TargetOf(item)),
                EnvelopeRequest(item), TargetOf(item), nullptr);
}

// The reservation (or spend) that `id` names, for an operation by `actor` that resolves it.
absl::StatusOr<uint32_t> FindTarget(const LedgerState& s, std::string_view id,
                                    std::string_view what) {
  const uint32_t index = s.op_ids.Find(id);
  if (index == kNone) {
    return MakeError(ErrorCode::kNotFound, StrCat("unknown ", what, " '", id, "'"));
  }
  return index;
}

// The reservation that a post or void (`verb`) names, once the actor, the ids and the reason are
// checked and the actor may move money for its customer: {actor index, reservation index}.
// `prepared`: what warming the request found, or null.
absl::StatusOr<std::pair<uint32_t, uint32_t>> FindMovableReservation(
    const LedgerState& s, std::string_view actor, std::string_view op_id, std::string_view reason,
    std::string_view reservation_id, std::string_view verb, const Prepared* prepared) {
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, ActorOf(s, actor, prepared));
  UPKEEP_RETURN_IF_ERROR(CheckId(op_id, "op id"));
  UPKEEP_RETURN_IF_ERROR(CheckText(reason, "reason"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t target, FindTarget(s, reservation_id, "reservation"));
  const Op& reservation = s.ops[target];
  if (reservation.kind != OpKind::kReserve) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("'", reservation_id, "' is not a reservation"));
  }
  UPKEEP_RETURN_IF_ERROR(
      s.Permit(who, LedgerState::Action::kMoveMoney, s.scopes[reservation.scope].key, verb));
  return std::make_pair(who, target);
}

// Post, under the write lock, at `now_micros`. `prepared`: what warming it found, or null.
absl::Status PostLocked(LedgerState& s, const PostRequest& request, const Prepared* prepared,
                        int64_t now_micros) {
  const uint32_t op_tag = prepared != nullptr ? prepared->op_tag : Interner::TagOf(request.op_id);
  UPKEEP_ASSIGN_OR_RETURN(const auto found,
                          FindMovableReservation(s, request.actor, request.op_id, request.reason,
                                                 request.reservation_id, "post", prepared));
  const auto [who, target] = found;
  const Op& reservation = s.ops[target];
  int64_t posted = reservation.amount_minor;
  if (request.amount.has_value()) {
    UPKEEP_RETURN_IF_ERROR(s.CheckMoney(*request.amount, "the posted amount"));
    posted = request.amount->amount_minor();
    if (posted > reservation.amount_minor) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          StrCat("cannot post ", s.Format(posted), ": reservation ", request.reservation_id,
                 " holds only ", s.Format(reservation.amount_minor)));
    }
  }
  Op payload;
  payload.kind = OpKind::kPost;
  payload.actor = who;
  payload.ref = target;
  payload.amount_minor = posted;
  payload.implicit_amount = !request.amount.has_value();
  payload.text_fingerprint = Fingerprint(request.reason);
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload, op_tag));
  if (retry != kNone) return absl::OkStatus();
  if (reservation.status != OpStatus::kOpen) {
    return MakeError(ErrorCode::kInvalidState,
                     StrCat("cannot post reservation ", request.reservation_id, ": it is ",
                            StatusName(reservation.status)));
  }
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(s.scopes[reservation.scope].period));
  Event& event = s.NewEvent(EventKind::kPosted);
  event.op_id.assign(request.op_id);
  event.actor.assign(request.actor);
  event.ref_id.assign(request.reservation_id);
  event.reason.assign(request.reason);
  event.amount_minor = posted;
  event.amount2_minor = reservation.amount_minor - posted;
  if (payload.implicit_amount) event.args.emplace_back("all");
  return s.Record(&event, EventHint{.actor = who, .ref = target, .op_tag = op_tag, .new_op = true},
                  now_micros);
}

}  // namespace

Result LedgerState::RetryResult(uint32_t index) const {
  const Op& op = ops[index];
  Result result;
  result.replayed = true;
  if (auto it = decisions.find(index); it != decisions.end()) result.decision = it->second;
  result.decision.outcome = op.status == OpStatus::kPending ? Outcome::kNeedsApproval
                            : op.status == OpStatus::kRejected || op.status == OpStatus::kWithdrawn
                                ? Outcome::kReject
                                : op.outcome;
  return result;
}

Prepared LedgerState::Warm(const NameTags& tags, const Request* request, std::string_view target_id,
                           const CustomerGuess* guess) const {
  Prepared prepared{.op_tag = tags.op};
  op_ids.Prefetch(prepared.op_tag);
  uint32_t envelope = kNone;
  if (request != nullptr) {
    // A single request guesses here: its customer's entry and envelope cell then load together,
    // so finding the envelope waits for one miss there, not two in a row.
    CustomerGuess guessed_now;
    if (guess == nullptr) {
      PrefetchCustomer(*request, tags.customer, nullptr, &guessed_now);
      guess = &guessed_now;
    }
    if (guess->customer != kNone &&
        SameBytes(customers.Name(guess->customer), request->customer)) {  // the guess was right
      envelope = guess->envelopes->Of(guess->customer);
    } else {
      absl::StatusOr<uint32_t> found =
          request->envelope.valid()
              ? FindEnvelope(request->envelope)
              : FindEnvelope(request->period, request->customer, request->category);
      if (found.ok()) envelope = *found;
    }
    prepared.envelope = envelope;
  } else if (const uint32_t target =
                 target_id.empty() ? kNone : op_ids.Find(target_id, tags.target);
             target != kNone) {
    envelope = ops[target].scope;
  }
  if (envelope == kNone || scopes[envelope].kind != ScopeKind::kCustomer) return prepared;
  // Its own scope, to be written. The rest of its path is shared by many envelopes (the tier
  // pool and company of its period and category; with dimension budgets, its owner's and
  // region's scopes), so it is in the cache already: walking to it was 6 % of a check.
  __builtin_prefetch(&scopes[envelope], 1);
  __builtin_prefetch(&customer_states[scopes[envelope].key]);  // its tier, for the limits
  if (request != nullptr && request->envelope.valid()) {       // its name goes into the event
    __builtin_prefetch(customers.Name(scopes[envelope].key).data());
  }
  return prepared;
}

void LedgerState::PrefetchNames(std::string_view op_id, const Request* request,
                                std::string_view target_id, NameTags* tags) const {
  *tags = NameTags::Of(op_id, request, target_id);
  op_ids.Prefetch(tags->op);
  if (request != nullptr && !request->envelope.valid()) customers.Prefetch(tags->customer);
  if (!target_id.empty()) op_ids.Prefetch(tags->target);
}

void LedgerState::PrefetchCustomer(const Request& request, uint32_t customer_tag, NamesSeen* seen,
                                   CustomerGuess* guess) const {
  *guess = CustomerGuess{};
  if (request.envelope.valid()) return;
  const uint32_t customer = customers.PrefetchEntry(customer_tag);
  if (customer == kNone) return;
  __builtin_prefetch(&customer_states[customer]);
  CustomerGuess found;
  if (seen != nullptr && seen->found.envelopes != nullptr &&
      SameBytes(request.period, seen->period) && SameBytes(request.category, seen->category)) {
    found = seen->found;
  } else {
    found.period = periods.Find(request.period);
    found.category = categories.Find(request.category);
    if (found.period == kNone || found.category == kNone) return;
    const auto it = envelopes.find(found.period << 16 | found.category);
    if (it == envelopes.end()) return;
    found.envelopes = &it->second;
    if (seen != nullptr)
      *seen = {.period = request.period, .category = request.category, .found = found};
  }
  if (customer >= found.envelopes->size()) return;
  found.customer = customer;
  __builtin_prefetch(found.envelopes->CellOf(customer));
  // Where the envelope's scope most likely is: loaded now, with the cell, not after it.
  if (const uint32_t scope = found.envelopes->Predict(customer); scope < scopes.size()) {
    __builtin_prefetch(&scopes[scope]);
  }
  *guess = found;
}

void LedgerState::PrefetchEnvelope(const Request& request, const CustomerGuess& guess) const {
  const uint32_t envelope = request.envelope.valid()  ? request.envelope.envelope
                            : guess.customer == kNone ? kNone
                                                      : guess.envelopes->Of(guess.customer);
  if (envelope < scopes.size()) __builtin_prefetch(&scopes[envelope]);
}

// A single change warms its request under the exclusive lock it is decided under: warming under
// the shared lock first let two writers warm side by side, but a reader waits for a writer as
// much as a writer does, and the extra turn at the lock cost two threads more than it saved
// (docs/threading.md).
absl::StatusOr<Result> Ledger::Reserve(const Request& request) {
  WriterLock lock(&mu_);
  const Prepared prepared = WarmAlone(*state_, request);
  return Submit(*state_, request, OpKind::kReserve, &prepared, state_->options.clock_micros());
}

absl::StatusOr<Result> Ledger::Spend(const Request& request) {
  WriterLock lock(&mu_);
  const Prepared prepared = WarmAlone(*state_, request);
  return Submit(*state_, request, OpKind::kSpend, &prepared, state_->options.clock_micros());
}

absl::StatusOr<Result> Ledger::Check(const Request& request, bool as_spend) const {
  ReaderLock lock(&mu_);
  const Prepared prepared = WarmAlone(*state_, request);
  return CheckWarmed(*state_, request, as_spend, &prepared);
}

absl::Status Ledger::Post(const PostRequest& request) {
  WriterLock lock(&mu_);
  const Prepared prepared = WarmAlone(*state_, request);
  return PostLocked(*state_, request, &prepared, state_->options.clock_micros());
}

namespace {

// How far ahead a batch loads (LedgerState's warming stages): the hash slots of a request's
// names; then, from the slots, its customer's entry, state and envelope cell; then the
// envelope's scope; then Warm, which finds it all loaded. A stage runs two requests after the
// one before it, at least a miss's time (140-210 ns here): a reserve, spend or post takes about
// a microsecond, a check about 0.2 us in a batch (farther stages gave checks nothing measurable).
constexpr size_t kBatchNamesAhead = 10;
constexpr size_t kBatchCustomersAhead = 8;
constexpr size_t kBatchEnvelopesAhead = 6;
constexpr size_t kBatchScopesAhead = 4;
// What a stage finds for a request waits in a ring for a later stage: a ring holds the requests
// from the names stage's to the warm-up's, each in slot index % kStageRing.
constexpr size_t kStageRing = 8;
static_assert(kBatchNamesAhead - kBatchScopesAhead < kStageRing);
// A check batch holds the shared lock for this many checks at a time (about 0.2 ms of them), so
// that a writer goes ahead between two turns instead of waiting for the whole batch.
constexpr size_t kChecksPerLockTurn = 1024;

// The actors a batch's requests name, each looked up once per place its name is kept: a batch
// names a few actors, each mostly from one string (the import's from its table of requesters,
// the rows alternating between them), so a name at an address seen before, of the same size, is
// the actor found there. Valid for one batch, whose requests' strings stay as they are.
class BatchActors {
 public:
  explicit BatchActors(const LedgerState& s) : s_(s) {}

  // The index of actor `name`, or kNone for an unknown one (reported when its request is
  // decided).
  uint32_t Find(std::string_view name) {
    const uint64_t address = reinterpret_cast<uintptr_t>(name.data());
    Place& place = places_[address * 0x9E3779B97F4A7C15u >> (64 - kPlaceBits)];
    if (place.data == name.data() && place.size == name.size()) return place.actor;
    // A copy of the last name (requests built one by one from the same actor) is that actor.
    if (last_actor_ == kNone || !SameBytes(name, last_name_)) {
      const absl::StatusOr<uint32_t> found = s_.FindActor(name);
      last_name_ = name;
      last_actor_ = found.ok() ? *found : kNone;
    }
    place = {.data = name.data(), .size = name.size(), .actor = last_actor_};
    return last_actor_;
  }

 private:
  struct Place {
    const char* data = nullptr;
    size_t size = 0;
    uint32_t actor = kNone;
  };
  // Places for the actors of a batch (a company's account managers: tens, hundreds) by their
  // names' addresses, hashed.
  static constexpr int kPlaceBits = 7;
  const LedgerState& s_;
  std::array<Place, size_t{1} << kPlaceBits> places_{};
  std::string_view last_name_;
  uint32_t last_actor_ = kNone;
};

// Calls decide(i, prepared) for each request i in order, `prepared` being what warming found
// for it (null for the first few, which are decided from scratch), with the memory of the
// requests after it loaded in the stages above meanwhile. `decide` may change the state: a
// stage only loads memory and guesses (a guessed customer is confirmed by its name when used),
// and the indices it finds stay valid because names, scopes and actors are never removed and no
// reserve, spend or post defines any.
template <typename Item, typename Decide>
void ForEachWarmed(const LedgerState& s, std::span<const Item> requests, Decide decide) {
  // What the customer stage found for requests i + kBatchScopesAhead to
  // i + kBatchCustomersAhead, and what warming found for i to i + kBatchScopesAhead, each by
  // index mod its ring's size.
  std::array<CustomerGuess, kStageRing> guesses;
  NamesSeen seen;
  std::array<Prepared, 2 * kBatchScopesAhead> prepared;
  // The tags the names stage found for requests i + kBatchScopesAhead to i + kBatchNamesAhead.
  std::array<NameTags, kStageRing> tags;
  BatchActors actors(s);
  // The request at `index` when it names an envelope (EnvelopeRequest), else null.
  const auto envelope_request_at = [&](size_t index) -> const Request* {
    return index < requests.size() ? EnvelopeRequest(requests[index]) : nullptr;
  };
  const auto names_stage = [&](size_t k) {
    if (k >= requests.size()) return;
    const Item& item = requests[k];
    s.PrefetchNames(item.op_id, EnvelopeRequest(item), TargetOf(item), &tags[k % tags.size()]);
  };
  // The first requests warmed are warmed before their names' turn in the loop: at once.
  for (size_t k = kBatchScopesAhead; k < kBatchNamesAhead; ++k) names_stage(k);
  for (size_t i = 0; i < requests.size(); ++i) {
    names_stage(i + kBatchNamesAhead);
    if (const Request* r = envelope_request_at(i + kBatchCustomersAhead)) {
      s.PrefetchCustomer(*r, tags[(i + kBatchCustomersAhead) % tags.size()].customer, &seen,
                         &guesses[(i + kBatchCustomersAhead) % guesses.size()]);
    }
    if (const Request* r = envelope_request_at(i + kBatchEnvelopesAhead)) {
      s.PrefetchEnvelope(*r, guesses[(i + kBatchEnvelopesAhead) % guesses.size()]);
    }
    if (i + kBatchScopesAhead < requests.size()) {
      const Item* near = &requests[i + kBatchScopesAhead];
      Prepared& warmed = prepared[(i + kBatchScopesAhead) % prepared.size()];
      warmed = s.Warm(tags[(i + kBatchScopesAhead) % tags.size()], EnvelopeRequest(*near),
                      TargetOf(*near), &guesses[(i + kBatchScopesAhead) % guesses.size()]);
      warmed.actor = actors.Find(near->actor);
    }
    decide(i, i >= kBatchScopesAhead ? &prepared[i % prepared.size()] : nullptr);
  }
}

std::vector<absl::StatusOr<Result>> SubmitBatch(LedgerState& s, std::span<const Request> requests,
                                                OpKind kind) {
  std::vector<absl::StatusOr<Result>> results;
  results.reserve(requests.size());
  const int64_t now_micros = s.options.clock_micros();  // a batch is decided at one time
  ForEachWarmed(s, requests, [&](size_t i, const Prepared* prepared) {
    results.push_back(Submit(s, requests[i], kind, prepared, now_micros));
  });
  return results;
}

}  // namespace

std::vector<absl::StatusOr<Result>> Ledger::ReserveBatch(std::span<const Request> requests) {
  WriterLock lock(&mu_);
  return SubmitBatch(*state_, requests, OpKind::kReserve);
}

std::vector<absl::StatusOr<Result>> Ledger::SpendBatch(std::span<const Request> requests) {
  WriterLock lock(&mu_);
  return SubmitBatch(*state_, requests, OpKind::kSpend);
}

std::vector<absl::StatusOr<Result>> Ledger::CheckBatch(std::span<const Request> requests,
                                                       bool as_spend) const {
  std::vector<absl::StatusOr<Result>> results;
  results.reserve(requests.size());
  for (size_t first = 0; first < requests.size(); first += kChecksPerLockTurn) {
    const std::span<const Request> turn =
        requests.subspan(first, std::min(kChecksPerLockTurn, requests.size() - first));
    // A writer that waits gets the lock between two turns when no other thread holds it shared
    // (no new round of readers starts while a writer waits, upkeep/shared_mutex.h): with turns
    // of 0.16 ms it waits 0.11-0.14 ms (BM_WriterWaitBetweenReaderTurns; glibc's lock 0.06 ms).
    ReaderLock lock(&mu_);
    ForEachWarmed(*state_, turn, [&](size_t i, const Prepared* prepared) {
      results.push_back(CheckWarmed(*state_, turn[i], as_spend, prepared));
    });
  }
  return results;
}

void Ledger::ReserveOperations(size_t count) {
  WriterLock lock(&mu_);
  state_->op_ids.Reserve(count);
}

std::vector<absl::Status> Ledger::PostBatch(std::span<const PostRequest> requests) {
  WriterLock lock(&mu_);
  std::vector<absl::Status> results;
  results.reserve(requests.size());
  const int64_t now_micros = state_->options.clock_micros();  // a batch is posted at one time
  ForEachWarmed(*state_, requests, [&](size_t i, const Prepared* prepared) {
    results.push_back(PostLocked(*state_, requests[i], prepared, now_micros));
  });
  return results;
}

absl::Status Ledger::Void(const VoidRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const auto found,
                          FindMovableReservation(s, request.actor, request.op_id, request.reason,
                                                 request.reservation_id, "void", nullptr));
  const auto [who, target] = found;
  const Op& reservation = s.ops[target];
  Op payload;
  payload.kind = OpKind::kVoid;
  payload.actor = who;
  payload.ref = target;
  payload.amount_minor = reservation.amount_minor;
  payload.text_fingerprint = Fingerprint(request.reason);
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload));
  if (retry != kNone) return absl::OkStatus();
  if (reservation.status != OpStatus::kOpen) {
    return MakeError(ErrorCode::kInvalidState,
                     StrCat("cannot void reservation ", request.reservation_id, ": it is ",
                            StatusName(reservation.status)));
  }
  Event& event = s.NewEvent(EventKind::kVoided);
  event.op_id.assign(request.op_id);
  event.actor.assign(request.actor);
  event.ref_id.assign(request.reservation_id);
  event.reason.assign(request.reason);
  event.amount_minor = reservation.amount_minor;
  return s.Record(&event, EventHint{.actor = who, .ref = target, .new_op = true});
}

absl::Status Ledger::Refund(const RefundRequest& request) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(request.actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kRefund, kNone, "refund"));
  UPKEEP_RETURN_IF_ERROR(CheckId(request.op_id, "op id"));
  UPKEEP_RETURN_IF_ERROR(CheckText(request.reason, "reason"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t target, FindTarget(s, request.target_id, "spend"));
  const Op& spend = s.ops[target];
  const bool posted = (spend.kind == OpKind::kSpend && spend.status == OpStatus::kDone) ||
                      (spend.kind == OpKind::kReserve && spend.status == OpStatus::kPosted);
  if (spend.kind != OpKind::kSpend && spend.kind != OpKind::kReserve) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("'", request.target_id, "' is not a spend or a reservation"));
  }
  if (request.amount.has_value()) {
    UPKEEP_RETURN_IF_ERROR(s.CheckMoney(*request.amount, "the refund amount"));
  }
  const int64_t spent = spend.kind == OpKind::kSpend ? spend.amount_minor : spend.settled_minor;
  const int64_t refundable = posted ? spent - spend.refunded_minor : 0;
  Op payload;
  payload.kind = OpKind::kRefund;
  payload.actor = who;
  payload.ref = target;
  payload.amount_minor = request.amount.has_value() ? request.amount->amount_minor() : refundable;
  payload.implicit_amount = !request.amount.has_value();
  payload.returned = request.return_to_budget.value_or(s.options.refund_returns_to_budget);
  payload.text_fingerprint = Fingerprint(request.reason);
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t retry, s.FindRetry(request.op_id, payload));
  if (retry != kNone) return absl::OkStatus();
  if (!posted) {
    return MakeError(ErrorCode::kInvalidState,
                     StrCat("cannot refund ", request.target_id, ": it is ",
                            StatusName(spend.status), ", not spent"));
  }
  if (refundable == 0) {
    return MakeError(ErrorCode::kInvalidState,
                     StrCat(request.target_id, " is already refunded in full"));
  }
  if (payload.amount_minor > refundable) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        StrCat("cannot refund ", s.Format(payload.amount_minor), " of ", request.target_id,
               ": only ", s.Format(refundable), " is not yet refunded"));
  }
  UPKEEP_RETURN_IF_ERROR(s.CheckPeriodOpen(s.scopes[spend.scope].period));
  if (!payload.returned) {
    // The money leaves the budget at every scope on the path; no budget may go below zero
    // (an overspent envelope under soft control can hold less budget than the refund).
    for (uint32_t scope : s.PathOf(spend.scope)) {
      if (s.scopes[scope].budget_minor < payload.amount_minor) {
        return MakeError(
            ErrorCode::kInvalidState,
            StrCat("cannot take a refund of ", s.Format(payload.amount_minor),
                   " out of the budget of ", s.RefOf(scope).ToString(), ": it is ",
                   s.Format(s.scopes[scope].budget_minor), "; refund it to the budget instead"));
      }
    }
  }
  Event& event = s.NewEvent(EventKind::kRefunded);
  event.op_id.assign(request.op_id);
  event.actor.assign(request.actor);
  event.ref_id.assign(request.target_id);
  event.reason.assign(request.reason);
  event.amount_minor = payload.amount_minor;
  event.amount2_minor = payload.returned ? 1 : 0;
  if (payload.implicit_amount) event.args.emplace_back("all");
  return s.Record(&event, EventHint{.actor = who, .ref = target, .new_op = true});
}

absl::StatusOr<int64_t> Ledger::Expire(std::string_view actor, int64_t now_micros) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kExpire, kNone, "expire reservations"));
  // The due reservations, in expiry order, journaled as one batch and then taken off the heap.
  auto& heap = s.expiry_heap;
  std::vector<std::pair<int64_t, uint32_t>> due;
  while (!heap.empty() && heap.front().first <= now_micros) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    due.push_back(heap.back());
    heap.pop_back();
  }
  std::vector<Event> events;
  std::vector<EventHint> hints;
  for (const auto& [expiry_micros, reservation] : due) {
    if (s.ops[reservation].status != OpStatus::kOpen) continue;
    Event& event = events.emplace_back();
    event.kind = EventKind::kExpired;
    event.actor = std::string(actor);
    event.ref_id = std::string(s.op_ids.Name(reservation));
    event.amount_minor = s.ops[reservation].amount_minor;
    event.reason = StrCat("expired at ", expiry_micros);
    hints.push_back(EventHint{.actor = who, .ref = reservation});
  }
  absl::Status recorded = s.RecordBatch(events, hints);
  if (!recorded.ok()) {  // nothing was journaled: they stay due
    for (const auto& entry : due) {
      heap.push_back(entry);
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    }
    return recorded;
  }
  return static_cast<int64_t>(events.size());
}

}  // namespace upkeep::ledger

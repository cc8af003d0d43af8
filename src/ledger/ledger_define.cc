// Ledger: creation, replay and definitions (actors, categories, tiers, customers, periods).
#include <memory>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "ledger/ledger_state.h"
#include "ledger/policy_document.h"
#include "ledger/text.h"
#include "ledger/validate.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

constexpr uint32_t kMaxPeriods = (1u << 14) - 1;
constexpr uint32_t kMaxCategories = (1u << 15) - 1;
constexpr uint32_t kMaxNames = 0xFFFFFFF0u;

absl::Status CheckOptions(LedgerOptions* options) {
  if (options->journal == nullptr) {
    return MakeError(ErrorCode::kNullArgument, "LedgerOptions.journal is required");
  }
  if (options->journal->size() != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "LedgerOptions.journal must be empty");
  }
  if (!options->clock_micros) {
    options->clock_micros = [] { return absl::ToUnixMicros(absl::Now()); };
  }
  return absl::OkStatus();
}

absl::Status AlreadyExists(std::string_view what, std::string_view id) {
  return MakeError(ErrorCode::kAlreadyExists, StrCat(what, " '", id, "' already exists"));
}

absl::Status TooMany(std::string_view what) {
  return MakeError(ErrorCode::kInvalidArgument, StrCat("too many ", what));
}

Event Definition(EventKind kind, std::string_view actor, std::vector<std::string> args) {
  Event event;
  event.kind = kind;
  event.actor = std::string(actor);
  event.args = std::move(args);
  return event;
}

}  // namespace

Ledger::Ledger(LedgerOptions options) : state_(std::make_unique<LedgerState>(std::move(options))) {}

Ledger::~Ledger() = default;

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Create(LedgerOptions options) {
  UPKEEP_RETURN_IF_ERROR(CheckOptions(&options));
  UPKEEP_RETURN_IF_ERROR(CheckId(options.bootstrap_admin, "bootstrap admin id"));
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(options)));
  LedgerState& state = *ledger->state_;
  Event event = Definition(EventKind::kActorDefined, state.options.bootstrap_admin,
                           {state.options.bootstrap_admin, StrCat(static_cast<int>(Role::kAdmin))});
  UPKEEP_RETURN_IF_ERROR(state.Record(&event));
  return ledger;
}

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Replay(const Journal& source,
                                                       LedgerOptions options) {
  UPKEEP_RETURN_IF_ERROR(CheckOptions(&options));
  if (&source == options.journal) {
    return MakeError(ErrorCode::kInvalidArgument, "replay needs a new journal to write to");
  }
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(options)));
  LedgerState& state = *ledger->state_;
  absl::Status replayed = source.ForEach(0, [&](const Event& event) -> absl::Status {
    if (event.seq != state.next_seq) {
      return MakeError(ErrorCode::kCorrupt,
                       StrCat("journal entry ", state.next_seq, " has seq ", event.seq));
    }
    absl::Status appended = state.options.journal->Append(event);
    if (!appended.ok()) return appended;
    ++state.next_seq;
    return state.ApplyEvent(event, {}, /*replayed=*/true);
  });
  if (!replayed.ok()) return replayed;
  return ledger;
}

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Restore(std::string_view snapshot,
                                                        LedgerOptions options) {
  if (options.journal == nullptr) {
    return MakeError(ErrorCode::kNullArgument, "LedgerOptions.journal is required");
  }
  if (!options.clock_micros) {
    options.clock_micros = [] { return absl::ToUnixMicros(absl::Now()); };
  }
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(options)));
  LedgerState& state = *ledger->state_;
  uint64_t covered = 0;
  Digest head{};
  UPKEEP_RETURN_IF_ERROR(state.Load(snapshot, &covered, &head));
  Journal& journal = *state.options.journal;
  if (journal.size() < covered) {
    return MakeError(ErrorCode::kCorrupt,
                     StrCat("the snapshot covers ", covered,
                            " journal entries but the journal has ", journal.size()));
  }
  // A snapshot written against a journal without chain heads has an all-zero head: no check.
  absl::StatusOr<Digest> journal_head = journal.HeadAt(covered);
  if (journal_head.ok() && head != Digest{} && *journal_head != head) {
    return MakeError(ErrorCode::kCorrupt,
                     StrCat("the snapshot's chain head ", DigestHex(head),
                            " differs from the journal's ", DigestHex(*journal_head), " at entry ",
                            covered, ": they are not of the same history"));
  }
  if (!journal_head.ok() && !absl::IsUnimplemented(journal_head.status())) {
    return journal_head.status();
  }
  UPKEEP_RETURN_IF_ERROR(journal.ForEach(covered, [&](const Event& event) -> absl::Status {
    if (event.seq != state.next_seq) {
      return MakeError(ErrorCode::kCorrupt,
                       StrCat("journal entry ", state.next_seq, " has seq ", event.seq));
    }
    ++state.next_seq;
    return state.ApplyEvent(event, {}, /*replayed=*/true);
  }));
  return ledger;
}

absl::Status Ledger::DefineActor(std::string_view actor, const Actor& subject) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kDefine, kNone, "define actors"));
  UPKEEP_RETURN_IF_ERROR(CheckId(subject.id, "actor id"));
  if (subject.role > Role::kAdmin) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown role");
  }
  if (s.FindActor(subject.id).ok()) return AlreadyExists("actor", subject.id);
  if (s.actor_ids.size() >= kMaxNames) return TooMany("actors");
  Event event = Definition(EventKind::kActorDefined, actor,
                           {subject.id, StrCat(static_cast<int>(subject.role))});
  return s.Record(&event);
}

absl::Status Ledger::DefineCategory(std::string_view actor, std::string_view category) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kDefine, kNone, "define categories"));
  UPKEEP_RETURN_IF_ERROR(CheckId(category, "category"));
  if (s.categories.Find(category) != kNone) return AlreadyExists("category", category);
  if (s.categories.size() >= kMaxCategories) return TooMany("categories");
  Event event = Definition(EventKind::kCategoryDefined, actor, {std::string(category)});
  return s.Record(&event);
}

absl::Status Ledger::DefineTier(std::string_view actor, std::string_view tier) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kDefine, kNone, "define tiers"));
  UPKEEP_RETURN_IF_ERROR(CheckId(tier, "tier"));
  if (s.tiers.Find(tier) != kNone) return AlreadyExists("tier", tier);
  if (s.tiers.size() >= kMaxNames) return TooMany("tiers");
  Event event = Definition(EventKind::kTierDefined, actor, {std::string(tier)});
  return s.Record(&event);
}

absl::Status Ledger::DefineCustomer(std::string_view actor, const CustomerInfo& customer) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kDefine, kNone, "define customers"));
  UPKEEP_RETURN_IF_ERROR(CheckId(customer.id, "customer id"));
  UPKEEP_RETURN_IF_ERROR(CheckText(customer.owner, "customer owner"));
  UPKEEP_RETURN_IF_ERROR(CheckText(customer.region, "customer region"));
  if (s.tiers.Find(customer.tier) == kNone) {
    return MakeError(ErrorCode::kNotFound,
                     StrCat("unknown tier '", customer.tier, "' for customer ", customer.id));
  }
  if (s.customers.Find(customer.id) != kNone) return AlreadyExists("customer", customer.id);
  if (s.customers.size() >= kMaxNames) return TooMany("customers");
  Event event = Definition(EventKind::kCustomerDefined, actor,
                           {customer.id, customer.tier, customer.owner, customer.region});
  return s.Record(&event);
}

absl::Status Ledger::DefinePeriod(std::string_view actor, const Period& period) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kPeriods, kNone, "define periods"));
  UPKEEP_RETURN_IF_ERROR(CheckId(period.id, "period id"));
  if (period.start_micros >= period.end_micros) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("period ", period.id, ": start must be before end"));
  }
  if (s.periods.Find(period.id) != kNone) return AlreadyExists("period", period.id);
  if (s.periods.size() >= kMaxPeriods) return TooMany("periods");
  Event event = Definition(EventKind::kPeriodDefined, actor, {period.id});
  event.amount_minor = period.start_micros;
  event.amount2_minor = period.end_micros;
  return s.Record(&event);
}

absl::Status Ledger::ClosePeriod(std::string_view actor, std::string_view period) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kPeriods, kNone, "close periods"));
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t index, s.FindPeriod(period));
  if (s.period_states[index].closed) {
    return MakeError(ErrorCode::kInvalidState, StrCat("period '", period, "' is already closed"));
  }
  Event event = Definition(EventKind::kPeriodClosed, actor, {std::string(period)});
  return s.Record(&event);
}

absl::Status Ledger::SetPolicies(std::string_view actor, ControlPolicySet policies) {
  WriterLock lock(&mu_);
  LedgerState& s = *state_;
  UPKEEP_ASSIGN_OR_RETURN(const uint32_t who, s.FindActor(actor));
  UPKEEP_RETURN_IF_ERROR(s.Permit(who, LedgerState::Action::kDefine, kNone, "set policies"));
  for (const CustomRule& rule : policies.custom) {
    if (rule.instance == nullptr) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat("custom rule ", rule.id, " has no policy instance"));
    }
  }
  std::string document;
  UPKEEP_ASSIGN_OR_RETURN(ControlPolicySet canonical,
                          CanonicalPolicies(policies, s.options.currency, &document));
  Event event = Definition(EventKind::kPoliciesSet, actor, {std::move(document)});
  event.amount_minor = s.policy_version + 1;
  return s.Record(&event, EventHint{.actor = who, .policies = &canonical});
}

}  // namespace upkeep::ledger

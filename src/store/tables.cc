#include "store/tables.h"

#include <string>

#include "base/status_macros.h"

namespace upkeep::store {
namespace {

using ledger::Event;
using ledger::EventKind;
using ledger::Outcome;

std::string_view Arg(const Event& event, size_t i) {
  return i < event.args.size() ? std::string_view(event.args[i]) : std::string_view();
}

// The reasons journaled with a decision (the arguments that are JSON objects), as a JSON array.
// Whether the event carries reasons (the args that are JSON objects).
bool HasReasons(const Event& event) {
  for (const std::string& arg : event.args) {
    if (!arg.empty() && arg[0] == '{') return true;
  }
  return false;
}

// A decision gets a row when it carries reasons or is not a plain approval.
bool KeepsDecision(const Event& event, Outcome outcome) {
  return outcome != Outcome::kApprove || HasReasons(event);
}

std::string ReasonsJson(const Event& event) {
  std::string out = "[";
  for (const std::string& arg : event.args) {
    if (arg.empty() || arg[0] != '{') continue;
    if (out.size() > 1) out += ',';
    out += arg;
  }
  out += ']';
  return out;
}

}  // namespace

absl::StatusOr<TableWriter> TableWriter::Prepare(SqliteDb& db) {
  Statements st;
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st.customer,
                                        "INSERT OR REPLACE INTO customers(id, tier, owner, region, "
                                        "defined_seq) VALUES(?1, ?2, ?3, ?4, ?5)"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st.policy,
                                        "INSERT OR REPLACE INTO policy_versions(version, document, "
                                        "set_by, set_micros, seq) VALUES(?1, ?2, ?3, ?4, ?5)"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st.balance,
      "INSERT OR REPLACE INTO balances(scope_id, period, level, key, category, budget_minor, "
      "reserved_minor, spent_minor, available_minor, budget_version) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st.reserve,
      "INSERT OR REPLACE INTO reservations(op_id, period, customer, category, amount_minor, "
      "status, posted_minor, refunded_minor, expiry_micros, actor, reserved_seq) "
      "VALUES(?1, ?2, ?3, ?4, ?5, 'open', 0, 0, ?6, ?7, ?8)"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st.resolve,
                                        "UPDATE reservations SET status = ?2, posted_minor = ?3, "
                                        "resolved_seq = ?4 WHERE op_id = ?1"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st.refund, "UPDATE reservations SET refunded_minor = refunded_minor + ?2 WHERE op_id = ?1"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st.request,
      "INSERT OR REPLACE INTO approvals(approval_id, request, period, customer, category, "
      "amount_minor, status, requester, requested_seq) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)"));
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st.decide,
                     "UPDATE approvals SET status = ?2, decided_by = ?3, reason = ?4, "
                     "decided_seq = ?5 WHERE approval_id = ?1"));
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st.decision,
                     "INSERT OR REPLACE INTO decisions(seq, op_id, request, outcome, "
                     "reasons) VALUES(?1, ?2, ?3, ?4, ?5)"));
  return TableWriter(std::move(st));
}

absl::Status TableWriter::Resolve(const Event& event, std::string_view status) {
  Statement& resolve = st_.resolve;
  resolve.BindText(1, event.ref_id);
  resolve.BindText(2, status);
  resolve.BindInt(3, event.kind == EventKind::kPosted ? event.amount_minor : 0);
  resolve.BindInt(4, static_cast<int64_t>(event.seq));
  return resolve.Run("update reservations");
}

absl::Status TableWriter::Decided(const Event& event, std::string_view request, Outcome outcome) {
  if (!KeepsDecision(event, outcome)) return absl::OkStatus();
  const std::string reasons = ReasonsJson(event);
  Statement& decision = st_.decision;
  decision.BindInt(1, static_cast<int64_t>(event.seq));
  decision.BindText(2, event.op_id);
  decision.BindText(3, request);
  decision.BindText(4, ledger::OutcomeName(outcome));
  decision.BindText(5, reasons);
  return decision.Run("insert into decisions");
}

bool TableWriter::Concerns(const Event& event) {
  switch (event.kind) {
    case EventKind::kSpent:
      return KeepsDecision(event, static_cast<Outcome>(event.amount2_minor));
    case EventKind::kCustomerDefined:
    case EventKind::kPoliciesSet:
    case EventKind::kReserved:
    case EventKind::kPosted:
    case EventKind::kVoided:
    case EventKind::kExpired:
    case EventKind::kRefunded:
    case EventKind::kApprovalRequested:
    case EventKind::kApprovalGranted:
    case EventKind::kApprovalRejected:
    case EventKind::kApprovalWithdrawn:
      return true;
    default:
      return false;
  }
}

absl::Status TableWriter::Apply(const Event& event) {
  const auto seq = static_cast<int64_t>(event.seq);
  switch (event.kind) {
    case EventKind::kCustomerDefined: {
      Statement& customer = st_.customer;
      customer.BindText(1, Arg(event, 0));
      customer.BindText(2, Arg(event, 1));
      customer.BindText(3, Arg(event, 2));
      customer.BindText(4, Arg(event, 3));
      customer.BindInt(5, seq);
      return customer.Run("insert into customers");
    }
    case EventKind::kPoliciesSet: {
      Statement& policy = st_.policy;
      policy.BindInt(1, event.amount_minor);
      policy.BindText(2, Arg(event, 0));
      policy.BindText(3, event.actor);
      policy.BindInt(4, event.time_micros);
      policy.BindInt(5, seq);
      return policy.Run("insert into policy_versions");
    }
    case EventKind::kReserved: {
      Statement& reserve = st_.reserve;
      reserve.BindText(1, event.op_id);
      reserve.BindText(2, event.scope.period);
      reserve.BindText(3, event.scope.key);
      reserve.BindText(4, event.scope.category);
      reserve.BindInt(5, event.amount_minor);
      reserve.BindInt(6, event.expiry_micros);
      reserve.BindText(7, event.actor);
      reserve.BindInt(8, seq);
      UPKEEP_RETURN_IF_ERROR(reserve.Run("insert into reservations"));
      return Decided(event, "reserve", static_cast<Outcome>(event.amount2_minor));
    }
    case EventKind::kSpent:
      return Decided(event, "spend", static_cast<Outcome>(event.amount2_minor));
    case EventKind::kPosted:
      return Resolve(event, "posted");
    case EventKind::kVoided:
      return Resolve(event, "voided");
    case EventKind::kExpired:
      return Resolve(event, "expired");
    case EventKind::kRefunded: {
      Statement& refund = st_.refund;  // a refund of a spend changes no row
      refund.BindText(1, event.ref_id);
      refund.BindInt(2, event.amount_minor);
      return refund.Run("update reservations");
    }
    case EventKind::kApprovalRequested: {
      Statement& request = st_.request;
      request.BindText(1, event.op_id);
      request.BindText(2, Arg(event, 0));
      request.BindText(3, event.scope.period);
      request.BindText(4, event.scope.key);
      request.BindText(5, event.scope.category);
      request.BindInt(6, event.amount_minor);
      request.BindText(7, event.actor);
      request.BindInt(8, seq);
      UPKEEP_RETURN_IF_ERROR(request.Run("insert into approvals"));
      return Decided(event, Arg(event, 0), Outcome::kNeedsApproval);
    }
    case EventKind::kApprovalGranted:
    case EventKind::kApprovalRejected:
    case EventKind::kApprovalWithdrawn: {
      Statement& decide = st_.decide;
      decide.BindText(1, event.ref_id);
      decide.BindText(2, event.kind == EventKind::kApprovalGranted    ? "granted"
                         : event.kind == EventKind::kApprovalRejected ? "rejected"
                                                                      : "withdrawn");
      decide.BindText(3, event.actor);
      decide.BindText(4, event.reason);
      decide.BindInt(5, seq);
      return decide.Run("update approvals");
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status TableWriter::PutBalance(const ScopeBalance& row) {
  Statement& balance = st_.balance;
  balance.BindInt(1, row.id);
  balance.BindText(2, row.scope.period);
  balance.BindText(3, ledger::ScopeKindName(row.scope.kind));
  balance.BindText(4, row.scope.key);
  balance.BindText(5, row.scope.category);
  balance.BindInt(6, row.balance.budget_minor);
  balance.BindInt(7, row.balance.reserved_minor);
  balance.BindInt(8, row.balance.spent_minor);
  balance.BindInt(9, row.balance.available_minor);
  balance.BindInt(10, row.balance.budget_version);
  return balance.Run("write balances");
}

}  // namespace upkeep::store

"""The ctypes layer: loads libupkeep.so and declares every C struct and function.

Nothing here is meant for users; the classes in the other modules wrap it. Every function has
its argtypes and restype declared. Strings the library allocates come back as c_void_p so that
they can be freed with upk_string_free; strings going in are (pointer, length) pairs whose bytes
the caller keeps alive for the duration of the call (see Keep).
"""

import ctypes
import ctypes.util
import os

from ctypes import (POINTER, Structure, CFUNCTYPE, c_char, c_char_p, c_double, c_int32,
                    c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p)


def _load():
    path = os.environ.get("UPKEEP_LIBRARY") or ctypes.util.find_library("upkeep")
    if not path:
        raise OSError("libupkeep.so not found: set UPKEEP_LIBRARY to its path")
    return ctypes.CDLL(path)


lib = _load()

status_t = c_int32


class Str(Structure):
    _fields_ = [("data", c_void_p), ("size", c_size_t)]


class Money(Structure):
    _fields_ = [("amount_minor", c_int64), ("currency", c_char * 4)]


def _sized(cls):
    """A struct whose first field is its size, set on construction like the _INIT macros."""
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.size = ctypes.sizeof(cls)

    cls.__init__ = __init__
    return cls


@_sized
class Balance(Structure):
    _fields_ = [("size", c_size_t), ("budget_minor", c_int64), ("reserved_minor", c_int64),
                ("spent_minor", c_int64), ("available_minor", c_int64),
                ("budget_version", c_int32)]


@_sized
class Scope(Structure):
    _fields_ = [("size", c_size_t), ("period", Str), ("kind", c_int32), ("key", Str),
                ("category", Str)]


@_sized
class ControlContext(Structure):
    _fields_ = [("size", c_size_t), ("rule_id", Str), ("actor", Str), ("period", Str),
                ("customer", Str), ("tier", Str), ("owner", Str), ("region", Str),
                ("category", Str), ("amount_minor", c_int64), ("time_micros", c_int64),
                ("uses_in_period", c_int32), ("path", POINTER(Balance)),
                ("path_count", c_size_t)]


@_sized
class AllocationInput(Structure):
    _fields_ = [("size", c_size_t), ("portfolio", c_void_p), ("tier", POINTER(c_uint32)),
                ("count", c_size_t), ("tier_count", c_size_t), ("pool", Money)]


CLASSIFY_FN = CFUNCTYPE(status_t, c_void_p, Str, c_void_p, c_size_t, POINTER(c_uint32),
                        POINTER(c_double), c_size_t)
ALLOCATE_FN = CFUNCTYPE(status_t, c_void_p, Str, POINTER(AllocationInput), POINTER(c_int64),
                        POINTER(c_uint64), POINTER(c_int64))
EVALUATE_FN = CFUNCTYPE(status_t, c_void_p, Str, POINTER(ControlContext), c_void_p)
DESTROY_FN = CFUNCTYPE(None, c_void_p)


@_sized
class ClassifierCallbacks(Structure):
    _fields_ = [("size", c_size_t), ("user_data", c_void_p), ("classify", CLASSIFY_FN),
                ("destroy", DESTROY_FN)]


@_sized
class AllocationCallbacks(Structure):
    _fields_ = [("size", c_size_t), ("user_data", c_void_p), ("allocate", ALLOCATE_FN),
                ("destroy", DESTROY_FN)]


@_sized
class ControlCallbacks(Structure):
    _fields_ = [("size", c_size_t), ("user_data", c_void_p), ("evaluate", EVALUATE_FN),
                ("destroy", DESTROY_FN)]


class Attribute(Structure):
    _fields_ = [("key", Str), ("value", Str)]


class MetricValue(Structure):
    _fields_ = [("name", Str), ("value", c_double)]


@_sized
class Customer(Structure):
    _fields_ = [("size", c_size_t), ("id", Str), ("name", Str), ("owner", Str), ("region", Str),
                ("revenue_minor", c_int64), ("gross_margin_minor", c_int64),
                ("growth", c_double), ("tenure_months", c_double), ("order_count", c_double),
                ("recency_days", c_double), ("satisfaction", c_double),
                ("churn_risk", c_double), ("attributes", POINTER(Attribute)),
                ("attribute_count", c_size_t), ("custom_metrics", POINTER(MetricValue)),
                ("custom_metric_count", c_size_t)]


@_sized
class CsvOptions(Structure):
    _fields_ = [("size", c_size_t), ("currency", Str), ("source", Str),
                ("skip_bad_rows", c_int32)]


@_sized
class PlanOptions(Structure):
    _fields_ = [("size", c_size_t), ("has_pool", c_int32), ("pool", Money),
                ("previous", c_void_p)]


@_sized
class PlanSummary(Structure):
    _fields_ = [("size", c_size_t), ("customer_count", c_size_t), ("tier_count", c_size_t),
                ("pool", Money), ("allocated_minor", c_int64), ("reserve_minor", c_int64),
                ("unallocated_minor", c_int64)]


@_sized
class PlanTier(Structure):
    _fields_ = [("size", c_size_t), ("name", Str), ("rule", Str), ("customers", c_size_t),
                ("amount_minor", c_int64), ("smallest_minor", c_int64),
                ("largest_minor", c_int64), ("flags", c_uint32), ("bound_minor", c_int64)]


@_sized
class PlanCustomer(Structure):
    _fields_ = [("size", c_size_t), ("id", Str), ("tier", c_uint32), ("rule_tier", c_uint32),
                ("tier_reason", c_int32), ("score", c_double), ("amount_minor", c_int64),
                ("base_minor", c_int64), ("weight", c_uint64), ("bound_minor", c_int64),
                ("step", c_uint32), ("flags", c_uint32)]


@_sized
class LedgerOptions(Structure):
    _fields_ = [("size", c_size_t), ("currency", Str), ("bootstrap_admin", Str),
                ("fixed_time_micros", c_int64), ("refund_returns_to_budget", c_int32)]


@_sized
class BookOptions(Structure):
    _fields_ = [("size", c_size_t), ("ledger", LedgerOptions), ("durability", c_int32),
                ("group_events_max", c_uint32), ("create_if_missing", c_int32),
                ("snapshot_every_events", c_uint64), ("registry", c_void_p)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger = LedgerOptions()
        self.group_events_max, self.create_if_missing = 4096, 1
        self.snapshot_every_events = 1_000_000


class Envelope(Structure):
    _fields_ = [("customer", Str), ("tier", Str), ("amount_minor", c_int64)]


@_sized
class BudgetRequest(Structure):
    _fields_ = [("size", c_size_t), ("op_id", Str), ("actor", Str), ("period", Str),
                ("category", Str), ("reason", Str)]


@_sized
class BudgetChange(Structure):
    _fields_ = [("size", c_size_t), ("op_id", Str), ("actor", Str), ("scope", Scope),
                ("to", Scope), ("amount", Money), ("reason", Str)]


@_sized
class Request(Structure):
    _fields_ = [("size", c_size_t), ("op_id", Str), ("actor", Str), ("period", Str),
                ("customer", Str), ("category", Str), ("amount", Money),
                ("expiry_micros", c_int64), ("reason", Str), ("explain", c_int32),
                ("envelope", c_uint32)]


@_sized
class RequestColumns(Structure):
    _fields_ = [("size", c_size_t), ("count", c_size_t), ("actor", Str), ("period", Str),
                ("category", Str), ("currency", c_char * 4), ("op_ids", Str),
                ("op_id_sizes", c_void_p), ("customers", Str), ("customer_sizes", c_void_p),
                ("envelopes", c_void_p), ("amounts_minor", c_void_p),
                ("expiry_micros", c_int64), ("reason", Str)]


@_sized
class Result(Structure):
    _fields_ = [("size", c_size_t), ("status", status_t), ("outcome", c_int32),
                ("replayed", c_int32), ("reason_count", c_uint32)]


@_sized
class SettleRequest(Structure):
    _fields_ = [("size", c_size_t), ("op_id", Str), ("actor", Str), ("target_id", Str),
                ("has_amount", c_int32), ("amount", Money), ("return_to_budget", c_int32),
                ("reason", Str)]


@_sized
class Reservation(Structure):
    _fields_ = [("size", c_size_t), ("status", c_int32), ("amount_minor", c_int64),
                ("posted_minor", c_int64), ("refunded_minor", c_int64),
                ("expiry_micros", c_int64)]


@_sized
class Reason(Structure):
    _fields_ = [("size", c_size_t), ("outcome", c_int32), ("rule_id", Str), ("scope", Scope),
                ("balance", Balance), ("requested_minor", c_int64),
                ("shortfall_minor", c_int64), ("message", Str), ("remedy", Str)]


@_sized
class MonitorOptions(Structure):
    _fields_ = [("size", c_size_t), ("alert_log_max", c_size_t)]


@_sized
class Metrics(Structure):
    _fields_ = [("size", c_size_t), ("budget_minor", c_int64), ("reserved_minor", c_int64),
                ("spent_minor", c_int64), ("available_minor", c_int64), ("used_minor", c_int64),
                ("utilization_bp", c_int64), ("elapsed_bp", c_int64),
                ("burn_rate_minor_per_day", c_int64), ("projected_minor", c_int64),
                ("expected_share_bp", c_int64), ("has_days_until_exhaustion", c_int32),
                ("days_until_exhaustion", c_int64), ("plan_minor", c_int64),
                ("variance_minor", c_int64)]


@_sized
class Alert(Structure):
    _fields_ = [("size", c_size_t), ("seq", c_uint64), ("rule_id", Str), ("kind", c_int32),
                ("cleared", c_int32), ("threshold_bp", c_int64), ("time_micros", c_int64),
                ("scope", Scope), ("metrics", Metrics), ("spend_minor", c_int64),
                ("median_minor", c_int64), ("message", Str), ("forecast", Str)]


ON_ALERT_FN = CFUNCTYPE(None, c_void_p, POINTER(Alert))


@_sized
class AlertCallbacks(Structure):
    _fields_ = [("size", c_size_t), ("user_data", c_void_p), ("on_alert", ON_ALERT_FN),
                ("destroy", DESTROY_FN)]


@_sized
class MetricsRequest(Structure):
    _fields_ = [("size", c_size_t), ("scope", Scope), ("now_micros", c_int64),
                ("has_plan", c_int32), ("plan_minor", c_int64)]


@_sized
class BudgetReportRequest(Structure):
    _fields_ = [("size", c_size_t), ("period", Str), ("group_by", c_int32), ("category", Str)]


@_sized
class UtilizationRequest(Structure):
    _fields_ = [("size", c_size_t), ("period", Str), ("level", c_int32), ("category", Str),
                ("now_micros", c_int64)]


@_sized
class CloseRequest(Structure):
    _fields_ = [("size", c_size_t), ("actor", Str), ("period", Str), ("next_period", Str),
                ("carry_lots_json", Str)]


@_sized
class RolloverSummary(Structure):
    _fields_ = [("size", c_size_t), ("settlement_count", c_size_t), ("unused_minor", c_int64),
                ("carried_minor", c_int64), ("forfeited_minor", c_int64),
                ("swept_minor", c_int64), ("moved_minor", c_int64)]


@_sized
class OutcomeRecord(Structure):
    _fields_ = [("size", c_size_t), ("customer", Str), ("period", Str), ("revenue_minor", c_int64),
                ("revenue_before_minor", c_int64), ("renewal", c_int32)]


@_sized
class CustomerFeedback(Structure):
    _fields_ = [("size", c_size_t), ("id", Str), ("customer", Str), ("period", Str),
                ("has_satisfaction", c_int32), ("satisfaction", c_int32),
                ("has_recommend", c_int32), ("recommend", c_int32), ("complaints", c_int32),
                ("comment", Str)]


@_sized
class Assessment(Structure):
    _fields_ = [("size", c_size_t), ("id", Str), ("customer", Str), ("period", Str),
                ("author", Str), ("role", c_int32), ("rating", c_int32), ("comment", Str)]


@_sized
class EffectivenessRequest(Structure):
    _fields_ = [("size", c_size_t), ("period", Str), ("group_by", c_int32)]


@_sized
class TestSummary(Structure):
    _fields_ = [("size", c_size_t), ("passed", c_size_t), ("failed", c_size_t)]


P = POINTER
vp = c_void_p
out_vp = P(c_void_p)

# name: (restype, [argtypes])
_PROTOTYPES = {
    "upk_version": (c_char_p, []),
    "upk_version_number": (c_int32, []),
    "upk_status_name": (c_char_p, [status_t]),
    "upk_last_error_message": (c_char_p, []),
    "upk_callback_fail": (status_t, [c_char_p]),
    "upk_string_free": (None, [c_void_p]),
    "upk_currency_exponent": (status_t, [P(c_int32), Str]),
    "upk_money_format": (status_t, [out_vp, Money]),
    "upk_money_parse": (status_t, [P(Money), Str, Str]),
    "upk_outcome_name": (c_char_p, [c_int32]),
    "upk_control_verdict_add": (status_t, [vp, c_int32, c_int64, Str, Str]),
    "upk_registry_new": (status_t, [out_vp]),
    "upk_registry_free": (None, [vp]),
    "upk_registry_add_classifier": (status_t, [vp, Str, P(ClassifierCallbacks)]),
    "upk_registry_add_allocation": (status_t, [vp, Str, P(AllocationCallbacks)]),
    "upk_registry_add_control": (status_t, [vp, Str, P(ControlCallbacks)]),
    "upk_policy_compile": (status_t, [out_vp, Str, vp]),
    "upk_policy_free": (None, [vp]),
    "upk_policy_currency": (status_t, [P(Str), vp]),
    "upk_policy_tier_count": (status_t, [P(c_size_t), vp]),
    "upk_policy_tier_name": (status_t, [P(Str), vp, c_size_t]),
    "upk_portfolio_builder_new": (status_t, [out_vp, Str]),
    "upk_portfolio_builder_free": (None, [vp]),
    "upk_portfolio_builder_add": (status_t, [vp, P(Customer)]),
    "upk_portfolio_builder_add_many": (status_t, [P(c_size_t), vp, P(Customer), c_size_t]),
    "upk_portfolio_build": (status_t, [out_vp, vp]),
    "upk_portfolio_from_csv": (status_t, [out_vp, out_vp, Str, P(CsvOptions)]),
    "upk_portfolio_free": (None, [vp]),
    "upk_portfolio_count": (status_t, [P(c_size_t), vp]),
    "upk_portfolio_customer": (status_t, [P(Customer), vp, c_size_t]),
    "upk_portfolio_find": (status_t, [P(c_size_t), vp, Str]),
    "upk_portfolio_metric": (status_t, [P(c_double), vp, Str, c_size_t]),
    "upk_plan_new": (status_t, [out_vp, vp, vp, P(PlanOptions)]),
    "upk_plan_free": (None, [vp]),
    "upk_plan_summary_get": (status_t, [P(PlanSummary), vp]),
    "upk_plan_tier_get": (status_t, [P(PlanTier), vp, c_size_t]),
    "upk_plan_customer_get": (status_t, [P(PlanCustomer), vp, c_size_t]),
    "upk_plan_find_customer": (status_t, [P(c_size_t), vp, Str]),
    "upk_plan_explain_tier": (status_t, [out_vp, vp, c_size_t]),
    "upk_plan_explain_amount": (status_t, [out_vp, vp, c_size_t]),
    "upk_plan_explain_sizing": (status_t, [out_vp, vp]),
    "upk_plan_to_json": (status_t, [out_vp, vp]),
    "upk_ledger_new": (status_t, [out_vp, P(LedgerOptions)]),
    "upk_ledger_free": (None, [vp]),
    "upk_ledger_define_actor": (status_t, [vp, Str, Str, c_int32]),
    "upk_ledger_define_category": (status_t, [vp, Str, Str]),
    "upk_ledger_define_tier": (status_t, [vp, Str, Str]),
    "upk_ledger_define_customer": (status_t, [vp, Str, Str, Str, Str, Str]),
    "upk_ledger_define_period": (status_t, [vp, Str, Str, c_int64, c_int64]),
    "upk_ledger_close_period": (status_t, [vp, Str, Str]),
    "upk_ledger_set_policies": (status_t, [vp, Str, Str, vp]),
    "upk_ledger_apply_allocation": (status_t, [vp, P(BudgetRequest), P(Envelope), c_size_t]),
    "upk_ledger_apply_plan": (status_t, [vp, P(BudgetRequest), vp]),
    "upk_ledger_revise": (status_t, [vp, P(BudgetChange)]),
    "upk_ledger_transfer": (status_t, [vp, P(BudgetChange)]),
    "upk_ledger_set_dimension_budget": (status_t, [vp, P(BudgetChange)]),
    "upk_ledger_reserve": (status_t, [P(Result), vp, vp, P(Request)]),
    "upk_ledger_spend": (status_t, [P(Result), vp, vp, P(Request)]),
    "upk_ledger_check": (status_t, [P(Result), vp, vp, P(Request), c_int32]),
    "upk_ledger_resolve_envelope": (status_t, [P(c_uint32), vp, Str, Str, Str]),
    "upk_ledger_reserve_batch": (status_t, [P(Result), vp, P(Request), c_size_t]),
    "upk_ledger_spend_batch": (status_t, [P(Result), vp, P(Request), c_size_t]),
    "upk_ledger_check_batch": (status_t, [P(Result), vp, P(Request), c_size_t, c_int32]),
    "upk_ledger_reserve_columns": (status_t, [P(Result), vp, P(RequestColumns)]),
    "upk_ledger_spend_columns": (status_t, [P(Result), vp, P(RequestColumns)]),
    "upk_ledger_check_columns": (status_t, [P(Result), vp, P(RequestColumns), c_int32]),
    "upk_ledger_post": (status_t, [vp, P(SettleRequest)]),
    "upk_ledger_void": (status_t, [vp, P(SettleRequest)]),
    "upk_ledger_refund": (status_t, [vp, P(SettleRequest)]),
    "upk_ledger_expire": (status_t, [P(c_int64), vp, Str, c_int64]),
    "upk_ledger_approve": (status_t, [P(Result), vp, vp, Str, Str, Str]),
    "upk_ledger_reject_approval": (status_t, [vp, Str, Str, Str]),
    "upk_ledger_withdraw_approval": (status_t, [vp, Str, Str, Str]),
    "upk_ledger_balance": (status_t, [P(Balance), vp, P(Scope)]),
    "upk_ledger_reservation": (status_t, [P(Reservation), vp, Str]),
    "upk_ledger_scopes_json": (status_t, [out_vp, vp]),
    "upk_ledger_pending_approvals_json": (status_t, [out_vp, vp]),
    "upk_ledger_history_json": (status_t, [out_vp, vp, P(Scope)]),
    "upk_ledger_dump_state": (status_t, [out_vp, vp]),
    "upk_ledger_journal_size": (status_t, [P(c_uint64), vp]),
    "upk_ledger_journal_seal": (status_t, [P(c_uint8), vp]),
    "upk_ledger_journal_verify": (status_t, [vp]),
    "upk_decision_new": (status_t, [out_vp]),
    "upk_decision_free": (None, [vp]),
    "upk_decision_outcome": (status_t, [P(c_int32), vp]),
    "upk_decision_reason_count": (status_t, [P(c_size_t), vp]),
    "upk_decision_reason": (status_t, [P(Reason), vp, c_size_t]),
    "upk_decision_explain": (status_t, [out_vp, vp]),
    "upk_decision_to_json": (status_t, [out_vp, vp]),
    "upk_ledger_attach_monitoring": (status_t, [vp, vp, P(MonitorOptions)]),
    "upk_ledger_sweep": (status_t, [vp, c_int64]),
    "upk_alert_kind_name": (c_char_p, [c_int32]),
    "upk_alert_list_new": (status_t, [out_vp]),
    "upk_alert_list_free": (None, [vp]),
    "upk_alert_list_count": (status_t, [P(c_size_t), vp]),
    "upk_alert_list_get": (status_t, [P(Alert), vp, c_size_t]),
    "upk_alert_list_to_json": (status_t, [out_vp, vp]),
    "upk_ledger_alerts": (status_t, [vp, vp, c_int32]),
    "upk_ledger_subscribe_alerts": (status_t, [vp, P(AlertCallbacks)]),
    "upk_ledger_metrics": (status_t, [P(Metrics), vp, P(MetricsRequest)]),
    "upk_ledger_budget_report_json": (status_t, [out_vp, vp, P(BudgetReportRequest)]),
    "upk_ledger_utilization_json": (status_t, [out_vp, vp, P(UtilizationRequest)]),
    "upk_ledger_forecast_json": (status_t, [out_vp, vp, P(MetricsRequest)]),
    "upk_ledger_close_and_rollover": (status_t, [P(RolloverSummary), out_vp, vp, vp,
                                                 P(CloseRequest)]),
    "upk_ledger_record_outcome": (status_t, [P(c_int32), vp, P(OutcomeRecord)]),
    "upk_ledger_record_feedback": (status_t, [P(c_int32), vp, P(CustomerFeedback)]),
    "upk_ledger_record_assessment": (status_t, [P(c_int32), vp, P(Assessment)]),
    "upk_ledger_record_outcomes": (status_t, [P(c_size_t), vp, P(OutcomeRecord), c_size_t]),
    "upk_ledger_record_feedbacks": (status_t, [P(c_size_t), vp, P(CustomerFeedback), c_size_t]),
    "upk_ledger_record_assessments": (status_t, [P(c_size_t), vp, P(Assessment), c_size_t]),
    "upk_ledger_feedback_json": (status_t, [out_vp, vp]),
    "upk_ledger_effectiveness_json": (status_t, [out_vp, vp, P(EffectivenessRequest)]),
    "upk_ledger_propose": (status_t, [out_vp, vp, vp, Str]),
    "upk_proposal_free": (None, [vp]),
    "upk_proposal_state": (status_t, [P(c_int32), vp]),
    "upk_proposal_approve": (status_t, [vp, Str]),
    "upk_proposal_reject": (status_t, [vp, Str]),
    "upk_proposal_mark_applied": (status_t, [vp]),
    "upk_proposal_to_json": (status_t, [out_vp, vp]),
    "upk_proposal_simulate_json": (status_t, [out_vp, vp, vp, vp, vp, P(PlanOptions)]),
    "upk_plan_from_proposal": (status_t, [out_vp, vp, vp, vp, vp, P(PlanOptions)]),
    "upk_book_open": (status_t, [out_vp, Str, P(BookOptions)]),
    "upk_book_commit": (status_t, [vp]),
    "upk_book_snapshot": (status_t, [P(c_uint64), vp]),
    "upk_book_verify": (status_t, [vp]),
    "upk_book_close": (status_t, [vp]),
    "upk_run_policy_tests": (status_t, [P(TestSummary), out_vp, Str, vp]),
}

for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _function = getattr(lib, _name)
    _function.restype = _restype
    _function.argtypes = _argtypes


class Keep(list):
    """Bytes kept alive while a call that borrows them runs."""

    def s(self, text):
        """An upk_str for `text` (str is encoded as UTF-8; bytes are passed as they are)."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        self.append(data)
        return Str(ctypes.cast(c_char_p(data), c_void_p), len(data))


def read_str(s):
    """The text of a borrowed upk_str."""
    if not s.size:
        return ""
    return ctypes.string_at(s.data, s.size).decode("utf-8")


def take_string(pointer):
    """The text of a library-allocated string, which is then freed."""
    if not pointer.value:
        return ""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib.upk_string_free(pointer)


def money(amount_minor, currency):
    return Money(int(amount_minor), currency.encode("ascii"))

"""The budget ledger: budgets, reservations, spends, decisions with reasons, approvals."""

import ctypes
import json
from array import array
from dataclasses import dataclass, field
from operator import itemgetter

from . import _lib
from ._handle import Handle
from .custom import OUTCOMES
from .errors import check
from .feedback import FeedbackMixin
from .monitoring import MonitoringMixin, scope_dict, scope_struct
from .planning import _out_text

L = _lib.lib
ROLES = ("account_manager", "manager", "finance", "admin")
RESERVATION_STATUSES = ("open", "posted", "voided", "expired", "pending")


@dataclass(frozen=True)
class Reason:
    outcome: str
    rule_id: str
    scope: dict
    balance: dict
    requested_minor: int
    shortfall_minor: int
    message: str
    remedy: str


@dataclass
class Result:
    """The answer to a request: outcome name, whether it was a retry, and (if asked) reasons."""

    outcome: str
    replayed: bool
    reason_count: int
    reasons: list = field(default_factory=list)
    explanation: str = ""


def _balance(b):
    return {"budget_minor": b.budget_minor, "reserved_minor": b.reserved_minor,
            "spent_minor": b.spent_minor, "available_minor": b.available_minor,
            "budget_version": b.budget_version}


class _Decision(Handle):
    _free = L.upk_decision_free

    def __init__(self):
        out = ctypes.c_void_p()
        check(L.upk_decision_new(ctypes.byref(out)))
        super().__init__(out)

    def reasons(self):
        count = ctypes.c_size_t()
        check(L.upk_decision_reason_count(ctypes.byref(count), self._handle))
        out = []
        for i in range(count.value):
            r = _lib.Reason()
            check(L.upk_decision_reason(ctypes.byref(r), self._handle, i))
            out.append(Reason(OUTCOMES[r.outcome], _lib.read_str(r.rule_id),
                              scope_dict(r.scope), _balance(r.balance), r.requested_minor,
                              r.shortfall_minor, _lib.read_str(r.message),
                              _lib.read_str(r.remedy)))
        return out

    def explain(self):
        return _out_text(L.upk_decision_explain, self._handle)


@dataclass
class BatchResult:
    """Per request of a batch: status codes (0 = ok), outcome numbers and replay flags."""

    status: array
    outcome: array
    replayed: array

    def outcomes(self):
        return [OUTCOMES[o] for o in self.outcome]


def _ledger_options(keep, options, currency, bootstrap_admin, fixed_time_micros,
                    refund_returns_to_budget):
    options.currency, options.bootstrap_admin = keep.s(currency), keep.s(bootstrap_admin)
    options.fixed_time_micros = fixed_time_micros
    options.refund_returns_to_budget = 1 if refund_returns_to_budget else 0
    return options


class Ledger(FeedbackMixin, MonitoringMixin, Handle):
    """A ledger in one currency with its own in-memory journal. Safe to share between threads."""

    _free = L.upk_ledger_free

    def __init__(self, currency, bootstrap_admin="admin", fixed_time_micros=0,
                 refund_returns_to_budget=True):
        keep = _lib.Keep()
        options = _ledger_options(keep, _lib.LedgerOptions(), currency, bootstrap_admin,
                                  fixed_time_micros, refund_returns_to_budget)
        out = ctypes.c_void_p()
        check(L.upk_ledger_new(ctypes.byref(out), ctypes.byref(options)))
        self._adopt(out, currency)

    def _adopt(self, handle, currency):
        Handle.__init__(self, handle)
        self.currency = currency
        self._currency_code = currency.encode("ascii")

    # ---- definitions -------------------------------------------------------------------------

    def define_actor(self, actor, actor_id, role):
        keep = _lib.Keep()
        check(L.upk_ledger_define_actor(self._handle, keep.s(actor), keep.s(actor_id),
                                        ROLES.index(role)))

    def define_category(self, actor, category):
        keep = _lib.Keep()
        check(L.upk_ledger_define_category(self._handle, keep.s(actor), keep.s(category)))

    def define_tier(self, actor, tier):
        keep = _lib.Keep()
        check(L.upk_ledger_define_tier(self._handle, keep.s(actor), keep.s(tier)))

    def define_customer(self, actor, customer_id, tier, owner="", region=""):
        keep = _lib.Keep()
        check(L.upk_ledger_define_customer(self._handle, keep.s(actor), keep.s(customer_id),
                                           keep.s(tier), keep.s(owner), keep.s(region)))

    def define_period(self, actor, period, start_micros, end_micros):
        keep = _lib.Keep()
        check(L.upk_ledger_define_period(self._handle, keep.s(actor), keep.s(period),
                                         start_micros, end_micros))

    def close_period(self, actor, period):
        keep = _lib.Keep()
        check(L.upk_ledger_close_period(self._handle, keep.s(actor), keep.s(period)))

    def set_policies(self, actor, control, registry=None):
        """control: the control document, JSON text or a dict."""
        keep = _lib.Keep()
        text = control if isinstance(control, str) else json.dumps(control)
        check(L.upk_ledger_set_policies(self._handle, keep.s(actor), keep.s(text),
                                        registry.handle if registry else None))

    # ---- budgets -----------------------------------------------------------------------------

    def _budget_request(self, keep, op_id, actor, period, category, reason):
        r = _lib.BudgetRequest()
        r.op_id, r.actor, r.period, r.category, r.reason = (
            keep.s(op_id), keep.s(actor), keep.s(period), keep.s(category), keep.s(reason))
        return r

    def apply_allocation(self, op_id, actor, period, category, envelopes, reason=""):
        """envelopes: (customer, tier or "", amount_minor) tuples."""
        keep = _lib.Keep()
        rows = list(envelopes)
        array_ = (_lib.Envelope * len(rows))(
            *[_lib.Envelope(keep.s(c), keep.s(t), int(a)) for c, t, a in rows])
        request = self._budget_request(keep, op_id, actor, period, category, reason)
        check(L.upk_ledger_apply_allocation(self._handle, ctypes.byref(request), array_, len(rows)))

    def apply_plan(self, op_id, actor, period, category, plan, reason=""):
        keep = _lib.Keep()
        request = self._budget_request(keep, op_id, actor, period, category, reason)
        check(L.upk_ledger_apply_plan(self._handle, ctypes.byref(request), plan.handle))

    def _change(self, function, op_id, actor, scope, amount_minor, reason, to=None):
        keep = _lib.Keep()
        c = _lib.BudgetChange()
        c.op_id, c.actor, c.reason = keep.s(op_id), keep.s(actor), keep.s(reason)
        c.scope = scope_struct(keep, *scope)
        if to is not None:
            c.to = scope_struct(keep, *to)
        c.amount = _lib.money(amount_minor, self.currency)
        check(function(self._handle, ctypes.byref(c)))

    def revise(self, op_id, actor, scope, budget_minor, reason):
        """scope: (period, kind, key, category)."""
        self._change(L.upk_ledger_revise, op_id, actor, scope, budget_minor, reason)

    def transfer(self, op_id, actor, from_scope, to_scope, amount_minor, reason):
        self._change(L.upk_ledger_transfer, op_id, actor, from_scope, amount_minor, reason,
                     to_scope)

    def set_dimension_budget(self, op_id, actor, scope, budget_minor, reason=""):
        self._change(L.upk_ledger_set_dimension_budget, op_id, actor, scope, budget_minor, reason)

    # ---- money movements ---------------------------------------------------------------------

    def _request(self, keep, op_id, actor, period, customer, category, amount_minor,
                 expiry_micros, reason, explain):
        r = _lib.Request()
        r.op_id, r.actor, r.period, r.customer, r.category, r.reason = (
            keep.s(op_id), keep.s(actor), keep.s(period), keep.s(customer), keep.s(category),
            keep.s(reason))
        r.amount = _lib.money(amount_minor, self.currency)
        r.expiry_micros, r.explain = expiry_micros, 1 if explain else 0
        return r

    def _submit(self, function, extra, op_id, actor, period, customer, category, amount_minor,
                expiry_micros=0, reason="", explain=False, details=True):
        keep = _lib.Keep()
        request = self._request(keep, op_id, actor, period, customer, category, amount_minor,
                                expiry_micros, reason, explain)
        result = _lib.Result()
        decision = _Decision() if details else None
        status = function(ctypes.byref(result), decision.handle if decision else None,
                          self._handle, ctypes.byref(request), *extra)
        check(status)
        out = Result(OUTCOMES[result.outcome], bool(result.replayed), result.reason_count)
        if decision is not None:
            out.reasons, out.explanation = decision.reasons(), decision.explain()
            decision.close()
        return out

    def reserve(self, op_id, actor, period, customer, category, amount_minor, **kw):
        """Returns a Result; a rejection is a Result with outcome "reject", not an exception.
        Keywords: expiry_micros, reason, explain, details (False: skip reading the reasons)."""
        return self._submit(L.upk_ledger_reserve, (), op_id, actor, period, customer, category,
                            amount_minor, **kw)

    def spend(self, op_id, actor, period, customer, category, amount_minor, **kw):
        return self._submit(L.upk_ledger_spend, (), op_id, actor, period, customer, category,
                            amount_minor, **kw)

    def check(self, op_id, actor, period, customer, category, amount_minor, as_spend=False, **kw):
        """The dry run: what reserve (or spend) would answer now; changes nothing."""
        return self._submit(L.upk_ledger_check, (1 if as_spend else 0,), op_id, actor, period,
                            customer, category, amount_minor, **kw)

    def _columns(self, function, extra, actor, period, category, op_ids, targets, amounts_minor):
        """One upk_request_columns call: each column crosses as one buffer (strings back to back
        with an array of their sizes, amounts as an int64 array), so that Python does no work per
        request beyond what join, encode and array do in C. extra: the function's arguments after
        the columns (as_spend for a check)."""
        n = len(op_ids)
        if n == 0:
            return BatchResult(array("i"), array("i"), array("i"))
        if not (len(targets) == len(amounts_minor) == n):
            raise ValueError("op_ids, targets and amounts_minor differ in length")
        keep = _lib.Keep()
        c = _lib.RequestColumns()
        c.count, c.currency = n, self._currency_code
        c.actor, c.reason = keep.s(actor), keep.s("")
        c.op_ids, sizes = _text_column(op_ids, keep)
        c.op_id_sizes = _pointer(sizes, keep)
        if targets and isinstance(targets[0], int):
            c.envelopes = _pointer(array("I", targets), keep)
        else:
            c.period, c.category = keep.s(period), keep.s(category)
            c.customers, sizes = _text_column(targets, keep)
            c.customer_sizes = _pointer(sizes, keep)
        amounts = amounts_minor if isinstance(amounts_minor, array) and \
            amounts_minor.typecode == "q" else array("q", amounts_minor)
        c.amounts_minor = _pointer(amounts, keep)
        results = array("Q", bytes(24 * n))
        results[0::3] = array("Q", [ctypes.sizeof(_lib.Result)]) * n
        result_array = (_lib.Result * n).from_buffer(results)
        status = function(result_array, self._handle, ctypes.byref(c), *extra)
        del result_array
        check(status)
        ints = array("i", results.tobytes())
        return BatchResult(ints[2::6], ints[3::6], ints[4::6])

    def reserve_columns(self, actor, period, category, op_ids, targets, amounts_minor):
        """The fastest batch: the requests as three columns (sequences of equal length): op ids,
        customers (or envelope handles from resolve_envelope; then period and category are not
        used) and amounts in minor units (an array("q") is used as it is). Answers like
        reserve_batch."""
        return self._columns(L.upk_ledger_reserve_columns, (), actor, period, category, op_ids,
                             targets, amounts_minor)

    def spend_columns(self, actor, period, category, op_ids, targets, amounts_minor):
        return self._columns(L.upk_ledger_spend_columns, (), actor, period, category, op_ids,
                             targets, amounts_minor)

    def check_columns(self, actor, period, category, op_ids, targets, amounts_minor,
                      as_spend=False):
        """The dry run of reserve_columns (or spend_columns): what check would answer for each
        request, against the ledger as it is (the requests do not see each other); changes
        nothing. Answers like reserve_batch."""
        return self._columns(L.upk_ledger_check_columns, (1 if as_spend else 0,), actor, period,
                             category, op_ids, targets, amounts_minor)

    def _batch(self, function, extra, actor, period, category, requests):
        requests = requests if isinstance(requests, (list, tuple)) else list(requests)
        columns = [list(map(itemgetter(k), requests)) for k in range(3)]
        return self._columns(function, extra, actor, period, category, *columns)

    def reserve_batch(self, actor, period, category, requests):
        """requests: (op_id, customer, amount_minor) tuples, or (op_id, envelope handle,
        amount_minor) with handles from resolve_envelope (then period and category are not used).
        One crossing for the batch; each request applies on its own. Returns a BatchResult."""
        return self._batch(L.upk_ledger_reserve_columns, (), actor, period, category, requests)

    def spend_batch(self, actor, period, category, requests):
        return self._batch(L.upk_ledger_spend_columns, (), actor, period, category, requests)

    def check_batch(self, actor, period, category, requests, as_spend=False):
        """The dry run of reserve_batch (or spend_batch, as_spend=True): each request checked as
        check would answer it, against the ledger as it is (the requests do not see each other);
        changes nothing. Returns a BatchResult."""
        return self._batch(L.upk_ledger_check_columns, (1 if as_spend else 0,), actor, period,
                           category, requests)

    def resolve_envelope(self, period, customer, category):
        """A handle (int, never 0) for a customer envelope, for batches on hot paths."""
        keep = _lib.Keep()
        out = ctypes.c_uint32()
        check(L.upk_ledger_resolve_envelope(ctypes.byref(out), self._handle, keep.s(period),
                                            keep.s(customer), keep.s(category)))
        return out.value

    def _settle(self, function, op_id, actor, target_id, amount_minor=None, reason="",
                return_to_budget=None):
        keep = _lib.Keep()
        r = _lib.SettleRequest()
        r.op_id, r.actor, r.target_id, r.reason = (keep.s(op_id), keep.s(actor),
                                                   keep.s(target_id), keep.s(reason))
        if amount_minor is not None:
            r.has_amount, r.amount = 1, _lib.money(amount_minor, self.currency)
        r.return_to_budget = -1 if return_to_budget is None else int(bool(return_to_budget))
        check(function(self._handle, ctypes.byref(r)))

    def post(self, op_id, actor, reservation_id, amount_minor=None, reason=""):
        self._settle(L.upk_ledger_post, op_id, actor, reservation_id, amount_minor, reason)

    def void(self, op_id, actor, reservation_id, reason=""):
        self._settle(L.upk_ledger_void, op_id, actor, reservation_id, None, reason)

    def refund(self, op_id, actor, target_id, amount_minor=None, reason="",
               return_to_budget=None):
        self._settle(L.upk_ledger_refund, op_id, actor, target_id, amount_minor, reason,
                     return_to_budget)

    def expire(self, actor, now_micros):
        keep = _lib.Keep()
        out = ctypes.c_int64()
        check(L.upk_ledger_expire(ctypes.byref(out), self._handle, keep.s(actor), now_micros))
        return out.value

    def approve(self, actor, approval_id, reason=""):
        keep = _lib.Keep()
        result = _lib.Result()
        decision = _Decision()
        try:
            check(L.upk_ledger_approve(ctypes.byref(result), decision.handle, self._handle,
                                       keep.s(actor), keep.s(approval_id), keep.s(reason)))
            return Result(OUTCOMES[result.outcome], False, result.reason_count,
                          decision.reasons(), decision.explain())
        finally:
            decision.close()

    def reject_approval(self, actor, approval_id, reason=""):
        keep = _lib.Keep()
        check(L.upk_ledger_reject_approval(self._handle, keep.s(actor), keep.s(approval_id),
                                           keep.s(reason)))

    def withdraw_approval(self, actor, approval_id, reason=""):
        """The requester takes back their own pending request (its op id stays used)."""
        keep = _lib.Keep()
        check(L.upk_ledger_withdraw_approval(self._handle, keep.s(actor), keep.s(approval_id),
                                             keep.s(reason)))

    def close_and_rollover(self, policy, actor, period, next_period, carry_lots=None):
        """Closes `period` and settles each envelope's unused (or overspent) money into
        `next_period` by the "rollover" section of `policy`; returns the plan as a dict
        (totals in minor units, "settlements" with their explanations, "lots_after"). Allocate
        the next period first. carry_lots: the previous close's "lots_after" (carry_expiring
        rules), a dict or JSON text."""
        keep = _lib.Keep()
        r = _lib.CloseRequest()
        lots = carry_lots if carry_lots is None or isinstance(carry_lots, str) else json.dumps(
            carry_lots)
        r.actor, r.period, r.next_period, r.carry_lots_json = (
            keep.s(actor), keep.s(period), keep.s(next_period), keep.s(lots or ""))
        summary = _lib.RolloverSummary()
        plan = ctypes.c_void_p()
        check(L.upk_ledger_close_and_rollover(ctypes.byref(summary), ctypes.byref(plan),
                                              self._handle, policy.handle, ctypes.byref(r)))
        return json.loads(_lib.take_string(plan))

    # ---- reads -------------------------------------------------------------------------------

    def balance(self, period, kind="customer", key="", category=""):
        keep = _lib.Keep()
        scope = scope_struct(keep, period, kind, key, category)
        out = _lib.Balance()
        check(L.upk_ledger_balance(ctypes.byref(out), self._handle, ctypes.byref(scope)))
        return _balance(out)

    def reservation(self, op_id):
        keep = _lib.Keep()
        out = _lib.Reservation()
        check(L.upk_ledger_reservation(ctypes.byref(out), self._handle, keep.s(op_id)))
        return {"status": RESERVATION_STATUSES[out.status], "amount_minor": out.amount_minor,
                "posted_minor": out.posted_minor, "refunded_minor": out.refunded_minor,
                "expiry_micros": out.expiry_micros}

    def scopes(self):
        return json.loads(_out_text(L.upk_ledger_scopes_json, self._handle))

    def pending_approvals(self):
        return json.loads(_out_text(L.upk_ledger_pending_approvals_json, self._handle))

    def history(self, period, kind="customer", key="", category=""):
        keep = _lib.Keep()
        scope = scope_struct(keep, period, kind, key, category)
        return json.loads(_out_text(L.upk_ledger_history_json, self._handle, ctypes.byref(scope)))

    def dump_state(self):
        return _out_text(L.upk_ledger_dump_state, self._handle)

    def journal_size(self):
        out = ctypes.c_uint64()
        check(L.upk_ledger_journal_size(ctypes.byref(out), self._handle))
        return out.value

    def seal(self):
        out = (ctypes.c_uint8 * 32)()
        check(L.upk_ledger_journal_seal(out, self._handle))
        return bytes(out).hex()

    def verify(self):
        check(L.upk_ledger_journal_verify(self._handle))


def _text_column(texts, keep):
    """An upk_str over `texts` back to back (UTF-8, kept alive by `keep`) and their sizes in
    bytes (array "I")."""
    joined = "".join(texts)
    blob = joined.encode("utf-8")
    if len(blob) == len(joined):  # ASCII: one byte per character
        sizes = array("I", map(len, texts))
    else:
        sizes = array("I", [len(t.encode("utf-8")) for t in texts])
    return keep.s(blob), sizes


def _pointer(buffer, keep):
    """The address of an array's items, the array kept alive by `keep`."""
    keep.append(buffer)
    return buffer.buffer_info()[0]


DURABILITY = ("sync_each_commit", "group_commit")


class Book(Ledger):
    """A durable ledger: a Ledger journaling into the store at `uri` ("sqlite:/path/book.db", a
    path, or "memory:"; docs/store.md), reopened in the state of its last durable operation.

    durability "sync_each_commit" (the default) makes every operation durable before it returns;
    "group_commit" makes them durable at commit(). close() commits and reports a failure (then
    the object is closed either way); being collected closes it quietly. An existing book must
    be opened in its own currency (CurrencyMismatch). registry: custom control policies that
    the book's journal names. One writer at a time: Busy for a second open."""

    def __init__(self, uri, currency, durability="sync_each_commit", create_if_missing=True,
                 snapshot_every_events=1_000_000, group_events_max=4096, registry=None,
                 bootstrap_admin="admin", fixed_time_micros=0, refund_returns_to_budget=True):
        keep = _lib.Keep()
        options = _lib.BookOptions()
        _ledger_options(keep, options.ledger, currency, bootstrap_admin, fixed_time_micros,
                        refund_returns_to_budget)
        options.durability = DURABILITY.index(durability)
        options.create_if_missing = 1 if create_if_missing else 0
        options.snapshot_every_events = snapshot_every_events
        options.group_events_max = group_events_max
        options.registry = registry.handle.value if registry is not None else None
        out = ctypes.c_void_p()
        check(L.upk_book_open(ctypes.byref(out), keep.s(uri), ctypes.byref(options)))
        self._adopt(out, currency)

    def commit(self):
        """Makes every operation so far durable (group commit); reports a failed background
        snapshot."""
        check(L.upk_book_commit(self._handle))

    def snapshot(self):
        """Writes a snapshot now; returns the number of journal entries it covers."""
        out = ctypes.c_uint64()
        check(L.upk_book_snapshot(ctypes.byref(out), self._handle))
        return out.value

    def verify(self):
        """Checks the whole journal's hash chain and every snapshot (Corrupt names the first
        damage)."""
        check(L.upk_book_verify(self._handle))

    def close(self):
        """Commits and closes; raises if the final commit failed. Closing twice does nothing."""
        handle, self._handle = self._handle, ctypes.c_void_p()
        if handle:
            check(L.upk_book_close(handle))

    def __del__(self):
        Handle.close(self)  # quietly: upk_ledger_free

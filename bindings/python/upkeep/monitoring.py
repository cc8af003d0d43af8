"""Monitoring of a ledger: alerts (pulled, or pushed to a Python callable), metrics, and the
reports as dicts (budget vs actual, utilization by level, forecast per scope).

    ledger.attach_monitoring(policy)          # the policy document's "monitoring" section
    ledger.subscribe_alerts(lambda alert: print(alert.message))
    ledger.reserve(...)                       # may raise "usage" at 80 % of an envelope
    ledger.sweep(now_micros)                  # rules that depend on time passing
    for alert in ledger.take_alerts(): ...    # what was raised or cleared since the last take

A subscriber runs on the thread whose ledger call raised the alert, inside that call (the ledger
is locked: it must not call the ledger). An exception it raises is kept and raised again, as
itself, from that ledger call once it returns; the operation itself was applied.
"""

import ctypes
import json
from dataclasses import dataclass

from . import _callbacks, _lib
from ._handle import Handle
from .errors import check, remember_callback_error
from .planning import _out_text

L = _lib.lib
SCOPE_KINDS = ("company", "tier", "customer", "owner", "region")
ALERT_KINDS = ("threshold", "pace", "forecast_breach", "anomaly", "under_use")
_WHICH = {"active": 0, "log": 1, "new": 2}
DIMENSIONS = ("company", "tier", "customer", "owner", "region", "category")


@dataclass(frozen=True)
class Alert:
    """A raised (or cleared) alert with the numbers that raised it; money in minor units."""

    seq: int
    rule_id: str
    kind: str
    cleared: bool
    threshold_bp: int
    time_micros: int
    scope: dict
    metrics: dict
    spend_minor: int
    median_minor: int
    message: str
    forecast: str


def _metrics(m):
    return {"budget_minor": m.budget_minor, "reserved_minor": m.reserved_minor,
            "spent_minor": m.spent_minor, "available_minor": m.available_minor,
            "used_minor": m.used_minor, "utilization_bp": m.utilization_bp,
            "elapsed_bp": m.elapsed_bp, "burn_rate_minor_per_day": m.burn_rate_minor_per_day,
            "projected_minor": m.projected_minor, "expected_share_bp": m.expected_share_bp,
            "days_until_exhaustion": (m.days_until_exhaustion if m.has_days_until_exhaustion
                                      else None),
            "plan_minor": m.plan_minor, "variance_minor": m.variance_minor}


def scope_dict(s):
    """An upk_scope as a dict: period, kind (name), key, category."""
    return {"period": _lib.read_str(s.period), "kind": SCOPE_KINDS[s.kind],
            "key": _lib.read_str(s.key), "category": _lib.read_str(s.category)}


def _alert(a):
    kind = ALERT_KINDS[a.kind] if a.kind < len(ALERT_KINDS) else str(a.kind)
    return Alert(a.seq, _lib.read_str(a.rule_id), kind, bool(a.cleared), a.threshold_bp,
                 a.time_micros, scope_dict(a.scope), _metrics(a.metrics), a.spend_minor,
                 a.median_minor, _lib.read_str(a.message), _lib.read_str(a.forecast))


def _on_alert(user_data, alert):
    try:
        _callbacks.held(user_data)(_alert(alert.contents))
    except BaseException as error:  # noqa: B036 - re-raised from the ledger call that raised it
        remember_callback_error(error)


_ON_ALERT = _lib.ON_ALERT_FN(_on_alert)  # module level: alive as long as the library may call it


class _AlertList(Handle):
    _free = L.upk_alert_list_free

    def __init__(self):
        out = ctypes.c_void_p()
        check(L.upk_alert_list_new(ctypes.byref(out)))
        super().__init__(out)

    def alerts(self):
        count = ctypes.c_size_t()
        check(L.upk_alert_list_count(ctypes.byref(count), self._handle))
        out = []
        for i in range(count.value):
            a = _lib.Alert()
            check(L.upk_alert_list_get(ctypes.byref(a), self._handle, i))
            out.append(_alert(a))
        return out

    def to_json(self):
        return _out_text(L.upk_alert_list_to_json, self._handle)


def scope_struct(keep, period, kind="customer", key="", category=""):
    """An upk_scope for (period, kind name, key, category), its text kept alive by `keep`."""
    s = _lib.Scope()
    s.period, s.kind, s.key, s.category = (keep.s(period), SCOPE_KINDS.index(kind), keep.s(key),
                                           keep.s(category))
    return s


def metrics_request(keep, scope, now_micros, plan_minor):
    r = _lib.MetricsRequest()
    r.scope = scope_struct(keep, *scope)
    r.now_micros = now_micros
    if plan_minor is not None:
        r.has_plan, r.plan_minor = 1, int(plan_minor)
    return r


class MonitoringMixin:
    """The monitoring methods of Ledger (self._handle is the upk_ledger)."""

    def attach_monitoring(self, policy=None, alert_log_max=None):
        """Attaches monitoring with the alert rules of `policy`'s "monitoring" section (None: no
        rules; metrics and reports still work). The journal so far is replayed into it. Once per
        ledger (AlreadyExists the second time)."""
        options = None
        if alert_log_max is not None:
            options = _lib.MonitorOptions()
            options.alert_log_max = alert_log_max
        check(L.upk_ledger_attach_monitoring(
            self._handle, policy.handle if policy is not None else None,
            ctypes.byref(options) if options is not None else None))

    def sweep(self, now_micros):
        """Evaluates the rules that depend on time passing (pace, forecast, under-use)."""
        check(L.upk_ledger_sweep(self._handle, now_micros))

    def _pull(self, which, as_json=False):
        with _AlertList() as holder:
            check(L.upk_ledger_alerts(holder.handle, self._handle, _WHICH[which]))
            return json.loads(holder.to_json()) if as_json else holder.alerts()

    def active_alerts(self):
        """Alerts raised and not cleared, in the order raised (Alert objects)."""
        return self._pull("active")

    def alert_log(self):
        """Every alert raised or cleared (bounded by alert_log_max)."""
        return self._pull("log")

    def take_alerts(self):
        """The alerts raised or cleared since the last take_alerts()."""
        return self._pull("new")

    def alerts_report(self, which="active"):
        """The alerts ("active", "log" or "new") as dicts (the C API's JSON: amounts as decimal
        strings, the metrics of the scope then)."""
        return self._pull(which, as_json=True)

    def subscribe_alerts(self, callback):
        """callback(alert: Alert) for every alert raised or cleared from now on, until the ledger
        is closed. See the module's docstring for the thread it runs on and its exceptions."""
        if not callable(callback):
            raise TypeError("callback must be callable")
        table = _lib.AlertCallbacks()
        table.user_data = _callbacks.hold(callback)  # destroy (maybe at once) drops it
        table.on_alert = _ON_ALERT
        table.destroy = _callbacks.DESTROY
        check(L.upk_ledger_subscribe_alerts(self._handle, ctypes.byref(table)))

    def metrics(self, scope, now_micros, plan_minor=None):
        """The numbers of scope (period, kind, key, category) at now_micros, as a dict."""
        keep = _lib.Keep()
        request = metrics_request(keep, scope, now_micros, plan_minor)
        out = _lib.Metrics()
        check(L.upk_ledger_metrics(ctypes.byref(out), self._handle, ctypes.byref(request)))
        return _metrics(out)

    # ---- reports (dicts from the C API's JSON; amounts as decimal strings) ----------------------

    def budget_report(self, period, group_by="tier", category=""):
        """Budget vs actual of a period's envelopes grouped by a dimension (DIMENSIONS), with
        monthly and cumulative actuals, variance and utilization per row, and a total."""
        keep = _lib.Keep()
        r = _lib.BudgetReportRequest()
        r.period, r.group_by, r.category = (keep.s(period), DIMENSIONS.index(group_by),
                                            keep.s(category))
        return json.loads(_out_text(L.upk_ledger_budget_report_json, self._handle,
                                    ctypes.byref(r)))

    def utilization(self, period, level="tier", category="", now_micros=0):
        """Every scope of `level` (SCOPE_KINDS) in the period, with its metrics and forecast at
        now_micros, sorted by key: utilization by tier by default."""
        keep = _lib.Keep()
        r = _lib.UtilizationRequest()
        r.period, r.level, r.category, r.now_micros = (keep.s(period), SCOPE_KINDS.index(level),
                                                       keep.s(category), now_micros)
        return json.loads(_out_text(L.upk_ledger_utilization_json, self._handle,
                                    ctypes.byref(r)))

    def forecast(self, scope, now_micros, plan_minor=None):
        """One scope's metrics and forecast (the projection in words under "forecast")."""
        keep = _lib.Keep()
        request = metrics_request(keep, scope, now_micros, plan_minor)
        return json.loads(_out_text(L.upk_ledger_forecast_json, self._handle,
                                    ctypes.byref(request)))

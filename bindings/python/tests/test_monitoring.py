"""Monitoring from Python: alerts pulled and pushed to a callable, metrics, error paths."""

import gc
import weakref

import pytest

import upkeep

P = "2026-Q1"
HALF = 2051222400000000  # half of the fixture's period [0, 2100-01-01)


def test_needs_attaching_first(ledger):
    with pytest.raises(upkeep.InvalidState, match="attach_monitoring"):
        ledger.active_alerts()
    with pytest.raises(upkeep.InvalidState):
        ledger.sweep(1)
    with pytest.raises(upkeep.InvalidState):
        ledger.metrics((P, "customer", "c1", "gift"), HALF)


def test_attach_errors(ledger, monitoring_policy):
    usd = upkeep.Policy.compile(
        '{"upkeep_policy": 1, "currency": "USD", "tiers": ["A"], "classification": '
        '{"classifier": "threshold", "metric": "revenue", "thresholds": []}, '
        '"allocation": {"policy": "tier_shares", "shares_pct": {"A": 100}}}')
    with pytest.raises(upkeep.CurrencyMismatch):
        ledger.attach_monitoring(usd)
    with pytest.raises(upkeep.InvalidArgument, match="alert_log_max"):
        ledger.attach_monitoring(monitoring_policy, alert_log_max=0)
    ledger.attach_monitoring(monitoring_policy)
    with pytest.raises(upkeep.AlreadyExists):
        ledger.attach_monitoring(monitoring_policy)


def test_alerts_pulled_and_pushed(ledger, monitoring_policy):
    ledger.attach_monitoring(monitoring_policy)
    seen = []
    ledger.subscribe_alerts(seen.append)
    ledger.reserve("r1", "amy", P, "c1", "gift", 6000)
    assert len(seen) == 1
    alert = seen[0]
    assert (alert.rule_id, alert.kind, alert.cleared, alert.threshold_bp) == (
        "usage", "threshold", False, 5000)
    assert alert.scope == {"period": P, "kind": "customer", "key": "c1", "category": "gift"}
    assert alert.metrics["used_minor"] == 6000 and alert.metrics["budget_minor"] == 10000
    assert "60.00 %" in alert.message
    assert ledger.active_alerts() == seen
    assert ledger.take_alerts() == seen
    assert ledger.take_alerts() == []
    report = ledger.alerts_report("log")
    assert report[0]["rule"] == "usage" and report[0]["metrics"]["reserved"] == "60.00"
    ledger.void("v1", "amy", "r1")
    assert seen[-1].cleared and ledger.active_alerts() == []
    assert [a.seq for a in ledger.alert_log()] == [0, 1]
    with pytest.raises(KeyError):
        ledger.alerts_report("recent")


def test_callback_exception_surfaces_from_the_call(ledger, monitoring_policy):
    ledger.attach_monitoring(monitoring_policy)

    def explode(alert):
        raise ValueError(f"subscriber failed on {alert.rule_id}")

    ledger.subscribe_alerts(explode)
    with pytest.raises(ValueError, match="subscriber failed on usage"):
        ledger.reserve("r1", "amy", P, "c1", "gift", 6000)
    # The reservation itself was applied, and the next call is not affected.
    assert ledger.balance(P, "customer", "c1", "gift")["reserved_minor"] == 6000
    assert ledger.reserve("r2", "amy", P, "c1", "gift", 100).outcome == "approve"


def test_subscriber_is_kept_alive_and_released_with_the_ledger(ledger, monitoring_policy):
    class Counter:
        def __init__(self):
            self.count = 0

        def __call__(self, alert):
            self.count += 1

    ledger.attach_monitoring(monitoring_policy)
    counter = Counter()
    ledger.subscribe_alerts(counter)
    watch = weakref.ref(counter)
    del counter
    gc.collect()
    ledger.reserve("r1", "amy", P, "c1", "gift", 6000)
    assert watch() is not None and watch().count == 1
    ledger.close()  # destroy runs: the library lets go of the callable
    gc.collect()
    assert watch() is None
    with pytest.raises(TypeError):
        upkeep.Ledger("CNY").subscribe_alerts("not callable")


def test_attached_late_sees_the_past(ledger, monitoring_policy):
    ledger.reserve("r1", "amy", P, "c1", "gift", 8500)
    seen = []
    ledger.attach_monitoring(monitoring_policy)
    ledger.subscribe_alerts(seen.append)
    assert [a.threshold_bp for a in ledger.active_alerts()] == [5000, 8000]
    assert seen == []  # the past is not delivered


def test_metrics(ledger, monitoring_policy):
    ledger.attach_monitoring(monitoring_policy)
    ledger.reserve("r1", "amy", P, "c1", "gift", 2500)
    m = ledger.metrics((P, "customer", "c1", "gift"), HALF)
    assert (m["used_minor"], m["elapsed_bp"], m["projected_minor"]) == (2500, 5000, 5000)
    assert m["burn_rate_minor_per_day"] == 0  # 25.00 over 65 years: under 0.01 a day
    assert m["days_until_exhaustion"] is None  # no burn, no exhaustion
    assert ledger.metrics((P, "customer", "c1", "gift"), HALF, plan_minor=4000)[
        "variance_minor"] == 1000
    with pytest.raises(upkeep.NotFound):
        ledger.metrics((P, "customer", "nobody", "gift"), HALF)
    with pytest.raises(upkeep.InvalidUtf8):
        ledger.metrics((P, "customer", b"c\xff", "gift"), HALF)
    with pytest.raises(upkeep.InvalidArgument):
        ledger.metrics((P, "customer", "c1\0", "gift"), HALF)
    ledger.sweep(HALF)


def test_attach_replays_custom_control_policies(ledger, monitoring_policy):
    from test_custom import MaxGift
    registry = upkeep.Registry()
    registry.add_control("host_max_gift", MaxGift())
    ledger.set_policies("admin", {
        "availability": [{"id": "all-ignore", "level": "company", "mode": "ignore"}],
        "custom": [{"id": "small-gifts", "policy": "host_max_gift", "params": {"max_minor": 9000}}]},
        registry)
    registry.close()  # the ledger keeps what the replay needs
    ledger.reserve("r1", "amy", P, "c1", "gift", 6000)
    ledger.attach_monitoring(monitoring_policy)
    assert [a.rule_id for a in ledger.active_alerts()] == ["usage"]


def test_reports(ledger, monitoring_policy):
    with pytest.raises(upkeep.InvalidState):
        ledger.budget_report(P)
    ledger.attach_monitoring(monitoring_policy)
    ledger.spend("s1", "amy", P, "c1", "gift", 2500)
    ledger.reserve("r1", "bob", P, "c2", "gift", 1000)
    report = ledger.budget_report(P, "tier")
    assert report["report"] == "budget_vs_actual" and report["currency"] == "CNY"
    assert [(r["key"], r["budget"], r["actual"]) for r in report["rows"]] == [
        ("A", "100.00", "25.00"), ("B", "50.00", "0.00")]
    assert report["total"]["variance"] == "125.00"
    by_owner = ledger.budget_report(P, "owner", category="gift")
    assert [r["key"] for r in by_owner["rows"]] == ["amy", "bob"]
    assert ledger.budget_report(P, "region", category="visit")["rows"] == []
    with pytest.raises(upkeep.NotFound):
        ledger.budget_report("2031-Q9")
    with pytest.raises(ValueError):
        ledger.budget_report(P, "planet")

    tiers = ledger.utilization(P, now_micros=HALF)
    assert tiers["level"] == "tier"
    assert [(r["key"], r["utilization_bp"], r["projected"]) for r in tiers["rows"]] == [
        ("A", 2500, "50.00"), ("B", 2000, "20.00")]
    customers = ledger.utilization(P, "customer", "gift", HALF)
    assert [r["key"] for r in customers["rows"]] == ["c1", "c2"]
    with pytest.raises(upkeep.InvalidUtf8):
        ledger.utilization(b"\xc3(", "tier")

    forecast = ledger.forecast((P, "customer", "c1", "gift"), HALF, plan_minor=4000)
    assert forecast["projected"] == "50.00" and forecast["variance"] == "10.00"
    assert forecast["forecast"].startswith("linear")
    with pytest.raises(upkeep.NotFound):
        ledger.forecast((P, "tier", "Z", "gift"), HALF)

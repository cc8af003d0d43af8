"""Custom policies written in Python, and the policy test runner."""

import gc

import pytest

import upkeep
from conftest import ROOT


class TopByRevenue(upkeep.Classifier):
    """host_top_by_revenue: tier 0 for revenue >= min_revenue_minor, else the last tier."""

    def classify(self, params, portfolio, tier_count):
        limit = params["min_revenue_minor"]
        return [(0 if portfolio.metric("revenue", i) >= limit else tier_count - 1,
                 portfolio.metric("revenue", i)) for i in range(len(portfolio))]


class MaxGift(upkeep.ControlPolicy):
    """host_max_gift: rejects a request above max_minor."""

    def evaluate(self, params, context):
        over = context["amount_minor"] - params["max_minor"]
        if over > 0:
            return [upkeep.Verdict("reject", "the gift is above the maximum", "ask for less", over)]
        return None


class Evenly(upkeep.AllocationPolicy):
    def allocate(self, params, portfolio, tiers, tier_count, pool_minor):
        n = len(tiers)
        share, rest = divmod(pool_minor, n)
        return [share + (1 if i < rest else 0) for i in range(n)], [1] * n, 0


class Broken(upkeep.Classifier):
    def classify(self, params, portfolio, tier_count):
        raise LookupError("broken on purpose")


class Crashing(upkeep.ControlPolicy):
    def evaluate(self, params, context):
        raise ZeroDivisionError("control crashed")


@pytest.fixture
def registry():
    r = upkeep.Registry()
    r.add_classifier("host_top_by_revenue", TopByRevenue())
    r.add_control("host_max_gift", MaxGift())
    r.add_allocation("evenly", Evenly())
    r.add_classifier("broken", Broken())
    r.add_control("crashing", Crashing())
    return r


def test_shared_case_file_passes_with_python_policies(registry):
    report = upkeep.run_policy_tests(ROOT / "capi/tests/data/policy_cases.json", registry)
    assert report["summary"] == "6 passed, 0 failed", report


def test_failing_case_is_reported():
    report = upkeep.run_policy_tests({
        "policy": {"upkeep_policy": 1, "currency": "CNY", "tiers": ["A"],
                   "classification": {"classifier": "abc", "cumulative_pct": []},
                   "allocation": {"policy": "tier_shares", "shares_pct": {"A": 100}}},
        "cases": [{"name": "wrong", "portfolio": [{"id": "a"}], "pool": "10.00",
                   "expect": {"amounts": {"a": "9.00"}}}]})
    assert report["summary"] == "0 passed, 1 failed"
    assert "expected 9.00, got 10.00" in report["cases"][0]["failures"][0]


def test_custom_allocation(registry, portfolio):
    policy = upkeep.Policy.compile({
        "upkeep_policy": 1, "currency": "CNY", "tiers": ["top", "rest"],
        "classification": {"classifier": "host_top_by_revenue", "min_revenue_minor": 30000000},
        "allocation": {"policy": "evenly"}}, registry)
    plan = upkeep.Plan(policy, portfolio, pool_minor=1000001)
    assert plan.allocated_minor == 1000001
    assert plan[0].amount_minor == 501 and plan[1999].amount_minor == 500


def test_exception_in_classifier_surfaces(registry, portfolio, policy):
    broken = upkeep.Policy.compile({
        "upkeep_policy": 1, "currency": "CNY", "tiers": ["A", "B"],
        "classification": {"classifier": "broken"},
        "allocation": {"policy": "tier_shares", "shares_pct": {"A": 50, "B": 50}}}, registry)
    with pytest.raises(LookupError, match="broken on purpose"):
        upkeep.Plan(broken, portfolio, pool_minor=100)


def test_control_policy_and_crash_fail_closed(registry, ledger):
    ledger.set_policies("admin", {
        "availability": [{"id": "all-ignore", "level": "company", "mode": "ignore"}],
        "custom": [{"id": "small-gifts", "policy": "host_max_gift", "params": {"max_minor": 2000}}]},
        registry)
    result = ledger.reserve("g1", "amy", "2026-Q1", "c1", "gift", 2500)
    assert result.outcome == "reject" and result.reasons[0].rule_id == "small-gifts"
    assert result.reasons[0].shortfall_minor == 500
    assert ledger.reserve("g2", "amy", "2026-Q1", "c1", "gift", 1500).outcome == "approve"
    ledger.set_policies("admin", {
        "availability": [{"id": "all-ignore", "level": "company", "mode": "ignore"}],
        "custom": [{"id": "boom", "policy": "crashing"}]}, registry)
    with pytest.raises(ZeroDivisionError):
        ledger.reserve("g3", "amy", "2026-Q1", "c1", "gift", 100)
    assert ledger.balance("2026-Q1", "customer", "c1", "gift")["reserved_minor"] == 1500


def test_callbacks_released_once(registry):
    from upkeep import _callbacks
    gc.collect()  # registries of earlier tests, still waiting for collection
    before = len(_callbacks._alive)
    assert before >= 5
    registry.close()
    gc.collect()
    assert len(_callbacks._alive) == before - 5

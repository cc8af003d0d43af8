"""Period close with rollover from Python, and its errors (which change nothing)."""

import pytest

import upkeep

Q1, Q2 = "2026-Q1", "2026-Q2"


@pytest.fixture
def two_periods(ledger):
    ledger.define_period("fin", Q2, 4102444800000000, 4133980800000000)
    ledger.apply_allocation("budget-q2", "fin", Q2, "gift", [("c1", "", 1000), ("c2", "", 1000)])
    ledger.spend("s1", "amy", Q1, "c1", "gift", 3000)
    ledger.reserve("r1", "bob", Q1, "c2", "gift", 1000)  # open at close: released
    return ledger


def test_close_and_rollover(two_periods, monitoring_policy):
    ledger = two_periods
    plan = ledger.close_and_rollover(monitoring_policy, "fin", Q1, Q2, carry_lots={})
    assert (plan["closed_period"], plan["next_period"]) == (Q1, Q2)
    assert (plan["unused_minor"], plan["carried_minor"], plan["forfeited_minor"]) == (
        12000, 2000, 10000)
    by_customer = {s["customer"]: s for s in plan["settlements"]}
    assert by_customer["c1"]["rule_id"] == "vip" and by_customer["c1"]["mode"] == "carry_capped"
    assert {s["level"] for s in plan["settlements"]} == {"customer"}
    assert by_customer["c2"]["forfeited_minor"] == 5000 and by_customer["c2"]["explanation"]
    assert plan["lots_after"] == {}
    assert ledger.balance(Q2, "customer", "c1", "gift")["budget_minor"] == 3000
    assert ledger.reservation("r1")["status"] == "voided"
    with pytest.raises(upkeep.InvalidState):
        ledger.close_and_rollover(monitoring_policy, "fin", Q1, Q2)
    with pytest.raises(upkeep.PeriodClosed):
        ledger.reserve("late", "amy", Q1, "c1", "gift", 1)


def test_close_errors_change_nothing(two_periods, monitoring_policy):
    ledger = two_periods
    before = ledger.dump_state()
    with pytest.raises(upkeep.PermissionDenied):
        ledger.close_and_rollover(monitoring_policy, "amy", Q1, Q2)
    with pytest.raises(upkeep.NotFound):
        ledger.close_and_rollover(monitoring_policy, "fin", Q1, "2027-Q1")
    with pytest.raises(upkeep.NotFound, match="rollover"):
        ledger.close_and_rollover(upkeep.Policy.compile(
            '{"upkeep_policy": 1, "currency": "CNY", "tiers": ["A"], "classification": '
            '{"classifier": "threshold", "metric": "revenue", "thresholds": []}, '
            '"allocation": {"policy": "tier_shares", "shares_pct": {"A": 100}}}'),
            "fin", Q1, Q2)
    with pytest.raises(upkeep.ParseError):
        ledger.close_and_rollover(monitoring_policy, "fin", Q1, Q2, carry_lots="{oops")
    with pytest.raises(upkeep.ParseError):
        ledger.close_and_rollover(monitoring_policy, "fin", Q1, Q2,
                                  carry_lots={"c1/gift": [[1, -5]]})
    with pytest.raises(upkeep.InvalidUtf8):
        ledger.close_and_rollover(monitoring_policy, b"fi\xc0", Q1, Q2)
    with pytest.raises(upkeep.InvalidArgument):
        ledger.close_and_rollover(monitoring_policy, "fin\0", Q1, Q2)
    assert ledger.dump_state() == before

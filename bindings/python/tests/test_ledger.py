"""The ledger from Python: decisions, settlements, batches, approvals, journal."""

import pytest

import upkeep

P = "2026-Q1"


def test_reserve_reject_and_retry(ledger):
    ok = ledger.reserve("r1", "amy", P, "c1", "gift", 3000)
    assert ok.outcome == "approve" and not ok.replayed
    assert ledger.reserve("r1", "amy", P, "c1", "gift", 3000).replayed
    with pytest.raises(upkeep.IdempotencyConflict):
        ledger.reserve("r1", "amy", P, "c1", "gift", 3100)
    no = ledger.reserve("r2", "amy", P, "c1", "gift", 8000)
    assert no.outcome == "reject"
    reason = no.reasons[0]
    assert reason.rule_id == "envelope-block" and reason.shortfall_minor == 1000
    assert reason.balance["available_minor"] == 7000 and "reject" in no.explanation
    assert ledger.check("r3", "amy", P, "c1", "gift", 7000).outcome == "approve"
    assert ledger.balance(P, "customer", "c1", "gift")["reserved_minor"] == 3000


def test_errors_are_exceptions(ledger):
    with pytest.raises(upkeep.NotFound):
        ledger.reserve("e1", "amy", P, "nobody", "gift", 1)
    with pytest.raises(upkeep.PermissionDenied):
        ledger.reserve("e2", "amy", P, "c2", "gift", 1)
    with pytest.raises(upkeep.InvalidUtf8):
        ledger.reserve(b"\xff\xfe", "amy", P, "c1", "gift", 1)
    with pytest.raises(upkeep.InvalidArgument):
        ledger.reserve("has\0nul", "amy", P, "c1", "gift", 1)


def test_settlements(ledger):
    ledger.reserve("r1", "amy", P, "c1", "gift", 3000)
    ledger.post("p1", "amy", "r1", 2000)
    assert ledger.reservation("r1")["status"] == "posted"
    b = ledger.balance(P, "customer", "c1", "gift")
    assert (b["spent_minor"], b["reserved_minor"], b["available_minor"]) == (2000, 0, 8000)
    ledger.spend("s1", "amy", P, "c1", "gift", 1000)
    ledger.refund("f1", "mia", "s1")
    assert ledger.balance(P, "customer", "c1", "gift")["spent_minor"] == 2000
    ledger.reserve("r4", "amy", P, "c1", "gift", 500, expiry_micros=5)
    assert ledger.expire("mia", 10) == 1
    ledger.transfer("t1", "fin", (P, "customer", "c1", "gift"), (P, "customer", "c2", "gift"),
                    1000, "trade fair")
    assert ledger.balance(P, "customer", "c2", "gift")["budget_minor"] == 6000
    ledger.revise("v1", "fin", (P, "customer", "c2", "gift"), 5500, "revision")
    with pytest.raises(upkeep.InvalidState):
        ledger.void("v-again", "amy", "r1")


def test_batch(ledger):
    result = ledger.reserve_batch("bob", P, "gift",
                                  [("b1", "c2", 100), ("b2", "c2", 10**6), ("b3", "nobody", 1)])
    assert list(result.status) == [0, 0, 7]
    assert result.outcomes()[:2] == ["approve", "reject"]
    assert ledger.spend_batch("bob", P, "gift", [("s1", "c2", 100)]).outcomes() == ["approve"]


def test_batch_by_envelope_handle(ledger):
    c1, c2 = (ledger.resolve_envelope(P, c, "gift") for c in ("c1", "c2"))
    assert c1 and c2 and c1 != c2
    result = ledger.reserve_batch("amy", "", "", [("h1", c1, 100), ("h2", c1, 200)])
    assert list(result.status) == [0, 0] and result.outcomes() == ["approve", "approve"]
    assert ledger.balance(P, "customer", "c1", "gift")["reserved_minor"] == 300
    assert ledger.reserve_batch("bob", "", "", [("h3", 0x7FFFFFFF, 1)]).status[0] != 0
    with pytest.raises(upkeep.NotFound):
        ledger.resolve_envelope(P, "nobody", "gift")


def test_batch_as_columns(ledger):
    from array import array
    result = ledger.reserve_columns("amy", P, "gift", ["预占-1", "k2", "k3"],
                                    ["c1", "c1", "客户"], array("q", [100, 200, 300]))
    assert list(result.status) == [0, 0, 7]  # the unknown (non-ASCII) customer: not_found
    assert ledger.reservation("预占-1")["amount_minor"] == 100
    c1 = ledger.resolve_envelope(P, "c1", "gift")
    spent = ledger.spend_columns("amy", "", "", ["s1", "s2"], [c1, c1], [50, 60])
    assert list(spent.status) == [0, 0]
    assert ledger.balance(P, "customer", "c1", "gift")["spent_minor"] == 110
    before = ledger.journal_size()
    with pytest.raises(upkeep.InvalidArgument, match="NUL"):  # the whole call fails
        ledger.reserve_columns("amy", P, "gift", ["k4", "k\0"], ["c1", "c1"], [1, 1])
    with pytest.raises(upkeep.InvalidUtf8):
        ledger.reserve_columns(b"\xff", P, "gift", ["k4"], ["c1"], [1])
    with pytest.raises(ValueError):
        ledger.reserve_columns("amy", P, "gift", ["k4", "k5"], ["c1"], [1, 1])
    assert ledger.journal_size() == before
    assert len(ledger.reserve_columns("amy", P, "gift", [], [], []).status) == 0


def test_check_batch(ledger):
    from array import array
    ledger.reserve("r1", "amy", P, "c1", "gift", 4000)
    ledger.spend("s1", "amy", P, "c1", "gift", 1000)  # c1: 50.00 left
    before = (ledger.balance(P, "customer", "c1", "gift"), ledger.journal_size())
    assert before[0]["available_minor"] == 5000
    requests = [("k1", "c1", 3000), ("k2", "c1", 3000), ("k3", "nobody", 1), ("k4", "c1", 5001),
                ("r1", "c1", 4000)]
    result = ledger.check_batch("amy", P, "gift", requests)
    assert list(result.status) == [0, 0, 7, 0, 0]  # the unknown customer: not_found
    # k1 and k2 each fit, though not both: the requests do not see each other
    assert [result.outcomes()[i] for i in (0, 1, 3, 4)] == ["approve", "approve", "reject",
                                                            "approve"]
    assert list(result.replayed) == [0, 0, 0, 0, 1]  # r1: the reservation above, again
    spends = requests[:4] + [("s1", "c1", 1000), ("r1", "c1", 4000)]
    spent = ledger.check_batch("amy", P, "gift", spends, as_spend=True)
    assert list(spent.status) == [0, 0, 7, 0, 0, 12]  # r1 as a spend: idempotency_conflict
    assert [spent.outcomes()[i] for i in (0, 1, 3, 4)] == ["approve", "approve", "reject",
                                                           "approve"]
    assert list(spent.replayed) == [0, 0, 0, 0, 1, 0]  # s1: the spend above, again
    c1 = ledger.resolve_envelope(P, "c1", "gift")
    columns = ledger.check_columns("amy", "", "", ["k1", "k2", "k4", "s1"], [c1, c1, c1, c1],
                                   array("q", [3000, 3000, 5001, 1000]), as_spend=True)
    assert list(columns.status) == [0, 0, 0, 0] and list(columns.replayed) == [0, 0, 0, 1]
    assert columns.outcomes()[:3] == ["approve", "approve", "reject"]
    by_name = ledger.check_columns("bob", P, "gift", ["k5", "k6"], ["c2", "c1"], [5000, 1])
    assert list(by_name.status) == [0, 14]  # bob may not move c1's money: permission_denied
    assert by_name.outcomes()[0] == "approve"
    with pytest.raises(upkeep.InvalidUtf8):  # bad columns fail the whole call
        ledger.check_columns(b"\xff", P, "gift", ["k7"], ["c1"], [1])
    assert (ledger.balance(P, "customer", "c1", "gift"), ledger.journal_size()) == before
    assert ledger.balance(P, "customer", "c2", "gift")["reserved_minor"] == 0
    with pytest.raises(upkeep.NotFound):  # nothing was reserved
        ledger.reservation("k1")
    assert len(ledger.check_batch("amy", P, "gift", []).status) == 0
    assert len(ledger.check_columns("amy", P, "gift", [], [], [], as_spend=True).status) == 0
    applied = ledger.reserve_batch("amy", P, "gift", requests[:2])  # together they do not fit
    assert applied.outcomes() == ["approve", "reject"]


def test_approvals_reports_journal(ledger):
    ledger.set_policies("admin", {
        "availability": [{"id": "all-ignore", "level": "company", "mode": "ignore"}],
        "limits": [{"id": "gift-max", "category": "gift", "per_request_max": "30.00",
                    "action": "require_approval"}]})
    assert ledger.reserve("big", "amy", P, "c1", "gift", 4000).outcome == "needs approval"
    assert ledger.pending_approvals()[0]["approval_id"] == "big"
    with pytest.raises(upkeep.PermissionDenied):
        ledger.approve("amy", "big")
    assert ledger.approve("mia", "big", "key account").outcome == "approve with warning"
    assert ledger.reserve("big-2", "amy", P, "c1", "gift", 3100).outcome == "needs approval"
    with pytest.raises(upkeep.PermissionDenied):
        ledger.withdraw_approval("mia", "big-2")
    ledger.withdraw_approval("amy", "big-2", "customer declined")
    assert ledger.pending_approvals() == []
    assert ledger.reservation("big-2")["status"] == "voided"
    with pytest.raises(upkeep.InvalidState):
        ledger.withdraw_approval("amy", "big-2")
    assert any(s["scope"]["text"] == "2026-Q1/customer:c1/gift" for s in ledger.scopes())
    assert ledger.history(P, "customer", "c1", "gift")
    assert ledger.journal_size() > 10 and len(ledger.seal()) == 64
    ledger.verify()
    ledger.close_period("fin", P)
    with pytest.raises(upkeep.PeriodClosed):
        ledger.reserve("late", "amy", P, "c1", "gift", 1)


def test_apply_plan(policy, portfolio):
    plan = upkeep.Plan(policy, portfolio)
    ledger = upkeep.Ledger("CNY")
    ledger.define_category("admin", "visit")
    ledger.define_period("admin", "FY2026", 0, 100)
    ledger.apply_plan("plan-1", "admin", "FY2026", "visit", plan)
    assert ledger.balance("FY2026", "company", "", "visit")["budget_minor"] == plan.allocated_minor


def test_dimension_budgets(ledger):
    ledger.set_dimension_budget("d1", "fin", ("2026-Q1", "owner", "amy", "gift"), 5000, "cap amy")
    ledger.set_dimension_budget("d2", "fin", ("2026-Q1", "region", "south", "gift"), 2000)
    assert ledger.balance("2026-Q1", "owner", "amy", "gift")["budget_minor"] == 5000
    result = ledger.reserve("r1", "amy", "2026-Q1", "c1", "gift", 6000)  # c1's envelope has 100.00
    assert result.outcome == "reject"
    assert any(r.scope["kind"] == "owner" for r in result.reasons if r.outcome == "reject")
    assert ledger.reserve("r2", "bob", "2026-Q1", "c2", "gift", 2000).outcome == "approve"
    with pytest.raises(upkeep.AlreadyExists):
        ledger.set_dimension_budget("d3", "fin", ("2026-Q1", "owner", "amy", "gift"), 1)
    with pytest.raises(upkeep.InvalidArgument):
        ledger.set_dimension_budget("d4", "fin", ("2026-Q1", "tier", "A", "gift"), 1)
    with pytest.raises(upkeep.NotFound):
        ledger.set_dimension_budget("d5", "fin", ("2026-Q1", "owner", "nobody", "gift"), 1)
    with pytest.raises(upkeep.PermissionDenied):
        ledger.set_dimension_budget("d6", "amy", ("2026-Q1", "region", "north", "gift"), 1)


def test_money_decimals_are_exact():
    from decimal import Decimal
    assert upkeep.money.to_minor(Decimal("1234.50"), "CNY") == 123450
    assert upkeep.money.to_minor(Decimal("1.500"), "CNY") == 150  # trailing zeros are exact
    assert upkeep.money.to_minor(Decimal("12E+2"), "JPY") == 1200
    with pytest.raises(upkeep.PrecisionError):
        upkeep.money.to_minor(Decimal("1.505"), "CNY")
    with pytest.raises(TypeError):
        upkeep.money.to_minor(1.5, "CNY")
    assert upkeep.money.to_decimal(-5, "KWD") == Decimal("-0.005")

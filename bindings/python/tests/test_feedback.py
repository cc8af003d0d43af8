"""The feedback loop from Python: records, the log, effectiveness, the proposal, its simulation
and the next plan; and the errors, which record nothing."""

import pytest

import upkeep
from conftest import ROOT

Q1 = "2026-Q1"


@pytest.fixture(scope="session")
def feedback_policy():
    """capi/tests/data/feedback_policy.json: tiers A/B by revenue 1000.00, shares 70/30, and a
    "signals" feedback section (satisfaction, NPS, assessments, churn; bound 20 %)."""
    path = ROOT / "capi/tests/data/feedback_policy.json"
    return upkeep.Policy.compile(path.read_text(encoding="utf-8"))


@pytest.fixture
def monitored(ledger, feedback_policy):
    ledger.attach_monitoring(feedback_policy)
    ledger.spend("s1", "amy", Q1, "c1", "gift", 4000)
    ledger.spend("s2", "bob", Q1, "c2", "gift", 2000)
    return ledger


def _record_all(ledger):
    assert ledger.record_outcomes([
        {"customer": "c1", "period": Q1, "revenue_minor": 200000,
         "revenue_before_minor": 100000, "renewal": "renewed"},
        {"customer": "c2", "period": Q1, "revenue_minor": 50000,
         "revenue_before_minor": 60000, "renewal": "churned"}]) == 2
    assert ledger.record_feedback("s-c1", "c1", Q1, satisfaction=9, recommend=9) == "added"
    assert ledger.record_feedback("s-c1", "c1", Q1, satisfaction=9, recommend=9) == "unchanged"
    assert ledger.record_assessments([{"id": "a-c2", "customer": "c2", "period": Q1,
                                       "author": "mia", "rating": -2, "role": "manager"}]) == 1


def _portfolio(*extra):
    customers = [upkeep.Customer("c1", revenue_minor=200000),
                 upkeep.Customer("c2", revenue_minor=50000)]
    customers += [upkeep.Customer(c) for c in extra]
    return upkeep.Portfolio.from_customers("CNY", customers)


def test_records_and_log(monitored):
    _record_all(monitored)
    log = monitored.feedback_log()
    assert [o["customer"] for o in log["outcomes"]] == ["c1", "c2"]
    assert log["outcomes"][0]["revenue"] == "2000.00"
    assert log["feedback"][0]["satisfaction"] == 9
    assert log["assessments"][0]["role"] == "manager"


def test_record_errors_record_nothing(monitored):
    _record_all(monitored)
    before = monitored.feedback_log()
    with pytest.raises(upkeep.IdempotencyConflict):
        monitored.record_feedback("s-c1", "c1", Q1, satisfaction=2)
    with pytest.raises(upkeep.AlreadyExists):
        monitored.record_outcome("c1", Q1, revenue_minor=1)
    with pytest.raises(upkeep.NotFound, match="c9"):
        monitored.record_outcome("c9", Q1)
    with pytest.raises(upkeep.NotFound):
        monitored.record_assessment("a2", "c1", "1999-Q1", "mia", 1)
    with pytest.raises(upkeep.InvalidArgument, match="satisfaction"):
        monitored.record_feedback("s2", "c1", Q1, satisfaction=11)
    with pytest.raises(upkeep.InvalidArgument, match="rating"):
        monitored.record_assessment("a2", "c1", Q1, "mia", 3)
    with pytest.raises(upkeep.InvalidUtf8):
        monitored.record_feedback("s2", "c1", Q1, comment=b"\xc0")
    with pytest.raises(ValueError):
        monitored.record_outcome("c1", Q1, renewal="maybe")
    with pytest.raises(upkeep.NotFound, match=r"records\[1\]"):
        monitored.record_feedbacks([{"id": "s3", "customer": "c2", "period": Q1},
                                    {"id": "s4", "customer": "c9", "period": Q1}])
    after = monitored.feedback_log()
    assert [f["id"] for f in after["feedback"]] == ["s-c1", "s3"]  # s3 came before the bad one
    assert after["outcomes"] == before["outcomes"]
    assert after["assessments"] == before["assessments"]


def test_without_monitoring(ledger):
    with pytest.raises(upkeep.InvalidState):
        ledger.record_outcome("c1", Q1)


def test_effectiveness(monitored):
    _record_all(monitored)
    by_tier = monitored.effectiveness(Q1)
    assert by_tier["group_by"] == "tier"
    assert {row["key"] for row in by_tier["rows"]} == {"A", "B"}
    assert by_tier["total"]["revenue_change"] == "900.00"
    by_customer = monitored.effectiveness(Q1, group_by="customer")
    assert by_customer["ranking"][0] == "c1"
    with pytest.raises(upkeep.NotFound):
        monitored.effectiveness("1999-Q1")
    with pytest.raises(ValueError):
        monitored.effectiveness(Q1, group_by="planet")


def test_proposal_simulation_and_next_plan(monitored, feedback_policy, monitoring_policy):
    _record_all(monitored)
    with pytest.raises(upkeep.NotFound, match="feedback"):
        monitored.propose(monitoring_policy, Q1)
    now = _portfolio()
    current = upkeep.Plan(feedback_policy, now, pool_minor=100000)
    proposal = monitored.propose(feedback_policy, Q1)
    assert proposal.state == "draft"
    changes = {c["customer"]: c for c in proposal.to_dict()["changes"]}
    assert changes["c1"]["multiplier_bp"] > 10000 > changes["c2"]["multiplier_bp"]

    sim = proposal.simulate(feedback_policy, current, _portfolio("c3"), pool_minor=100000)
    assert [c["customer"] for c in sim["customers"]] == ["c1", "c2", "c3"]
    with pytest.raises(upkeep.InvalidState):
        proposal.plan(feedback_policy, current, now, pool_minor=100000)
    proposal.approve("cfo")
    with pytest.raises(upkeep.InvalidState):
        proposal.reject("cfo")
    nxt = proposal.plan(feedback_policy, current, now, pool_minor=100000)
    assert nxt.find("c1").amount_minor > current.find("c1").amount_minor
    assert current.find("c2").amount_minor * 0.8 <= nxt.find("c2").amount_minor
    assert nxt.find("c2").amount_minor < current.find("c2").amount_minor
    assert nxt.allocated_minor == current.allocated_minor
    proposal.mark_applied()
    assert proposal.state == "applied"

    other = monitored.propose(feedback_policy, Q1)
    with pytest.raises(upkeep.InvalidArgument):
        other.reject("")
    other.reject("cfo")
    assert other.to_dict()["decided_by"] == "cfo"

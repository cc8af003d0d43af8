"""Shared fixtures: the example policy and portfolio, and a small ledger."""

import os
import pathlib

import pytest

import upkeep

ROOT = pathlib.Path(os.environ.get("UPKEEP_SOURCE_DIR", pathlib.Path(__file__).parents[3]))


@pytest.fixture(scope="session")
def policy():
    return upkeep.Policy.compile((ROOT / "examples/policy.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def portfolio():
    text = (ROOT / "examples/data/portfolio.csv").read_text(encoding="utf-8")
    loaded, rejected = upkeep.Portfolio.from_csv(text, "CNY")
    assert rejected == []
    return loaded


@pytest.fixture
def ledger():
    """Category gift, period 2026-Q1, tiers A/B, c1 (A, amy, 100.00), c2 (B, bob, 50.00)."""
    ledger = upkeep.Ledger("CNY", fixed_time_micros=1)
    ledger.define_category("admin", "gift")
    ledger.define_period("admin", "2026-Q1", 0, 4102444800000000)
    for tier in ("A", "B"):
        ledger.define_tier("admin", tier)
    for actor, role in (("amy", "account_manager"), ("bob", "account_manager"),
                        ("mia", "manager"), ("fin", "finance")):
        ledger.define_actor("admin", actor, role)
    ledger.define_customer("admin", "c1", "A", "amy", "north")
    ledger.define_customer("admin", "c2", "B", "bob", "south")
    ledger.apply_allocation("budget-1", "fin", "2026-Q1", "gift",
                            [("c1", "A", 10000), ("c2", "", 5000)])
    ledger.set_policies("admin", CONTROL)
    return ledger


CONTROL = {"availability": [
    {"id": "envelope-block", "level": "customer", "mode": "block"},
    {"id": "tier-ignore", "level": "tier", "mode": "ignore"},
    {"id": "company-ignore", "level": "company", "mode": "ignore"}]}


@pytest.fixture(scope="session")
def monitoring_policy():
    """capi/tests/data/monitoring_policy.json: threshold alerts "usage" (customer, 50 and 80 %)
    and "tier-usage" (tier, 90 %); rollover: tier A carries up to 20 %, the rest forfeits."""
    path = ROOT / "capi/tests/data/monitoring_policy.json"
    return upkeep.Policy.compile(path.read_text(encoding="utf-8"))

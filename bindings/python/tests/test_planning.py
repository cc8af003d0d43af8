"""Policies, portfolios and plans from Python."""

from decimal import Decimal

import pytest

import upkeep


def test_version_and_money():
    assert upkeep.__version__ == "1.0.0"
    assert upkeep.money.parse("1234.56", "CNY") == 123456
    assert upkeep.money.to_decimal(123456, "CNY") == Decimal("1234.56")
    assert upkeep.money.to_minor(Decimal("0.10"), "CNY") == 10
    with pytest.raises(TypeError):
        upkeep.money.to_minor(0.1, "CNY")
    with pytest.raises(upkeep.PrecisionError):
        upkeep.money.parse("1.234", "CNY")
    with pytest.raises(upkeep.UnknownCurrency) as error:
        upkeep.money.exponent("XXX")
    assert error.value.status == 4 and error.value.status_name == "unknown_currency"


def test_plan_adds_up_and_explains(policy, portfolio):
    assert policy.currency == "CNY"
    assert policy.tiers == ["strategic", "key", "growth", "basic"]
    plan = upkeep.Plan(policy, portfolio)
    customers = list(plan)
    assert len(customers) == len(portfolio) == 2000
    assert sum(c.amount_minor for c in customers) == plan.allocated_minor
    assert sum(t.amount_minor for t in plan.tiers) == plan.allocated_minor
    assert plan.allocated_minor + plan.reserve_minor + plan.unallocated_minor == plan.pool_minor
    first = plan.find("C00001")
    assert first.id == "C00001" and first.index == 0
    assert "CNY" in plan.explain_amount(0)
    assert plan.explain_tier(0)
    assert "annual customer conference" in plan.explain_sizing()
    as_dict = plan.to_dict()
    assert as_dict["customers"][0]["amount"]["minor"] == first.amount_minor


def test_given_pool_and_errors(policy, portfolio):
    plan = upkeep.Plan(policy, portfolio, pool_minor=1_000_000_000)
    assert plan.pool_minor == 1_000_000_000
    with pytest.raises(upkeep.Infeasible):
        upkeep.Plan(policy, portfolio, pool_minor=100)
    with pytest.raises(upkeep.NotFound):
        plan.find("nobody")
    with pytest.raises(upkeep.PolicyInvalid) as error:
        upkeep.Policy.compile('{"upkeep_policy": 1}')
    assert "currency" in str(error.value) or "tiers" in str(error.value)


def test_portfolio_from_customers():
    portfolio = upkeep.Portfolio.from_customers("CNY", [
        {"id": "b", "name": "乙", "revenue_minor": 200},
        upkeep.Customer("a", revenue_minor=100, custom_metrics=(("nps", 40.0),)),
    ])
    assert [c.id for c in portfolio] == ["a", "b"]
    assert portfolio[1].name == "乙"
    assert portfolio.metric("nps", 0) == 40.0
    with pytest.raises(upkeep.AlreadyExists):
        upkeep.Portfolio.from_customers("CNY", [{"id": "a"}, {"id": "a"}])
    with pytest.raises(upkeep.InvalidArgument) as error:
        upkeep.Portfolio.from_customers("CNY", [{"id": "a"}, {"id": "z", "revenue_minor": -1}])
    assert "customers[1]" in str(error.value)


def test_csv_rejects():
    portfolio, rejected = upkeep.Portfolio.from_csv(
        "customer_id,revenue\nc1,10.00\nc2,abc\n", "CNY", skip_bad_rows=True)
    assert len(portfolio) == 1 and rejected[0]["line"] == 3
    with pytest.raises(upkeep.ParseError):
        upkeep.Portfolio.from_csv("customer_id,revenue\nc2,abc\n", "CNY")

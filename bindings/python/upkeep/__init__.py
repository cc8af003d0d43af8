"""upkeep: the customer maintenance fee engine, from Python (stdlib ctypes over libupkeep.so).

    import upkeep
    policy = upkeep.Policy.compile(open("examples/policy.json").read())
    portfolio, rejected = upkeep.Portfolio.from_csv(open("portfolio.csv").read(), "CNY")
    plan = upkeep.Plan(policy, portfolio)
    for customer in plan:            # CustomerResult, money in int minor units
        print(customer.id, customer.amount_minor, plan.explain_amount(customer.index))

Set UPKEEP_LIBRARY to the path of libupkeep.so if it is not on the loader's path.
"""

from . import money
from .custom import AllocationPolicy, Classifier, ControlPolicy, Registry, Verdict
from .errors import *  # noqa: F401,F403 - the exception classes
from .errors import UpkeepError
from .feedback import Proposal
from .ledger import BatchResult, Book, Ledger, Reason, Result
from .monitoring import Alert
from .planning import Customer, CustomerResult, Plan, Policy, Portfolio, TierResult
from .testing import run_policy_tests
from ._lib import lib as _raw

__version__ = _raw.upk_version().decode()

__all__ = ["Alert", "AllocationPolicy", "BatchResult", "Book", "Classifier", "ControlPolicy", "Customer",
           "CustomerResult", "Ledger", "Plan", "Policy", "Portfolio", "Proposal", "Reason", "Registry",
           "Result", "TierResult", "UpkeepError", "Verdict", "money", "run_policy_tests"]

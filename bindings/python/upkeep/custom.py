"""Custom classifiers, allocation policies and control policies written in Python.

Subclass Classifier, AllocationPolicy or ControlPolicy, register an instance in a Registry under
a name, and name it in a policy document (or control document) like a built-in. The Registry
keeps the ctypes callbacks alive until the library runs their destroy callback, which happens
once, when the registry and everything compiled with it are gone. An exception raised inside a
callback fails the call that ran it, and is re-raised from that call (for control policies, the
request is also rejected: custom controls fail closed).

Threading: the library may call a policy from several threads at once (docs/threading.md); a
control policy runs while the ledger holds its lock and must not call the ledger.
"""

import ctypes
import json

from . import _callbacks, _lib
from .errors import check, remember_callback_error

OUTCOMES = ("approve", "approve with warning", "needs approval", "reject")


class Classifier:
    """classify(params, portfolio, tier_count) -> one (tier index, score) per customer, in
    portfolio order; tier 0 is the highest."""

    def classify(self, params, portfolio, tier_count):
        raise NotImplementedError


class AllocationPolicy:
    """allocate(params, portfolio, tiers, tier_count, pool_minor) -> (amounts_minor, weights,
    unallocated_minor); amounts + unallocated must add up to the pool exactly."""

    def allocate(self, params, portfolio, tiers, tier_count, pool_minor):
        raise NotImplementedError


class ControlPolicy:
    """evaluate(params, context) -> an iterable of Verdicts (or None to say nothing).
    context is a dict: rule_id, actor, period, customer, tier, owner, region, category,
    amount_minor, time_micros, uses_in_period, path (balances as dicts)."""

    def evaluate(self, params, context):
        raise NotImplementedError


class Verdict:
    """What a control policy found: an outcome name (OUTCOMES), the shortfall, and words."""

    def __init__(self, outcome, message, remedy="", shortfall_minor=0):
        self.outcome = OUTCOMES.index(outcome) if isinstance(outcome, str) else int(outcome)
        self.message = message
        self.remedy = remedy
        self.shortfall_minor = int(shortfall_minor)


def _balance_dict(b):
    return {"budget_minor": b.budget_minor, "reserved_minor": b.reserved_minor,
            "spent_minor": b.spent_minor, "available_minor": b.available_minor,
            "budget_version": b.budget_version}


def _classify_bridge(policy):
    from .planning import Portfolio

    def classify(_user_data, params, portfolio, tier_count, tier_out, score_out, count):
        try:
            view = Portfolio._borrow(portfolio)
            placed = list(policy.classify(json.loads(_lib.read_str(params)), view, tier_count))
            if len(placed) != count:
                raise ValueError(f"classify returned {len(placed)} results for {count} customers")
            for i, (tier, score) in enumerate(placed):
                tier_out[i] = int(tier)
                score_out[i] = float(score)
            return 0
        except BaseException as error:  # noqa: B902 - every error must stay on this side
            return remember_callback_error(error)

    return _lib.CLASSIFY_FN(classify)


def _allocate_bridge(policy):
    from .planning import Portfolio

    def allocate(_user_data, params, given, amount_out, weight_out, unallocated_out):
        try:
            g = given.contents
            view = Portfolio._borrow(g.portfolio)
            tiers = [g.tier[i] for i in range(g.count)]
            amounts, weights, unallocated = policy.allocate(
                json.loads(_lib.read_str(params)), view, tiers, g.tier_count, g.pool.amount_minor)
            for i in range(g.count):
                amount_out[i] = int(amounts[i])
                weight_out[i] = int(weights[i])
            unallocated_out[0] = int(unallocated)
            return 0
        except BaseException as error:  # noqa: B902
            return remember_callback_error(error)

    return _lib.ALLOCATE_FN(allocate)


def _evaluate_bridge(policy):
    def evaluate(_user_data, params, context, verdict):
        try:
            c = context.contents
            names = ("rule_id", "actor", "period", "customer", "tier", "owner", "region",
                     "category")
            ctx = {name: _lib.read_str(getattr(c, name)) for name in names}
            ctx.update(amount_minor=c.amount_minor, time_micros=c.time_micros,
                       uses_in_period=c.uses_in_period,
                       path=[_balance_dict(c.path[k]) for k in range(c.path_count)])
            for v in policy.evaluate(json.loads(_lib.read_str(params)), ctx) or ():
                keep = _lib.Keep()
                status = _lib.lib.upk_control_verdict_add(verdict, v.outcome, v.shortfall_minor,
                                                          keep.s(v.message), keep.s(v.remedy))
                if status != 0:
                    return status
            return 0
        except BaseException as error:  # noqa: B902
            return remember_callback_error(error)

    return _lib.EVALUATE_FN(evaluate)


class Registry:
    """Custom policies by name, for Policy.compile, Ledger.set_policies and run_policy_tests."""

    def __init__(self):
        handle = ctypes.c_void_p()
        check(_lib.lib.upk_registry_new(ctypes.byref(handle)))
        self._handle = handle

    def close(self):
        if self._handle:
            _lib.lib.upk_registry_free(self._handle)
            self._handle = ctypes.c_void_p()

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def handle(self):
        return self._handle

    def _add(self, function, table_type, field, bridge, name):
        table = table_type()
        table.user_data = _callbacks.hold(bridge)  # destroy (maybe at once, on failure) drops it
        setattr(table, field, bridge)
        table.destroy = _callbacks.DESTROY
        keep = _lib.Keep()
        check(function(self._handle, keep.s(name), ctypes.byref(table)))

    def add_classifier(self, name, classifier):
        self._add(_lib.lib.upk_registry_add_classifier, _lib.ClassifierCallbacks, "classify",
                  _classify_bridge(classifier), name)

    def add_allocation(self, name, policy):
        self._add(_lib.lib.upk_registry_add_allocation, _lib.AllocationCallbacks, "allocate",
                  _allocate_bridge(policy), name)

    def add_control(self, name, policy):
        self._add(_lib.lib.upk_registry_add_control, _lib.ControlCallbacks, "evaluate",
                  _evaluate_bridge(policy), name)

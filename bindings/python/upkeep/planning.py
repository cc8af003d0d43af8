"""Policies, portfolios and plans: classify the customers, size the pool, allocate it."""

import ctypes
import json
from dataclasses import dataclass

from . import _lib
from ._handle import Handle
from .errors import check

L = _lib.lib
_STANDARD = ("growth", "tenure_months", "order_count", "recency_days", "satisfaction",
             "churn_risk")


def _out_text(function, *args):
    out = ctypes.c_void_p()
    check(function(ctypes.byref(out), *args))
    return _lib.take_string(out)


def plan_options(policy, pool_minor=None, previous=None):
    """An upk_plan_options: allocate pool_minor (None: the policy's sizing), with the tiers of
    the previous Plan (None: the first period)."""
    options = _lib.PlanOptions()
    if pool_minor is not None:
        options.has_pool = 1
        options.pool = _lib.money(pool_minor, policy.currency)
    options.previous = previous.handle if previous is not None else None
    return options


class Policy(Handle):
    """A compiled policy document (immutable; share it freely)."""

    _free = L.upk_policy_free

    @classmethod
    def compile(cls, document, registry=None):
        """document: JSON text or a dict. registry: custom policies (a Registry) or None."""
        text = document if isinstance(document, str) else json.dumps(document)
        keep = _lib.Keep()
        out = ctypes.c_void_p()
        check(L.upk_policy_compile(ctypes.byref(out), keep.s(text),
                                   registry.handle if registry else None))
        return cls(out)

    @property
    def currency(self):
        out = _lib.Str()
        check(L.upk_policy_currency(ctypes.byref(out), self._handle))
        return _lib.read_str(out)

    @property
    def tiers(self):
        count = ctypes.c_size_t()
        check(L.upk_policy_tier_count(ctypes.byref(count), self._handle))
        names = []
        for t in range(count.value):
            out = _lib.Str()
            check(L.upk_policy_tier_name(ctypes.byref(out), self._handle, t))
            names.append(_lib.read_str(out))
        return names


@dataclass(frozen=True)
class Customer:
    """A customer and its metrics; money metrics in int minor units."""

    id: str
    name: str = ""
    owner: str = ""
    region: str = ""
    revenue_minor: int = 0
    gross_margin_minor: int = 0
    growth: float = 0.0
    tenure_months: float = 0.0
    order_count: float = 0.0
    recency_days: float = 0.0
    satisfaction: float = 0.0
    churn_risk: float = 0.0
    attributes: tuple = ()      # ((key, value), ...)
    custom_metrics: tuple = ()  # ((name, value), ...)


def _to_c_customer(c, keep):
    out = _lib.Customer()
    out.id, out.name, out.owner, out.region = (keep.s(c.id), keep.s(c.name), keep.s(c.owner),
                                               keep.s(c.region))
    out.revenue_minor = c.revenue_minor
    out.gross_margin_minor = c.gross_margin_minor
    for field in _STANDARD:
        setattr(out, field, float(getattr(c, field)))
    if c.attributes:
        attributes = (_lib.Attribute * len(c.attributes))(
            *[_lib.Attribute(keep.s(k), keep.s(v)) for k, v in c.attributes])
        keep.append(attributes)
        out.attributes, out.attribute_count = attributes, len(c.attributes)
    if c.custom_metrics:
        metrics = (_lib.MetricValue * len(c.custom_metrics))(
            *[_lib.MetricValue(keep.s(k), float(v)) for k, v in c.custom_metrics])
        keep.append(metrics)
        out.custom_metrics, out.custom_metric_count = metrics, len(c.custom_metrics)
    return out


class Portfolio(Handle):
    """The customers of one book for one period, sorted by id (immutable)."""

    _free = L.upk_portfolio_free

    @classmethod
    def _borrow(cls, handle):
        """A view of a portfolio the library lends to a callback (not freed here)."""
        return cls(handle, owned=False)

    @classmethod
    def from_customers(cls, currency, customers):
        """customers: Customer objects (or dicts with Customer's fields), added in one call."""
        keep = _lib.Keep()
        rows = [c if isinstance(c, Customer) else Customer(**c) for c in customers]
        array = (_lib.Customer * len(rows))(*[_to_c_customer(c, keep) for c in rows])
        builder = ctypes.c_void_p()
        check(L.upk_portfolio_builder_new(ctypes.byref(builder), keep.s(currency)))
        try:
            added = ctypes.c_size_t()
            check(L.upk_portfolio_builder_add_many(ctypes.byref(added), builder, array, len(rows)))
            out = ctypes.c_void_p()
            check(L.upk_portfolio_build(ctypes.byref(out), builder))
            return cls(out)
        finally:
            L.upk_portfolio_builder_free(builder)

    @classmethod
    def from_csv(cls, text, currency, source="portfolio.csv", skip_bad_rows=False):
        """Returns (portfolio, rejected rows as dicts with line and reason)."""
        keep = _lib.Keep()
        options = _lib.CsvOptions()
        options.currency, options.source = keep.s(currency), keep.s(source)
        options.skip_bad_rows = 1 if skip_bad_rows else 0
        out, rejected = ctypes.c_void_p(), ctypes.c_void_p()
        check(L.upk_portfolio_from_csv(ctypes.byref(out), ctypes.byref(rejected), keep.s(text),
                                       ctypes.byref(options)))
        return cls(out), json.loads(_lib.take_string(rejected))

    def __len__(self):
        out = ctypes.c_size_t()
        check(L.upk_portfolio_count(ctypes.byref(out), self._handle))
        return out.value

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(index)
        c = _lib.Customer()
        check(L.upk_portfolio_customer(ctypes.byref(c), self._handle, index))
        return Customer(_lib.read_str(c.id), _lib.read_str(c.name), _lib.read_str(c.owner),
                        _lib.read_str(c.region), c.revenue_minor, c.gross_margin_minor,
                        *[getattr(c, f) for f in _STANDARD])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def find(self, customer_id):
        keep = _lib.Keep()
        out = ctypes.c_size_t()
        check(L.upk_portfolio_find(ctypes.byref(out), self._handle, keep.s(customer_id)))
        return out.value

    def metric(self, name, index):
        keep = _lib.Keep()
        out = ctypes.c_double()
        check(L.upk_portfolio_metric(ctypes.byref(out), self._handle, keep.s(name), index))
        return out.value


@dataclass(frozen=True)
class TierResult:
    name: str
    rule: str
    customers: int
    amount_minor: int
    smallest_minor: int
    largest_minor: int
    flags: int
    bound_minor: int


@dataclass(frozen=True)
class CustomerResult:
    index: int
    id: str
    tier: int
    rule_tier: int
    tier_reason: int
    score: float
    amount_minor: int
    base_minor: int
    weight: int
    bound_minor: int
    step: int
    flags: int


class Plan(Handle):
    """A period's plan: every customer's tier and amount, with explanations."""

    _free = L.upk_plan_free

    def __init__(self, policy, portfolio, pool_minor=None, previous=None):
        options = plan_options(policy, pool_minor, previous)
        out = ctypes.c_void_p()
        check(L.upk_plan_new(ctypes.byref(out), policy.handle, portfolio.handle,
                             ctypes.byref(options)))
        self._adopt(out)

    @classmethod
    def adopt(cls, handle):
        """A Plan that owns `handle`, an upk_plan the library made (upk_plan_from_proposal)."""
        plan = cls.__new__(cls)
        plan._adopt(handle)
        return plan

    def _adopt(self, out):
        super().__init__(out)
        s = _lib.PlanSummary()
        check(L.upk_plan_summary_get(ctypes.byref(s), self._handle))
        self.currency = s.pool.currency.decode()
        self.pool_minor = s.pool.amount_minor
        self.allocated_minor = s.allocated_minor
        self.reserve_minor = s.reserve_minor
        self.unallocated_minor = s.unallocated_minor
        self._count = s.customer_count
        self._tier_count = s.tier_count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        if not 0 <= index < self._count:
            raise IndexError(index)
        c = _lib.PlanCustomer()
        check(L.upk_plan_customer_get(ctypes.byref(c), self._handle, index))
        return CustomerResult(index, _lib.read_str(c.id), c.tier, c.rule_tier, c.tier_reason,
                              c.score, c.amount_minor, c.base_minor, c.weight, c.bound_minor,
                              c.step, c.flags)

    def __iter__(self):
        """The customers' results, in portfolio (id) order."""
        return (self[i] for i in range(self._count))

    @property
    def tiers(self):
        out = []
        for t in range(self._tier_count):
            r = _lib.PlanTier()
            check(L.upk_plan_tier_get(ctypes.byref(r), self._handle, t))
            out.append(TierResult(_lib.read_str(r.name), _lib.read_str(r.rule), r.customers,
                                  r.amount_minor, r.smallest_minor, r.largest_minor, r.flags,
                                  r.bound_minor))
        return out

    def find(self, customer_id):
        keep = _lib.Keep()
        out = ctypes.c_size_t()
        check(L.upk_plan_find_customer(ctypes.byref(out), self._handle, keep.s(customer_id)))
        return self[out.value]

    def explain_tier(self, index):
        return _out_text(L.upk_plan_explain_tier, self._handle, index)

    def explain_amount(self, index):
        return _out_text(L.upk_plan_explain_amount, self._handle, index)

    def explain_sizing(self):
        return _out_text(L.upk_plan_explain_sizing, self._handle)

    def to_dict(self):
        return json.loads(_out_text(L.upk_plan_to_json, self._handle))

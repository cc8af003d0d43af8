"""The feedback loop of a monitored ledger: what came back (outcomes, customer feedback,
internal assessments), effectiveness by a dimension, and the proposal for the next period.

    ledger.attach_monitoring(policy)
    ledger.record_outcome("c1", "FY2025", revenue_minor=200000, revenue_before_minor=100000,
                          renewal="renewed")
    ledger.record_feedback("nps-c1", "c1", "FY2025", satisfaction=9, recommend=10)
    ledger.effectiveness("FY2025", group_by="tier")      # a dict: ROI, retention, NPS, ranking
    proposal = ledger.propose(policy, "FY2025")          # the policy's "feedback" section
    proposal.simulate(policy, current_plan, next_portfolio)   # a dict, customer by customer
    proposal.approve("cfo")
    next_plan = proposal.plan(policy, current_plan, next_portfolio)   # a Plan
    proposal.mark_applied()

Records are idempotent: the same record again returns "unchanged"; a different one under a taken
key raises AlreadyExists (outcomes, keyed by customer and period) or IdempotencyConflict (ids).
"""

import ctypes
import json

from . import _lib
from ._handle import Handle
from .errors import check
from .planning import Plan, _out_text, plan_options

L = _lib.lib
RENEWALS = ("unknown", "renewed", "churned")
ROLES = ("account_manager", "manager")
RESULTS = ("added", "unchanged")
PROPOSAL_STATES = ("draft", "approved", "rejected", "applied")
_DIMENSIONS = ("company", "tier", "customer", "owner", "region", "category")


def _index(names, value, what):
    if value not in names:
        raise ValueError(f"{what} must be one of {', '.join(names)}, not {value!r}")
    return names.index(value)


def outcome_struct(keep, customer, period, revenue_minor=0, revenue_before_minor=0,
                   renewal="unknown"):
    r = _lib.OutcomeRecord()
    r.customer, r.period = keep.s(customer), keep.s(period)
    r.revenue_minor, r.revenue_before_minor = int(revenue_minor), int(revenue_before_minor)
    r.renewal = _index(RENEWALS, renewal, "renewal")
    return r


def feedback_struct(keep, id, customer, period, satisfaction=None, recommend=None, complaints=0,
                    comment=""):
    f = _lib.CustomerFeedback()
    f.id, f.customer, f.period, f.comment = (keep.s(id), keep.s(customer), keep.s(period),
                                             keep.s(comment))
    if satisfaction is not None:
        f.has_satisfaction, f.satisfaction = 1, int(satisfaction)
    if recommend is not None:
        f.has_recommend, f.recommend = 1, int(recommend)
    f.complaints = int(complaints)
    return f


def assessment_struct(keep, id, customer, period, author, rating, role="account_manager",
                      comment=""):
    a = _lib.Assessment()
    a.id, a.customer, a.period, a.author, a.comment = (keep.s(id), keep.s(customer),
                                                       keep.s(period), keep.s(author),
                                                       keep.s(comment))
    a.role = _index(ROLES, role, "role")
    a.rating = int(rating)
    return a


class Proposal(Handle):
    """A feedback proposal: per customer a tier move and a weight multiplier, with reasons.
    draft -> approved -> applied, or draft -> rejected (InvalidState from the wrong state)."""

    _free = L.upk_proposal_free

    @property
    def state(self):
        out = ctypes.c_int32()
        check(L.upk_proposal_state(ctypes.byref(out), self._handle))
        return PROPOSAL_STATES[out.value]

    def approve(self, actor):
        check(L.upk_proposal_approve(self._handle, _lib.Keep().s(actor)))

    def reject(self, actor):
        check(L.upk_proposal_reject(self._handle, _lib.Keep().s(actor)))

    def mark_applied(self):
        """Once its plan is taken (approved only)."""
        check(L.upk_proposal_mark_applied(self._handle))

    def to_dict(self):
        """period, policy, max_change_bp, state, decided_by, changes (customer, tier_from,
        tier_to, multiplier_bp, reasons)."""
        return json.loads(_out_text(L.upk_proposal_to_json, self._handle))

    def simulate(self, policy, current, next_portfolio, pool_minor=None, previous=None):
        """The next plan beside the current Plan, customer by customer (a dict)."""
        options = plan_options(policy, pool_minor, previous)
        return json.loads(_out_text(L.upk_proposal_simulate_json, policy.handle, current.handle,
                                    next_portfolio.handle, self._handle, ctypes.byref(options)))

    def plan(self, policy, current, next_portfolio, pool_minor=None, previous=None):
        """The next period's Plan from this approved proposal."""
        options = plan_options(policy, pool_minor, previous)
        out = ctypes.c_void_p()
        check(L.upk_plan_from_proposal(ctypes.byref(out), policy.handle, current.handle,
                                       next_portfolio.handle, self._handle,
                                       ctypes.byref(options)))
        return Plan.adopt(out)


class FeedbackMixin:
    """The feedback methods of Ledger (self._handle is the upk_ledger; monitoring attached)."""

    def _record_one(self, function, struct):
        out = ctypes.c_int32()
        check(function(ctypes.byref(out), self._handle, ctypes.byref(struct)))
        return RESULTS[out.value]

    def record_outcome(self, customer, period, revenue_minor=0, revenue_before_minor=0,
                       renewal="unknown"):
        """Keeps a customer's outcome in a period; "added" or "unchanged"."""
        keep = _lib.Keep()
        return self._record_one(L.upk_ledger_record_outcome, outcome_struct(
            keep, customer, period, revenue_minor, revenue_before_minor, renewal))

    def record_feedback(self, id, customer, period, satisfaction=None, recommend=None,
                        complaints=0, comment=""):
        """Keeps what a customer said (scores 0..10); "added" or "unchanged"."""
        keep = _lib.Keep()
        return self._record_one(L.upk_ledger_record_feedback, feedback_struct(
            keep, id, customer, period, satisfaction, recommend, complaints, comment))

    def record_assessment(self, id, customer, period, author, rating, role="account_manager",
                          comment=""):
        """Keeps an internal assessment (rating -2..+2); "added" or "unchanged"."""
        keep = _lib.Keep()
        return self._record_one(L.upk_ledger_record_assessment, assessment_struct(
            keep, id, customer, period, author, rating, role, comment))

    def _record_many(self, function, make, cls, records):
        keep = _lib.Keep()
        array = (cls * len(records))(*(make(keep, **r) for r in records))
        out = ctypes.c_size_t()
        check(function(ctypes.byref(out), self._handle, array, len(records)))
        return out.value

    def record_outcomes(self, records):
        """Many outcomes (dicts of record_outcome's arguments), in order; stops at the first bad
        one (its index is in the error). Returns how many were recorded."""
        return self._record_many(L.upk_ledger_record_outcomes, outcome_struct,
                                 _lib.OutcomeRecord, records)

    def record_feedbacks(self, records):
        return self._record_many(L.upk_ledger_record_feedbacks, feedback_struct,
                                 _lib.CustomerFeedback, records)

    def record_assessments(self, records):
        return self._record_many(L.upk_ledger_record_assessments, assessment_struct,
                                 _lib.Assessment, records)

    def feedback_log(self):
        """Every record, in the order recorded: {"currency", "outcomes", "feedback",
        "assessments"} (amounts as decimal strings)."""
        return json.loads(_out_text(L.upk_ledger_feedback_json, self._handle))

    def effectiveness(self, period, group_by="tier"):
        """Is the money working? ROI, cost to serve, retention, satisfaction, NPS per group of
        `group_by` (company, tier, customer, owner, region or category), a total and a ranking
        by return per unit of spend."""
        keep = _lib.Keep()
        r = _lib.EffectivenessRequest()
        r.period, r.group_by = keep.s(period), _index(_DIMENSIONS, group_by, "group_by")
        return json.loads(_out_text(L.upk_ledger_effectiveness_json, self._handle,
                                    ctypes.byref(r)))

    def propose(self, policy, period):
        """The next period's Proposal from `policy`'s "feedback" section over `period`."""
        out = ctypes.c_void_p()
        check(L.upk_ledger_propose(ctypes.byref(out), self._handle, policy.handle,
                                   _lib.Keep().s(period)))
        return Proposal(out)

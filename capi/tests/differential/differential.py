"""The differential corpus (capi/tests/data/differential.json) through the C API from Python.

    python3 differential.py <corpus.json> <source dir>   # canonical JSON on stdout

The output format is the one differential.cc documents; check_differential.cmake
compares it byte for byte with the C++ and C# runners' outputs.
"""

import json
import pathlib
import sys

import upkeep

def plan_case(case, root):
    text = (root / case["policy_file"]).read_text(encoding="utf-8") if "policy_file" in case \
        else json.dumps(case["policy"])
    policy = upkeep.Policy.compile(text)
    csv = (root / case["portfolio_csv"]).read_text(encoding="utf-8")
    portfolio, _ = upkeep.Portfolio.from_csv(csv, policy.currency)
    out = {"name": case["name"]}
    try:
        plan = upkeep.Plan(policy, portfolio, pool_minor=case.get("pool_minor"))
    except upkeep.UpkeepError as error:
        out["status"] = error.status_name
        return out
    out["summary"] = {"customer_count": len(plan), "tier_count": len(plan.tiers),
                      **{k: getattr(plan, k) for k in ("pool_minor", "allocated_minor",
                                                       "reserve_minor", "unallocated_minor")}}
    out["tiers"] = [{k: getattr(t, k) for k in ("name", "customers", "amount_minor",
                                                "smallest_minor", "largest_minor", "flags",
                                                "bound_minor")} for t in plan.tiers]
    out["customers"] = [{k: getattr(c, k) for k in ("id", "tier", "rule_tier", "tier_reason",
                                                    "amount_minor", "base_minor", "weight",
                                                    "bound_minor", "step", "flags")}
                        for c in plan]
    return out


def scope_of(report_scope):
    """A scope as {period, kind, key, category} (reports also carry its text)."""
    return {k: report_scope[k] for k in ("period", "kind", "key", "category")}


def decision(result):
    return {"outcome": result.outcome, "replayed": result.replayed,
            "reasons": [{"rule_id": r.rule_id, "outcome": r.outcome, "scope": r.scope,
                         "requested_minor": r.requested_minor,
                         "shortfall_minor": r.shortfall_minor,
                         "available_minor": r.balance["available_minor"],
                         "message": r.message, "remedy": r.remedy} for r in result.reasons]}


def operation(ledger, spec, period, category):
    op = spec["op"]
    actor, op_id, target = spec.get("actor", ""), spec.get("id", ""), spec.get("target", "")
    amount, reason = spec.get("amount_minor"), spec.get("reason", "")
    explain = spec.get("explain", False)
    if op in ("reserve", "spend", "check"):
        args = (op_id, actor, period, spec["customer"], category, amount)
        if op == "reserve":
            return decision(ledger.reserve(*args, expiry_micros=spec.get("expiry_micros", 0),
                                           reason=reason, explain=explain))
        if op == "spend":
            return decision(ledger.spend(*args, reason=reason, explain=explain))
        return decision(ledger.check(*args, as_spend=spec.get("as_spend", False),
                                     reason=reason, explain=explain))
    if op == "approve":
        return decision(ledger.approve(actor, op_id, reason))
    if op == "expire":
        return {"count": ledger.expire(actor, spec["now_micros"])}
    if op == "post":
        ledger.post(op_id, actor, target, amount, reason)
    elif op == "void":
        ledger.void(op_id, actor, target, reason)
    elif op == "refund":
        ledger.refund(op_id, actor, target, amount, reason)
    elif op == "reject_approval":
        ledger.reject_approval(actor, op_id, reason)
    elif op == "withdraw_approval":
        ledger.withdraw_approval(actor, op_id, reason)
    elif op == "close_period":
        ledger.close_period(actor, period)
    else:
        raise ValueError(f"unknown op {op}")
    return {}


def ledger_case(spec):
    ledger = upkeep.Ledger(spec["currency"], fixed_time_micros=1)
    period, category = spec["period"], spec["category"]
    ledger.define_category("admin", category)
    ledger.define_period("admin", period, 0, spec["period_end_micros"])
    for tier in spec["tiers"]:
        ledger.define_tier("admin", tier)
    for actor, role in spec["actors"]:
        ledger.define_actor("admin", actor, role)
    tier_of = {}
    for customer, tier, owner, region in spec["customers"]:
        ledger.define_customer("admin", customer, tier, owner, region)
        tier_of[customer] = tier
    ledger.apply_allocation("budget", "admin", period, category,
                            [(c, tier_of[c], amount) for c, amount in spec["envelopes"]])
    ledger.set_policies("admin", spec["control"])
    operations = []
    for s in spec["operations"]:
        entry = {"op": s["op"], "id": s.get("id", "")}
        try:
            entry.update(operation(ledger, s, period, category))
            entry["status"] = "ok"
        except upkeep.UpkeepError as error:
            entry["status"] = error.status_name
        operations.append(entry)
    reservations = {}
    for s in spec["operations"]:
        if s["op"] in ("reserve", "spend") and s["id"] not in reservations:
            try:
                r = ledger.reservation(s["id"])
                reservations[s["id"]] = {k: r[k] for k in ("status", "amount_minor",
                                                           "posted_minor", "refunded_minor")}
            except upkeep.UpkeepError as error:
                reservations[s["id"]] = {"status": error.status_name}
    scopes = [{"scope": scope_of(s["scope"]), "mode": s["mode"],
               "children_budget_minor": s["children_budget_minor"],
               **{k: s["balance"][k] for k in ("budget_minor", "reserved_minor", "spent_minor",
                                               "available_minor")}} for s in ledger.scopes()]
    pending = [{"approval_id": a["approval_id"], "requester": a["requester"],
                "envelope": scope_of(a["envelope"]), "amount_minor": a["amount_minor"],
                "is_spend": a["is_spend"]} for a in ledger.pending_approvals()]
    return {"operations": operations, "reservations": reservations, "scopes": scopes,
            "pending": pending}


def main():
    corpus = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    root = pathlib.Path(sys.argv[2])
    out = {"allocation": [plan_case(c, root) for c in corpus["allocation"]],
           "ledger": ledger_case(corpus["ledger"])}
    sys.stdout.write(json.dumps(out, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

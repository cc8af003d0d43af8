#!/usr/bin/env python3
"""Makes the peers benchmark's data set, seeded and deterministic, in two forms.

For upkeep (upkeep/io/portfolio_csv.h, upkeep/io/spend_csv.h):
  policy.json     tiers a, b, c; a fixed budget per customer by tier (fixed_per_tier)
  customers.csv   customer_id, name, owner, region, tier, revenue
  spend.csv       request_id, date, customer_id, category, kind, amount (all of 2026, by date)
For hledger and ledger:
  budget.journal  one `~ monthly` periodic transaction: each customer's budget / 12 a month,
                  then one transaction per spend, to expenses:<customer_id>
And facts.json: the customers, spends, the pool and the exact totals (minor units).

Usage: gen.py OUT_DIR --customers 10000 --spends 100000 [--seed 7]
"""
import argparse
import datetime
import json
import os
import random

TIERS = (("a", 0.10, 2400000), ("b", 0.30, 1200000), ("c", 0.60, 600000))  # minor units a year
REGIONS = ("north", "south", "east", "west")
OWNERS = 50
YEAR = 2026
MAX_SPEND_MINOR = 4000  # 40.00: well inside every budget, so no request is denied


def money(minor):
    return "%d.%02d" % divmod(minor, 100)


def make_customers(rng, count):
    customers = []
    for k in range(1, count + 1):
        draw = rng.random()
        cumulative = 0.0
        tier = TIERS[-1]
        for candidate in TIERS:
            cumulative += candidate[1]
            if draw < cumulative:
                tier = candidate
                break
        customers.append({
            "id": "C%05d" % k,
            "owner": "AM%02d" % (k % OWNERS + 1),
            "region": REGIONS[k % len(REGIONS)],
            "tier": tier[0],
            "budget_minor": tier[2],
            "revenue_minor": rng.randint(100000, 100000000),
        })
    return customers


def make_spends(rng, customers, count):
    days = (datetime.date(YEAR + 1, 1, 1) - datetime.date(YEAR, 1, 1)).days
    spends = []
    for _ in range(count):
        day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(days))
        spends.append((day, rng.randrange(len(customers)), rng.randint(1, MAX_SPEND_MINOR)))
    spends.sort(key=lambda spend: spend[0])
    return spends


def write_policy(path):
    amounts = {name: money(minor) for name, _, minor in TIERS}
    policy = {
        "upkeep_policy": 1,
        "name": "peers benchmark",
        "currency": "CNY",
        "tiers": [name for name, _, _ in TIERS],
        "classification": {"classifier": "abc", "metric": "revenue", "cumulative_pct": [50, 80]},
        "allocation": {"policy": "fixed_per_tier", "amount_per_customer": amounts},
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(policy, out, indent=2)
        out.write("\n")


def write_customers(path, customers):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("customer_id,name,owner,region,tier,revenue\n")
        for c in customers:
            out.write("%s,Customer %s,%s,%s,%s,%s\n" % (c["id"], c["id"][1:], c["owner"],
                                                         c["region"], c["tier"],
                                                         money(c["revenue_minor"])))


def write_spends(path, customers, spends):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("request_id,date,customer_id,category,kind,amount\n")
        lines = []
        for k, (day, who, minor) in enumerate(spends, 1):
            lines.append("S%07d,%s,%s,fee,spend,%s\n" % (k, day.isoformat(), customers[who]["id"],
                                                        money(minor)))
        out.writelines(lines)


def write_journal(path, customers, spends):
    with open(path, "w", encoding="utf-8") as out:
        out.write("; peers benchmark: monthly budgets, then the spends of %d\n\n" % YEAR)
        out.write("~ monthly from %d/01/01 to %d/01/01\n" % (YEAR, YEAR + 1))
        for c in customers:
            out.write("    expenses:%s    %s\n" % (c["id"], money(c["budget_minor"] // 12)))
        out.write("    assets:budget\n\n")
        lines = []
        for k, (day, who, minor) in enumerate(spends, 1):
            lines.append("%s S%07d\n    expenses:%s    %s\n    assets:bank\n\n" %
                         (day.strftime("%Y/%m/%d"), k, customers[who]["id"], money(minor)))
        out.writelines(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--spends", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    customers = make_customers(rng, args.customers)
    spends = make_spends(rng, customers, args.spends)
    os.makedirs(args.out, exist_ok=True)
    write_policy(os.path.join(args.out, "policy.json"))
    write_customers(os.path.join(args.out, "customers.csv"), customers)
    write_spends(os.path.join(args.out, "spend.csv"), customers, spends)
    write_journal(os.path.join(args.out, "budget.journal"), customers, spends)
    pool_minor = sum(c["budget_minor"] for c in customers)
    facts = {
        "customers": len(customers),
        "spends": len(spends),
        "pool": money(pool_minor),
        "budget_minor": pool_minor,
        "actual_minor": sum(minor for _, _, minor in spends),
    }
    with open(os.path.join(args.out, "facts.json"), "w", encoding="utf-8") as out:
        json.dump(facts, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()

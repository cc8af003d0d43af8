#!/usr/bin/env python3
"""Writes a deterministic sample portfolio for upkeep's examples and benchmarks.

The same --seed and --customers always give the same files (Python's Mersenne Twister is
portable across platforms). The portfolio looks like a real B2B customer base: revenue is
heavy-tailed (a few large customers hold most of it), customers spread over regions and account
managers, and some large customers show signs of neglect (long recency, low satisfaction).

    python3 examples/generate_sample.py --customers 2000 --seed 2026 --out examples/data

Writes OUT/portfolio.csv with a header row:
    customer_id,name,owner,region,industry,revenue,gross_margin,growth,tenure_months,
    order_count,recency_days,satisfaction,churn_risk
and OUT/spend.csv, a year (2026) of spend requests in date order:
    request_id,date,customer_id,category,kind,amount,actual_amount
kind is "spend" (money spent directly) or "reserve" (held for a plan, then posted for
actual_amount, which may be less). Requests follow the seasons (gifts at the Spring Festival
and Mid-Autumn, events in June and November); a few customers ask for far more than their
share, and the neglected large customers ask for almost nothing.
and OUT/feedback.csv, what came back from the year (FY2026), one row per record:
    id,customer_id,period,kind,revenue,revenue_before,renewal,satisfaction,recommend,
    complaints,rating,author,comment
kind "outcome" (every customer: the year's revenue against the year before, renewed or
churned), "customer" (about 40 % answered a survey: satisfaction and recommend 0..10,
complaints, a comment), "account_manager" and "manager" (the owner's and some managers' rating
of the relationship, -2..2). Neglected customers answer worse, churn more and are rated down.
Money columns are decimal CNY with two fraction digits; the others are plain numbers.
"""

import argparse
import csv
import os
import random

CITIES = ["上海", "北京", "深圳", "广州", "杭州", "苏州", "成都", "武汉", "南京", "重庆",
          "天津", "西安", "长沙", "青岛", "宁波", "厦门", "合肥", "郑州", "沈阳", "昆明"]
REGION_OF_CITY = {
    "上海": "华东", "杭州": "华东", "苏州": "华东", "南京": "华东", "宁波": "华东",
    "合肥": "华东", "厦门": "华南", "深圳": "华南", "广州": "华南", "北京": "华北",
    "天津": "华北", "青岛": "华北", "沈阳": "东北", "成都": "西南", "重庆": "西南",
    "昆明": "西南", "武汉": "华中", "长沙": "华中", "郑州": "华中", "西安": "西北",
}
WORDS = ["恒远", "华信", "天成", "宏达", "瑞丰", "博雅", "金桥", "鼎盛", "安泰", "远航",
         "新元", "嘉禾", "中科", "明德", "汇通", "盛世", "长青", "康达", "永利", "启航"]
INDUSTRIES = [("机械", "manufacturing"), ("医疗", "healthcare"), ("科技", "technology"),
              ("物流", "logistics"), ("食品", "food"), ("建材", "construction"),
              ("电子", "electronics"), ("化工", "chemicals")]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司"]


def money(minor):
    """Minor units as a decimal CNY string, exactly."""
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    return f"{sign}{minor // 100}.{minor % 100:02d}"


def customer_rows(count, seed):
    rng = random.Random(seed)
    owners = [f"am-{k:02d}" for k in range(1, 25)]
    for i in range(1, count + 1):
        city = rng.choice(CITIES)
        word = rng.choice(WORDS)
        industry_cn, industry = rng.choice(INDUSTRIES)
        name = f"{city}{word}{industry_cn}{rng.choice(SUFFIXES)}"
        # Pareto revenue: shape 1.16 gives roughly the 80/20 rule; floor 50,000.00 CNY.
        revenue_minor = int(5_000_000 * rng.paretovariate(1.16))
        revenue_minor = min(revenue_minor, 2_000_000_000_00)
        margin_pct = rng.randint(8, 45)
        gross_margin_minor = revenue_minor * margin_pct // 100
        tenure = rng.randint(1, 150)
        orders = max(1, int(rng.expovariate(1 / 12)) + revenue_minor // 100_000_000)
        recency = rng.randint(1, 120)
        satisfaction = round(rng.uniform(5.5, 9.8), 1)
        churn = round(rng.uniform(0.02, 0.35), 3)
        growth = round(rng.gauss(0.06, 0.15), 3)
        if revenue_minor > 100_000_000 and rng.random() < 0.12:
            # A large customer that has been neglected: a relationship at risk.
            recency = rng.randint(150, 330)
            satisfaction = round(rng.uniform(3.0, 6.0), 1)
            churn = round(rng.uniform(0.4, 0.8), 3)
        yield [f"C{i:05d}", name, rng.choice(owners), REGION_OF_CITY[city], industry,
               money(revenue_minor), money(gross_margin_minor), growth, tenure, orders,
               recency, satisfaction, churn]


# Relative weight of each month (January first) and the categories asked for in it.
MONTH_WEIGHTS = [14, 8, 7, 6, 7, 9, 6, 5, 9, 7, 9, 13]
MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
CATEGORIES = ["visit", "gift", "entertainment", "training", "support", "event"]
SEASONAL_CATEGORY = {1: "gift", 2: "gift", 6: "event", 9: "gift", 11: "event"}
RESERVED_CATEGORIES = {"entertainment", "training", "event"}


def spend_rows(customers, seed):
    """A year of spend requests for `customers` (rows of customer_rows), sorted by date."""
    rng = random.Random(seed + 1)
    requests = []
    for row in customers:
        customer_id, revenue_minor, recency = row[0], int(row[5].replace(".", "")), row[10]
        # What the relationship would use in a year: about 0.8 % of revenue.
        intent_minor = revenue_minor * rng.uniform(0.004, 0.012)
        if recency >= 150:
            intent_minor *= 0.05  # neglected: almost nothing is asked for
        elif rng.random() < 0.04:
            intent_minor *= 3.0  # an over-spender
        count = min(24, 1 + int(revenue_minor ** 0.5 / 2500) + rng.randint(0, 2))
        if rng.random() < 0.35 and revenue_minor < 20_000_000:
            count = rng.randint(0, 1)  # many small customers ask for little
        for _ in range(count):
            month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
            category = SEASONAL_CATEGORY.get(month) if rng.random() < 0.5 else None
            category = category or rng.choice(CATEGORIES)
            amount_minor = int(intent_minor / count * rng.lognormvariate(0, 0.4))
            amount_minor = max(10_000, amount_minor // 1000 * 1000)  # whole 10.00 CNY
            kind = "reserve" if category in RESERVED_CATEGORIES else "spend"
            actual_minor = amount_minor
            if kind == "reserve":
                actual_minor = amount_minor * rng.randint(80, 100) // 100
            day = rng.randint(1, MONTH_DAYS[month - 1])
            requests.append((f"2026-{month:02d}-{day:02d}", customer_id, category, kind,
                             amount_minor, actual_minor))
    requests.sort()
    for k, (date, customer_id, category, kind, amount_minor, actual_minor) in enumerate(requests):
        yield [f"S{k + 1:06d}", date, customer_id, category, kind, money(amount_minor),
               money(actual_minor)]


SURVEY_COMMENTS = {
    "good": ["服务及时，很满意", "活动安排得很好", "客户经理很专业", ""],
    "mixed": ["还可以", "希望多些技术培训", "响应有时偏慢", ""],
    "bad": ["很久没人联系我们", "问题一直没解决, 考虑换供应商", "礼品没有用处", "服务变差了"],
}
ASSESSMENT_COMMENTS = {2: "关系明显加深", 1: "合作更顺畅", 0: "维持现状",
                       -1: "互动减少", -2: "有流失风险"}


def feedback_rows(customers, seed):
    """Outcomes, survey answers and internal ratings of FY2026 for `customers`."""
    rng = random.Random(seed + 2)
    rows = []
    for row in customers:
        customer_id, owner = row[0], row[2]
        revenue_minor = int(row[5].replace(".", ""))
        growth, recency, satisfaction, churn = row[7], row[10], row[11], row[12]
        neglected = recency >= 150
        change = growth + rng.gauss(0.0, 0.08) + (satisfaction - 7.5) * 0.02
        after_minor = max(0, int(revenue_minor * (1 + change)))
        churned = rng.random() < churn * (0.6 if not neglected else 1.0)
        if churned:
            after_minor = after_minor * rng.randint(10, 60) // 100
        rows.append(["outcome", customer_id, money(after_minor), money(revenue_minor),
                     "churned" if churned else "renewed", "", "", "", "", "", ""])
        if rng.random() < 0.4:
            score = min(10, max(0, round(satisfaction + rng.gauss(0, 1.0))))
            recommend = min(10, max(0, round(score + rng.gauss(0, 1.2))))
            complaints = rng.choice([0, 0, 0, 1, 2]) if score >= 6 else rng.randint(1, 5)
            mood = "good" if score >= 8 else "mixed" if score >= 6 else "bad"
            rows.append(["customer", customer_id, "", "", "", score, recommend, complaints, "",
                         "", rng.choice(SURVEY_COMMENTS[mood])])
        if rng.random() < 0.5:
            base = 1 if change > 0.1 else -1 if change < -0.05 or churned else 0
            rating = min(2, max(-2, base + rng.choice([-1, 0, 0, 1]) - (1 if neglected else 0)))
            rows.append(["account_manager", customer_id, "", "", "", "", "", "", rating, owner,
                         ASSESSMENT_COMMENTS[rating]])
        if revenue_minor > 50_000_000 and rng.random() < 0.3:
            rating = min(2, max(-2, (1 if change > 0.05 else -1) - (1 if neglected else 0)))
            rows.append(["manager", customer_id, "", "", "", "", "", "", rating, "manager",
                         ASSESSMENT_COMMENTS[rating]])
    for k, (kind, customer_id, *rest) in enumerate(rows):
        yield [f"F{k + 1:06d}", customer_id, "FY2026", kind, *rest]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "portfolio.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["customer_id", "name", "owner", "region", "industry", "revenue",
                         "gross_margin", "growth", "tenure_months", "order_count",
                         "recency_days", "satisfaction", "churn_risk"])
        customers = list(customer_rows(args.customers, args.seed))
        writer.writerows(customers)
    with open(os.path.join(args.out, "spend.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["request_id", "date", "customer_id", "category", "kind", "amount",
                         "actual_amount"])
        writer.writerows(spend_rows(customers, args.seed))
    with open(os.path.join(args.out, "feedback.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "customer_id", "period", "kind", "revenue", "revenue_before",
                         "renewal", "satisfaction", "recommend", "complaints", "rating", "author",
                         "comment"])
        writer.writerows(feedback_rows(customers, args.seed))


if __name__ == "__main__":
    main()

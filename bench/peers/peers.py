#!/usr/bin/env python3
"""Times upkeep against hledger and ledger on one data set (gen.py) and checks they agree.

For each size (spends over --customers customers) it makes the data set, then runs:
  upkeep   init, import customers, allocate (the budgets), import spend, and
           report budget --by customer (budget vs actual by customer and month), over a SQLite
           book (a book lives across commands only as a file; `memory:` is per process)
  hledger  balance --budget -M -T on the journal
  ledger   budget --monthly on the journal, and ledger budget (the year)
Each tool's total budget and total actual must equal the data set's, exactly (minor units);
ledger 3.3's budget --monthly prints no budget column (its actual column is actual - budget),
so it is checked on that difference and the year report on both totals. A tool that is not
installed is left out (--require-peers makes that an error). Prints a table of wall times and
the ratio of the fastest peer's time to upkeep's.

Usage: peers.py --upkeep BIN [--sizes 100000,1000000] [--customers 10000] [--work DIR]
"""
import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

PERIOD = "FY2026"
BEGIN, END = "2026-01-01", "2027-01-01"


def minor(text):
    """'-1,234.5' -> -123450 (exact: decimal text to minor units)."""
    text = text.strip().replace(",", "")
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    if len(frac) > 2:
        raise ValueError("more than 2 decimals: %r" % text)
    return sign * (int(whole or "0") * 100 + int((frac + "00")[:2]))


def run(argv, out_path=None):
    """Runs argv; returns (seconds, stdout). Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit("peers: %s exited %d:\n%s" % (" ".join(argv), done.returncode,
                                                       done.stderr.decode(errors="replace")))
    if out_path:
        with open(out_path, "wb") as out:
            out.write(done.stdout)
    return seconds, done.stdout.decode()


def upkeep_totals(csv_text):
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    total = rows[-1]
    return minor(total["budget"]), minor(total["actual"]), len(rows) - 1


def time_upkeep(binary, data, facts):
    book = os.path.join(data, "book.db")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(book + suffix):
            os.remove(book + suffix)
    steps = {}
    steps["init"], _ = run([binary, "init", "--policy", os.path.join(data, "policy.json"),
                            "--book", book, "--categories", "fee=100"])
    steps["import customers"], _ = run([binary, "import", "customers",
                                        os.path.join(data, "customers.csv"), "--book", book,
                                        "--quiet"])
    steps["allocate"], _ = run([binary, "allocate", "--book", book, "--period", PERIOD,
                                "--pool", facts["pool"]])
    steps["import spend"], _ = run([binary, "import", "spend", os.path.join(data, "spend.csv"),
                                    "--book", book, "--quiet"])
    report = [binary, "report", "budget", "--book", book, "--period", PERIOD, "--as-of",
              "2026-12-31", "--by", "customer"]
    steps["report budget"], _ = run(report, os.path.join(data, "upkeep-report.txt"))
    _, csv_text = run(report + ["--format", "csv"])
    budget, actual, groups = upkeep_totals(csv_text)
    if groups != facts["customers"]:
        raise SystemExit("peers: upkeep reported %d customers, not %d" %
                         (groups, facts["customers"]))
    return steps, budget, actual


HLEDGER_PAIR = re.compile(r"(-?[\d,.]+) \[\s*-?\d+% of\s+(-?[\d,.]+)\]")


def time_hledger(data):
    seconds, text = run(["hledger", "-f", os.path.join(data, "budget.journal"), "balance",
                         "--budget", "-M", "-T", "-b", BEGIN, "-e", END, "expenses"],
                        os.path.join(data, "hledger-report.txt"))
    actual, budget = HLEDGER_PAIR.findall(text.rstrip().splitlines()[-1])[-1]
    return seconds, minor(budget), minor(actual)


def ledger_expenses(text):
    """The (actual, budget) columns of the `expenses` line of a ledger budget report."""
    for line in text.splitlines():
        cells = line.split()
        if len(cells) == 5 and cells[4] == "expenses":
            return minor(cells[0]), minor(cells[1])
    raise SystemExit("peers: no expenses line in ledger's budget report")


def time_ledger(data):
    journal = os.path.join(data, "budget.journal")
    common = ["ledger", "-f", journal, "budget", "-b", BEGIN.replace("-", "/"), "-e",
              END.replace("-", "/"), "expenses"]
    monthly_seconds, monthly = run(common + ["--monthly"], os.path.join(data, "ledger-monthly.txt"))
    year_seconds, year = run(common, os.path.join(data, "ledger-year.txt"))
    actual, budget = ledger_expenses(year)
    monthly_difference, _ = ledger_expenses(monthly)
    return monthly_seconds, year_seconds, budget, actual, monthly_difference


def check(name, got, want):
    if got != want:
        raise SystemExit("peers: %s: %s, the data set says %s" % (name, gen.money(got) if
                                                                 isinstance(got, int) else got,
                                                                 gen.money(want)))


def measure(args, spends):
    data = os.path.join(args.work, "%d" % spends)
    subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), data, "--customers",
                    str(args.customers), "--spends", str(spends), "--seed", str(args.seed)],
                   check=True)
    with open(os.path.join(data, "facts.json"), encoding="utf-8") as f:
        facts = json.load(f)
    want_budget, want_actual = facts["budget_minor"], facts["actual_minor"]
    row = {"spends": spends}
    steps, budget, actual = time_upkeep(args.upkeep, data, facts)
    check("upkeep total budget", budget, want_budget)
    check("upkeep total actual", actual, want_actual)
    row["upkeep_steps"] = steps
    row["upkeep"] = steps["import spend"] + steps["report budget"]
    row["upkeep_all"] = sum(steps.values())
    if shutil.which("hledger"):
        row["hledger"], budget, actual = time_hledger(data)
        check("hledger total budget", budget, want_budget)
        check("hledger total actual", actual, want_actual)
    if shutil.which("ledger"):
        row["ledger"], row["ledger_year"], budget, actual, difference = time_ledger(data)
        check("ledger total budget", budget, want_budget)
        check("ledger total actual", actual, want_actual)
        check("ledger --monthly actual - budget", difference, want_actual - want_budget)
    row["budget"], row["actual"] = gen.money(want_budget), gen.money(want_actual)
    return row


def seconds(value):
    return "%.2f s" % value if value is not None else "-"


def print_table(rows):
    print("\n| spends | upkeep import spend + report | upkeep, all steps | hledger --budget -M "
          "| ledger budget --monthly | fastest peer / upkeep | totals agree (budget, actual) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        peers = [row[name] for name in ("hledger", "ledger") if name in row]
        fastest = min(peers) if peers else None
        ratio = "%.1fx" % (fastest / row["upkeep"]) if fastest else "-"
        print("| {:,} | {} | {} | {} | {} | {} | {} CNY, {} CNY |".format(
            row["spends"], seconds(row["upkeep"]), seconds(row["upkeep_all"]),
            seconds(row.get("hledger")), seconds(row.get("ledger")), ratio, row["budget"],
            row["actual"]))
    print("\nupkeep by step (s): " + "; ".join(
        "{:,}: ".format(row["spends"]) + ", ".join("%s %.2f" % kv
                                                  for kv in row["upkeep_steps"].items())
        for row in rows))
    if any("ledger_year" in row for row in rows):
        print("ledger budget (the year, no --monthly) (s): " + ", ".join(
            "{:,}: {:.2f}".format(row["spends"], row["ledger_year"]) for row in rows
            if "ledger_year" in row))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upkeep", required=True, help="the upkeep binary")
    parser.add_argument("--sizes", default="100000,1000000", help="spends, comma-separated")
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", default=os.path.join(os.getcwd(), "peers-work"))
    parser.add_argument("--require-peers", action="store_true",
                        help="fail when hledger or ledger is not installed")
    args = parser.parse_args()
    missing = [tool for tool in ("hledger", "ledger") if not shutil.which(tool)]
    if missing and args.require_peers:
        raise SystemExit("peers: not installed: " + ", ".join(missing))
    for tool in missing:
        print("peers: %s is not installed; left out" % tool)
    rows = []
    for spends in (int(size) for size in args.sizes.split(",")):
        rows.append(measure(args, spends))
        print("peers: %s spends: all totals agree" % "{:,}".format(spends), flush=True)
    print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print_table(rows)


if __name__ == "__main__":
    main()

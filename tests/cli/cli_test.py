#!/usr/bin/python3
"""Command tests for the `upkeep` program (stdlib only).

Run by CTest (tests/cli/CMakeLists.txt) with the environment:
  UPKEEP         the upkeep binary
  UPKEEP_SOURCE  the source tree (examples/)
  UPKEEP_WORK    a scratch folder for files the tests write
    /usr/bin/python3 tests/cli/cli_test.py PlanTest
"""

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import unicodedata
import unittest
from decimal import Decimal

UPKEEP = os.environ.get("UPKEEP", "upkeep")
SOURCE = os.environ.get("UPKEEP_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.environ.get("UPKEEP_WORK", "/tmp/upkeep_cli_test")
EXAMPLES = os.path.join(SOURCE, "examples")
POLICY = os.path.join(EXAMPLES, "policy.json")
PORTFOLIO = os.path.join(EXAMPLES, "data", "portfolio.csv")
PLAN = ["--policy", POLICY, "--portfolio", PORTFOLIO]

# Exit codes, docs/cli.md.
OK, USAGE, BAD_INPUT, DENIED, NOT_FOUND, CONFLICT, UNAVAILABLE = 0, 2, 3, 4, 5, 6, 7


def run(*args, stdin=None):
    return subprocess.run([UPKEEP, *args], capture_output=True, text=True, input=stdin,
                          timeout=60, cwd=WORK)


def write(name, text, encoding="utf-8"):
    path = os.path.join(WORK, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode(encoding))
    return path


class CliCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(WORK, exist_ok=True)

    def assertFails(self, result, code, name, *fragments):
        """One line on stderr, 'upkeep: error: <name>: ...' naming the fragments; nothing out."""
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith(f"upkeep: error: {name}: "), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def assertOk(self, result):
        self.assertEqual(result.returncode, OK, result.stderr)
        self.assertEqual(result.stderr, "")
        return result.stdout


class DemoBookCase(CliCase):
    """A book that `upkeep demo` wrote, in cls.book, with its JSON summary in cls.demo."""
    book_name = "demo.db"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.book = os.path.join(WORK, cls.book_name)
        cls.dashboard = os.path.join(WORK, cls.book_name.replace(".db", ".html"))
        result = run("demo", "--book", cls.book, "--replace", "--dashboard", cls.dashboard,
                     "--format", "json")
        assert result.returncode == 0, result.stderr
        cls.demo = json.loads(result.stdout)


class UsageTest(CliCase):
    def test_no_command_is_a_usage_error(self):
        self.assertFails(run(), USAGE, "usage")

    def test_unknown_flag(self):
        self.assertFails(run("allocate", *PLAN, "--bogus"), USAGE, "usage", "--bogus")

    def test_unknown_command(self):
        self.assertFails(run("frobnicate"), USAGE, "usage", "frobnicate")

    def test_missing_required_option(self):
        self.assertFails(run("allocate", "--policy", POLICY), USAGE, "usage", "--portfolio")

    def test_bad_format(self):
        self.assertFails(run("allocate", *PLAN, "--format", "xml"), USAGE, "usage", "xml")

    def test_help_everywhere_with_examples(self):
        top = self.assertOk(run("--help"))
        self.assertIn("Exit codes", top)
        for command in (["init"], ["import", "customers"], ["import", "metrics"],
                        ["import", "spend"], ["reserve"], ["spend"], ["check"], ["post"],
                        ["void"], ["refund"], ["transfer"], ["approve"], ["reject"],
                        ["approvals"], ["alerts"], ["forecast"], ["close"],
                        ["report", "budget"], ["report", "utilization"], ["report", "alerts"],
                        ["report", "dashboard"], ["report", "effectiveness"],
                        ["import", "feedback"], ["effectiveness"], ["propose"],
                        ["policy", "check"], ["policy", "show"],
                        ["policy", "set"],
                        ["classify"], ["size"], ["allocate"], ["demo"], ["status"], ["verify"]):
            with self.subTest(command=command):
                out = self.assertOk(run(*command, "--help"))
                self.assertIn("Example", out)
                self.assertIn("upkeep " + command[0], out)


class PolicyTest(CliCase):
    def test_check_valid(self):
        self.assertEqual(self.assertOk(run("policy", "check", POLICY)),
                         f"ok: {POLICY} is a valid policy document\n")

    def test_check_json_summary(self):
        summary = json.loads(self.assertOk(run("policy", "check", POLICY, "--format", "json")))
        self.assertEqual(summary["valid"], "true")
        self.assertEqual(summary["currency"], "CNY")

    def test_show_csv(self):
        rows = dict(csv.reader(io.StringIO(self.assertOk(run("policy", "show", POLICY, "--format",
                                                             "csv")))))
        self.assertEqual(rows["currency"], "CNY")
        self.assertEqual(rows["allocation"], "pipeline")

    def test_check_malformed_json(self):
        path = write("bad/syntax.json", '{"upkeep_policy": 1, ')
        self.assertFails(run("policy", "check", path), BAD_INPUT, "policy_invalid", path,
                         "JSON syntax error")

    def test_check_names_the_json_path(self):
        with open(POLICY, encoding="utf-8") as f:
            document = json.load(f)
        document["allocation"]["steps"][1]["customer_cap_pct_of_revenue"] = 300
        path = write("bad/cap.json", json.dumps(document))
        self.assertFails(run("policy", "check", path), BAD_INPUT, "policy_invalid",
                         "/allocation/steps/1/customer_cap_pct_of_revenue")

    def test_check_unknown_key(self):
        with open(POLICY, encoding="utf-8") as f:
            document = json.load(f)
        document["colour"] = "blue"
        path = write("bad/key.json", json.dumps(document))
        self.assertFails(run("policy", "check", path), BAD_INPUT, "policy_invalid", "colour")

    def test_check_missing_file(self):
        self.assertFails(run("policy", "check", "/nonexistent/p.json"), UNAVAILABLE, "io",
                         "/nonexistent/p.json")

    def test_show_table(self):
        out = self.assertOk(run("policy", "show", POLICY))
        self.assertIn("currency: CNY\n", out)
        self.assertIn("tiers: strategic, key, growth, basic\n", out)
        self.assertIn("classifier: abc\n", out)

    def test_show_json_is_the_document(self):
        shown = json.loads(self.assertOk(run("policy", "show", POLICY, "--format", "json")))
        with open(POLICY, encoding="utf-8") as f:
            self.assertEqual(shown, json.load(f))


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cents(text):
    return int(Decimal(text) * 100)


class PlanTest(CliCase):
    def test_allocate_table(self):
        out = self.assertOk(run("allocate", *PLAN, "--top", "3"))
        self.assertIn("pool: 10566460.00\n", out)
        self.assertIn("Allocation by tier (CNY)", out)
        self.assertIn("Largest envelopes", out)
        tiers = out.split("Allocation by tier (CNY)\n")[1].split("\n\n")[0].splitlines()
        self.assertEqual(tiers[0].split()[:3], ["tier", "customers", "amount"])
        self.assertEqual([row.split()[0] for row in tiers[2:]],
                         ["strategic", "key", "growth", "basic"])
        self.assertTrue(all(len(row) == len(tiers[0]) for row in tiers[1:]), tiers)
        largest = out.split("Largest envelopes\n")[1].splitlines()
        self.assertEqual(len(largest), 2 + 3)
        self.assertIn("by step", largest[2])  # the reason

    def test_table_aligns_chinese_names(self):
        out = self.assertOk(run("allocate", *PLAN, "--top", "20"))
        rows = out.split("Largest envelopes\n")[1].splitlines()[2:]
        # The amount column is right-aligned: it ends at the same display column in every row.
        ends = set()
        for row in rows:
            cells = [c for c in row.split("  ") if c]
            amount = cells[3].strip()
            ends.add(display_width(row[:row.index(amount) + len(amount)]))
        self.assertEqual(len(ends), 1, rows)

    def test_allocate_json_adds_up(self):
        result = json.loads(self.assertOk(run("allocate", *PLAN, "--format", "json")))
        total = sum(cents(t["amount"]) for t in result["tiers"])
        total += cents(result["reserve"]) + cents(result["unallocated"])
        self.assertEqual(total, cents(result["pool"]))
        self.assertEqual(sum(t["customers"] for t in result["tiers"]), 2000)
        self.assertEqual(len(result["customers"]), 10)
        amounts = [cents(c["amount"]) for c in result["customers"]]
        self.assertEqual(amounts, sorted(amounts, reverse=True))

    def test_allocate_csv_every_customer(self):
        out = self.assertOk(run("allocate", *PLAN, "--format", "csv", "--top", "0"))
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(len(rows), 2000)
        self.assertEqual(len({r["customer_id"] for r in rows}), 2000)
        result = json.loads(self.assertOk(run("allocate", *PLAN, "--format", "json")))
        self.assertEqual(sum(cents(r["amount"]) for r in rows),
                         cents(result["pool"]) - cents(result["reserve"]) -
                         cents(result["unallocated"]))

    def test_allocate_tiers_csv(self):
        out = self.assertOk(run("allocate", *PLAN, "--format", "csv", "--tiers"))
        rows = list(csv.reader(io.StringIO(out)))
        self.assertEqual(rows[0], ["tier", "customers", "amount", "share %", "smallest",
                                   "largest"])
        self.assertEqual([r[0] for r in rows[1:]], ["strategic", "key", "growth", "basic"])

    def test_classify(self):
        result = json.loads(self.assertOk(run("classify", *PLAN, "--format", "json", "--top", "5")))
        self.assertEqual(sum(t["customers"] for t in result["tiers"]), 2000)
        self.assertEqual(len(result["customers"]), 5)
        self.assertEqual([c["tier"] for c in result["customers"]], ["strategic"] * 5)
        self.assertIn("abc", result["rule"])

    def test_size_terms_add_up(self):
        result = json.loads(self.assertOk(run("size", *PLAN, "--format", "json")))
        terms = result["terms"]
        self.assertEqual(terms[-1]["term"], "pool")
        self.assertEqual(sum(cents(t["amount"]) for t in terms[:-1]), cents(result["pool"]))
        self.assertEqual(result["pool"], "10566460.00")

    def test_same_output_twice(self):
        self.assertEqual(run("allocate", *PLAN).stdout, run("allocate", *PLAN).stdout)


HEADER = ("customer_id,name,owner,region,industry,revenue,gross_margin,growth,tenure_months,"
          "order_count,recency_days,satisfaction,churn_risk\n")
ROW = "C{0},Customer {0},am-01,华东,food,{1},1000.00,0.1,12,3,10,8.0,0.1\n"


class BadInputTest(CliCase):
    def allocate(self, name, text):
        return run("allocate", "--policy", POLICY, "--portfolio", write(name, text))

    def test_wrong_columns(self):
        self.assertFails(self.allocate("p/nocol.csv", "id,name\n1,x\n"), BAD_INPUT,
                         "invalid_argument", "p/nocol.csv:1", "customer_id")

    def test_bad_amount(self):
        text = HEADER + ROW.format(1, "5000.00") + ROW.format(2, "12.345")
        self.assertFails(self.allocate("p/amount.csv", text), BAD_INPUT, "precision",
                         "p/amount.csv:3", "revenue", "3 fraction digits")

    def test_not_a_number(self):
        text = HEADER + ROW.format(1, "lots")
        self.assertFails(self.allocate("p/nan.csv", text), BAD_INPUT, "parse", ":2", "revenue")

    def test_duplicate_ids(self):
        text = HEADER + ROW.format(1, "5000.00") + ROW.format(1, "6000.00")
        self.assertFails(self.allocate("p/dup.csv", text), CONFLICT, "already_exists",
                         "p/dup.csv:3", "duplicate")

    def test_invalid_utf8(self):
        text = HEADER.encode() + ROW.format(1, "5000.00").replace("Customer", "\udcff").encode(
            "utf-8", "surrogateescape")
        self.assertFails(self.allocate("p/utf8.csv", text), BAD_INPUT, "invalid_utf8", ":2")

    def test_policy_that_is_not_json(self):
        self.assertFails(run("allocate", "--policy", PORTFOLIO, "--portfolio", PORTFOLIO),
                         BAD_INPUT, "policy_invalid")


class DemoTest(CliCase):
    def examples_copy(self, name, spend_text):
        """A copy of examples/ whose spend.csv is `spend_text`."""
        folder = os.path.join(WORK, name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, "data"))
        for file in ("policy.json", "control.json", "data/portfolio.csv"):
            shutil.copy(os.path.join(EXAMPLES, file), os.path.join(folder, file))
        write(os.path.join(name, "data", "spend.csv"), spend_text)
        return folder

    def test_demo_end_to_end(self):
        book = os.path.join(WORK, "demo.db")
        if os.path.exists(book):
            os.remove(book)
        out = self.assertOk(run("demo", "--book", book))
        self.assertTrue(os.path.getsize(book) > 0)
        self.assertRegex(out, r"journal: \d+ entries, hash chain verified\n")
        for title in ("Spend requests by month", "Budget vs actual by tier",
                      "Budget vs actual by category", "Over budget", "Valuable customers"):
            self.assertIn(title, out)
        # A second demo does not overwrite the book unless asked to.
        before = os.path.getmtime(book)
        self.assertFails(run("demo", "--book", book), CONFLICT, "already_exists", "--replace")
        self.assertEqual(os.path.getmtime(book), before)
        summary = json.loads(self.assertOk(run("demo", "--book", book, "--replace",
                                               "--format", "json")))
        months = summary["months"]
        self.assertEqual([m["month"] for m in months][-1], "year")
        year = months[-1]
        with open(os.path.join(EXAMPLES, "data", "spend.csv"), encoding="utf-8") as f:
            self.assertEqual(year["requests"], sum(1 for _ in f) - 1)
        self.assertEqual(year["requests"], sum(m["requests"] for m in months[:-1]))
        self.assertEqual(year["requests"], year["approved"] + year["warned"] +
                         year["needs approval"] + year["rejected"])
        self.assertEqual(year["needs approval"], year["manager ok"] + year["manager no"])
        for outcome in ("approved", "warned", "needs approval", "rejected"):
            self.assertGreater(year[outcome], 0, outcome)
        # Seasonality: January asks for more than August.
        self.assertGreater(months[0]["requests"], months[7]["requests"])
        # The budgets are the allocation: pool - reserve; spent as counted by month.
        tiers = summary["tiers"]
        self.assertEqual(sum(cents(t["budget"]) for t in tiers),
                         cents(summary["pool"]) - cents(summary["reserve held back"]))
        self.assertEqual(sum(cents(t["spent"]) for t in tiers), cents(year["spent"]))
        self.assertEqual(sum(cents(c["spent"]) for c in summary["categories"]),
                         cents(year["spent"]))
        self.assertGreater(len(summary["neglected"]), 0)
        # The feedback step: effectiveness by tier, the proposal, the next allocation by tier.
        with open(os.path.join(EXAMPLES, "data", "feedback.csv"), encoding="utf-8") as f:
            self.assertEqual(summary["feedback records"], str(sum(1 for _ in f) - 1))
        groups = summary["groups"]
        self.assertEqual(groups[-1]["tier"], "total")
        self.assertEqual(groups[-1]["customers"], 2000)
        self.assertGreater(cents(groups[-1]["spent"]), 0)
        self.assertEqual(cents(groups[-1]["spent"]), cents(year["spent"]))
        self.assertRegex(summary["feedback proposal"], r"^\d+ customers changed, \d+ tier moves")
        self.assertTrue(all(c["reasons"] for c in summary["changes"]))
        next_tiers = summary["next_tiers"]
        self.assertEqual(sum(t["customers next"] for t in next_tiers), 2000)
        self.assertEqual(sum(cents(t["amount now"]) for t in next_tiers),
                         sum(cents(t["budget"]) for t in tiers))
        self.assertEqual(sum(cents(t["amount next"]) for t in next_tiers),
                         cents(summary["next allocated"]))
        self.assertEqual(cents(summary["next allocated"]) + cents(summary["next unallocated"]) +
                         cents(summary["next reserve"]), cents(summary["next pool"]))
        with sqlite3.connect(book) as db:
            (kept,) = db.execute("SELECT count(*) FROM feedback").fetchone()
        db.close()
        self.assertEqual(str(kept), summary["feedback records"])
        # The demo keeps its proposal as a draft, with the metrics of its plan: finance takes it
        # from there, and the plan "now" is the year's budgets.
        draft = json.loads(self.assertOk(run("propose", "--book", book, "--period", "FY2026",
                                             "--format", "json")))
        self.assertEqual(draft["state"], "draft")
        self.assertEqual(cents(draft["allocated now"]), sum(cents(t["budget"]) for t in tiers))
        self.assertEqual(draft["allocated next"], summary["next allocated"])
        self.assertOk(run("propose", "--book", book, "--period", "FY2026", "--approve", "--actor",
                          "finance"))
        applied = self.assertOk(run("propose", "--book", book, "--period", "FY2026", "--apply",
                                    "--actor", "finance"))
        self.assertIn("applied to: FY2027", applied)

    def test_demo_in_memory(self):
        out = self.assertOk(run("demo", "--book", "memory:", "--format", "csv"))
        self.assertIn("month,requests,approved", out)

    def test_demo_unknown_customer(self):
        folder = self.examples_copy("unknown", "request_id,date,customer_id,category,kind,"
                                    "amount,actual_amount\nS1,2026-01-05,C99999,gift,spend,"
                                    "100.00,100.00\n")
        self.assertFails(run("demo", "--book", "memory:", "--examples", folder), NOT_FOUND,
                         "not_found", "C99999")

    def test_demo_bad_spend_rows(self):
        header = "request_id,date,customer_id,category,kind,amount,actual_amount\n"
        cases = {
            "S1,2026-01-05,C00001,gift,spend,1.001,1.00\n": ("precision", "spend.csv:2", "amount"),
            "S1,2026-13-05,C00001,gift,spend,1.00,1.00\n": ("parse", "spend.csv:2", "date"),
            "S1,2026-01-05,C00001,gift,lend,1.00,1.00\n": ("parse", "spend.csv:2", "kind"),
            "S1,2026-01-05,C00001,gift,spend,-5.00,1.00\n": ("invalid_argument", "amount"),
            "S1,2026-01-05,C00001,gift,spend,1.00\n": ("parse", "spend.csv:2", "fields"),
        }
        for row, (name, *fragments) in cases.items():
            with self.subTest(row=row):
                folder = self.examples_copy("badspend", header + row)
                self.assertFails(run("demo", "--book", "memory:", "--examples", folder),
                                 BAD_INPUT, name, *fragments)
        folder = self.examples_copy("dupspend", header + "S1,2026-01-05,C00001,gift,spend,1.00,"
                                    "1.00\nS1,2026-01-06,C00001,gift,spend,1.00,1.00\n")
        self.assertFails(run("demo", "--book", "memory:", "--examples", folder), CONFLICT,
                         "already_exists", "spend.csv:3", "duplicate")
        folder = self.examples_copy("colspend", "request_id,date\nS1,2026-01-05\n")
        self.assertFails(run("demo", "--book", "memory:", "--examples", folder), BAD_INPUT,
                         "parse", "missing column customer_id")


def policy_document(**changes):
    """examples/policy.json as a dict, with top-level `changes`."""
    with open(POLICY, encoding="utf-8") as f:
        document = json.load(f)
    document.update(changes)
    return document


def fresh(name):
    """A path in WORK for a book that does not exist yet."""
    path = os.path.join(WORK, name)
    for suffix in ("", "-wal", "-shm", "-lock"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


class InitTest(CliCase):
    """init, policy set and policy show over a book."""

    def test_init_creates_a_book_with_the_policy(self):
        book = fresh("init.db")
        out = self.assertOk(run("init", "--policy", POLICY, "--book", book))
        self.assertIn(f"book: {book}\n", out)
        self.assertIn("policy: version 1, Sample company", out)
        self.assertIn("tiers: strategic, key, growth, basic\n", out)
        self.assertIn("categories: visit 20 %, gift 20 %", out)
        self.assertTrue(os.path.exists(book))
        self.assertRegex(self.assertOk(run("verify", "--book", book)), r"^ok: ")
        shown = json.loads(self.assertOk(run("policy", "show", "--book", book, "--format",
                                             "json")))
        self.assertEqual(shown, policy_document())
        table = self.assertOk(run("policy", "show", "--book", book))
        self.assertIn(f"book: {book}, policy version 1\n", table)
        self.assertIn("classifier: abc\n", table)

    def test_init_makes_a_book_of_16_kib_pages(self):
        # Larger pages than SQLite's default for a book written in bulk (docs/store.md).
        book = fresh("init-pages.db")
        self.assertOk(run("init", "--policy", POLICY, "--book", book))
        with sqlite3.connect(book) as db:
            self.assertEqual(db.execute("PRAGMA page_size").fetchone()[0], 16384)

    def test_init_in_the_current_folder_by_default(self):
        folder = os.path.join(WORK, "cwd")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        result = subprocess.run([UPKEEP, "init", "--policy", POLICY, "--format", "json"],
                                capture_output=True, text=True, cwd=folder, timeout=60)
        self.assertEqual(result.returncode, OK, result.stderr)
        self.assertEqual(json.loads(result.stdout)["book"], "upkeep.db")
        self.assertTrue(os.path.exists(os.path.join(folder, "upkeep.db")))

    def test_init_never_overwrites(self):
        book = fresh("init-twice.db")
        self.assertOk(run("init", "--policy", POLICY, "--book", book))
        before = os.path.getmtime(book)
        self.assertFails(run("init", "--policy", POLICY, "--book", book), CONFLICT,
                         "already_exists", book)
        self.assertEqual(os.path.getmtime(book), before)

    def test_init_with_bad_input_leaves_no_book(self):
        bad_policy = write("init/bad.json", json.dumps(policy_document(tiers=[])))
        cases = [
            (["--policy", bad_policy], "policy_invalid", "/tiers"),
            (["--policy", POLICY, "--currency", "USD"], "currency_mismatch", "USD"),
            (["--policy", POLICY, "--currency", "XXZ"], "unknown_currency", "XXZ"),
            (["--policy", POLICY, "--categories", "visit=50,gift=40"], "invalid_argument",
             "add up to 90 %"),
            (["--policy", POLICY, "--categories", "visit=50,visit=50"], "invalid_argument",
             "twice"),
            (["--policy", POLICY, "--categories", "visit"], "parse", "name=percent"),
            (["--policy", POLICY, "--fiscal-year-start", "13"], "invalid_argument", "1..12"),
        ]
        for args, name, fragment in cases:
            with self.subTest(args=args):
                book = fresh("init-bad.db")
                self.assertFails(run("init", "--book", book, *args), BAD_INPUT, name, fragment)
                self.assertFalse(os.path.exists(book))
        self.assertFails(run("init", "--book", fresh("init-bad.db"), "--policy",
                             "/nonexistent.json"), UNAVAILABLE, "io", "/nonexistent.json")

    def test_policy_set_records_versions(self):
        book = fresh("versions.db")
        self.assertOk(run("init", "--policy", POLICY, "--book", book))
        same = json.loads(self.assertOk(run("policy", "set", POLICY, "--book", book,
                                            "--format", "json")))
        self.assertEqual(same["version"], "1 (unchanged)")
        renamed = policy_document(name="Second version")
        renamed["control"]["limits"][0]["per_request_max"] = "1500.00"
        path = write("versions/v2.json", json.dumps(renamed, ensure_ascii=False))
        out = self.assertOk(run("policy", "set", path, "--book", book))
        self.assertIn("version: 2 (new)\n", out)
        self.assertIn("name: Second version\n", out)
        latest = json.loads(self.assertOk(run("policy", "show", "--book", book, "--format",
                                              "json")))
        self.assertEqual(latest["control"]["limits"][0]["per_request_max"], "1500.00")
        first = json.loads(self.assertOk(run("policy", "show", "--book", book, "--version", "1",
                                             "--format", "json")))
        self.assertEqual(first, policy_document())
        self.assertFails(run("policy", "show", "--book", book, "--version", "3"), NOT_FOUND,
                         "not_found", "no policy version 3")

    def test_policy_set_rejects_bad_documents_and_changes_nothing(self):
        book = fresh("set-bad.db")
        self.assertOk(run("init", "--policy", POLICY, "--book", book))
        journal = self.assertOk(run("verify", "--book", book))
        document = policy_document()
        document["control"]["availability"][0]["mode"] = "sometimes"
        bad = write("set/bad-mode.json", json.dumps(document))
        self.assertFails(run("policy", "set", bad, "--book", book), BAD_INPUT, "policy_invalid",
                         "/control/availability/0/mode")
        yen = write("set/yen.json", json.dumps(policy_document(currency="JPY")))
        result = run("policy", "set", yen, "--book", book)
        self.assertEqual(result.returncode, BAD_INPUT, result.stderr)
        self.assertIn("currency_mismatch", result.stderr)
        self.assertEqual(self.assertOk(run("verify", "--book", book)), journal)
        shown = self.assertOk(run("policy", "show", "--book", book))
        self.assertIn("policy version 1\n", shown)

    def test_book_commands_need_a_book(self):
        missing = fresh("missing.db")
        self.assertFails(run("policy", "show", "--book", missing), NOT_FOUND, "not_found",
                         "no such book")
        self.assertFails(run("policy", "set", POLICY, "--book", missing), NOT_FOUND, "not_found")
        self.assertFalse(os.path.exists(missing))


SPEND_HEADER = "request_id,date,customer_id,category,kind,amount,actual_amount\n"


def journal_entries(book):
    out = run("verify", "--book", book)
    assert out.returncode == 0, out.stderr
    return int(out.stdout.split(": ")[2].split()[0])


def read_rejects(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class BookCase(CliCase):
    """A book made by the commands: init, customers and metrics imported, FY2026 allocated."""

    @classmethod
    def make_book(cls, name):
        book = fresh(name)
        for args in (["init", "--policy", POLICY],
                     ["import", "customers", PORTFOLIO, "--quiet"],
                     ["import", "metrics", PORTFOLIO, "--period", "FY2025", "--quiet"],
                     ["allocate", "--period", "FY2026", "--metrics", "FY2025", "--date",
                      "2026-01-01"]):
            result = run(*args, "--book", book)
            assert result.returncode == 0, (args, result.stderr)
        return book

    def importing(self, kind, name, text, *args):
        path = write(os.path.join("import", name), text)
        return run("import", kind, path, "--book", self.book, *args), path

    def assertImport(self, result, code, **counts):
        """The summary's counts (JSON); exit `code`, and a stderr line when rows were bad."""
        self.assertEqual(result.returncode, code, result.stderr)
        summary = json.loads(result.stdout)
        for key, value in counts.items():
            self.assertEqual(summary[key.replace("_", " ")], str(value), key)
        if code == OK:
            self.assertEqual(result.stderr, "")
        else:
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertRegex(lines[0], r"^upkeep: error: invalid_argument: \d+ of \d+ rows of .* "
                                       r"are bad and were left out; see .*\.csv$")
        return summary


class ImportTest(BookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.book = cls.make_book("import.db")

    def test_customers_again_changes_nothing(self):
        before = journal_entries(self.book)
        result = run("import", "customers", PORTFOLIO, "--book", self.book, "--quiet",
                     "--format", "json", "--rejects", os.path.join(WORK, "none.csv"))
        self.assertImport(result, OK, rows=2000, imported=0, already_in_the_book=2000,
                          rejected=0)
        self.assertEqual(journal_entries(self.book), before)
        self.assertFalse(os.path.exists(os.path.join(WORK, "none.csv")))

    def test_bad_customer_rows_are_listed_with_their_lines(self):
        text = ("customer_id,name,owner,region,tier,revenue\n"
                "N001,New one,am-new,华东,key,100.00\n"        # 2 fine, a new owner
                "N002,Bad amount,am-new,华东,key,12.345\n"     # 3 precision
                "N001,Twice,am-new,华东,key,1.00\n"            # 4 duplicate id
                "N003,Bad tier,am-new,华东,platinum,1.00\n"    # 5 unknown tier
                "N004,Short,am-new\n"                          # 6 wrong field count
                "C00001,Moved,am-01,华东,basic,1.00\n"         # 7 in the book with another tier
                ).encode() + "N005,\udcff,am-new,华东,key,1.00\n".encode("utf-8", "surrogateescape")
        result, path = self.importing("customers", "customers.csv", text, "--format", "json",
                                      "--quiet")
        summary = self.assertImport(result, BAD_INPUT, rows=7, imported=1, rejected=6)
        self.assertEqual(summary["tiers"], "the file's tier column")
        self.assertEqual(summary["account managers added"], "1")
        rejects = read_rejects(path.replace(".csv", ".rejects.csv"))
        self.assertEqual([(r["line"], r["code"]) for r in rejects],
                         [("3", "precision"), ("4", "already_exists"), ("5", "not_found"),
                          ("6", "invalid_argument"), ("7", "already_exists"),
                          ("8", "invalid_utf8")])
        self.assertIn("customers.csv:3: revenue:", rejects[0]["reason"])
        self.assertIn("first on line 2", rejects[1]["reason"])
        self.assertIn("platinum", rejects[2]["reason"])
        self.assertIn("already as tier", rejects[4]["reason"])
        # Again: the good row is in the book, the bad ones are still bad.
        result, _ = self.importing("customers", "customers.csv", text, "--format", "json",
                                   "--quiet")
        self.assertImport(result, BAD_INPUT, imported=0, already_in_the_book=1, rejected=6)

    def test_wrong_columns_fail_the_whole_file(self):
        before = journal_entries(self.book)
        result, _ = self.importing("customers", "nocol.csv", "id,name\n1,x\n", "--quiet")
        self.assertFails(result, BAD_INPUT, "invalid_argument", "nocol.csv:1", "customer_id")
        result, _ = self.importing("metrics", "nometric.csv", "customer_id,name\nC00001,x\n",
                                   "--period", "FY2025")
        self.assertFails(result, BAD_INPUT, "invalid_argument", "no metric columns")
        result, _ = self.importing("spend", "nospend.csv", "request_id,date\nS1,2026-01-05\n")
        self.assertFails(result, BAD_INPUT, "parse", "missing column customer_id")
        self.assertEqual(journal_entries(self.book), before)

    def test_missing_file(self):
        with open(self.book, "rb") as f:
            before = f.read()
        self.assertFails(run("import", "spend", "/nonexistent.csv", "--book", self.book), 7,
                         "io", "/nonexistent.csv")
        self.assertFails(run("import", "spend", WORK, "--book", self.book), 7, "io", WORK)
        with open(self.book, "rb") as f:  # the book was not even opened
            self.assertEqual(f.read(), before)

    def test_metrics_merge_and_reject_unknown_customers(self):
        text = ("customer_id,revenue,metric:visits\n"
                "C00001,100.00,3\n"
                "C99999,5.00,1\n"      # unknown customer
                "C00002,1.001,2\n")    # precision
        result, path = self.importing("metrics", "m.csv", text, "--period", "FY2024",
                                      "--format", "json", "--quiet")
        summary = self.assertImport(result, BAD_INPUT, rows=3, imported=1, rejected=2)
        self.assertEqual(summary["metrics"], "revenue, metric:visits")
        self.assertEqual([(r["line"], r["code"]) for r in read_rejects(
            path.replace(".csv", ".rejects.csv"))], [("3", "not_found"), ("4", "precision")])
        result, _ = self.importing("metrics", "m.csv", text, "--period", "FY2024", "--format",
                                   "json", "--quiet")
        self.assertImport(result, BAD_INPUT, imported=0, already_in_the_book=1)
        self.assertFails(run("import", "metrics", path, "--book", self.book), USAGE, "usage",
                         "--period")

    def test_spend_rows_good_bad_and_denied(self):
        text = (SPEND_HEADER +
                "T001,2026-02-03,C00001,visit,spend,100.00,100.00\n"       # 2 approved
                "T002,2026-02-04,C00001,visit,reserve,200.00,150.00\n"     # 3 reserved, posted
                "T003,2026-02-05,C99999,visit,spend,1.00,1.00\n"           # 4 unknown customer
                "T004,2026-02-05,C00001,visit,spend,1.001,1.00\n"          # 5 precision
                "T001,2026-02-06,C00001,visit,spend,1.00,1.00\n"           # 6 duplicate id
                "T005,2026-02-06,C00001,visit,spend\n"                     # 7 wrong field count
                "T006,2027-02-06,C00001,visit,spend,1.00,1.00\n"           # 8 no period
                "T007,2026-02-07,C00001,visit,spend,99999999.00,1.00\n"    # 9 denied
                ).encode() + "T008,2026-02-08,C00001,vi\udcfft,spend,1.00,1.00\n".encode(
                    "utf-8", "surrogateescape")                          # 10 invalid UTF-8
        result, path = self.importing("spend", "spend.csv", text, "--format", "json", "--quiet")
        summary = self.assertImport(result, BAD_INPUT, rows=9, imported=2, rejected=7,
                                    approved=2, spent="250.00")
        self.assertEqual(summary["denied by the control policies"], "1")
        rejects = read_rejects(path.replace(".csv", ".rejects.csv"))
        self.assertEqual([(r["line"], r["code"]) for r in rejects],
                         [("4", "not_found"), ("5", "precision"), ("6", "already_exists"),
                          ("7", "parse"), ("8", "not_found"), ("9", "denied"),
                          ("10", "invalid_utf8")])
        self.assertIn("reject: reject at FY2026/customer:C00001/visit", rejects[5]["reason"])
        self.assertIn("no period of the book holds 2027-02-06", rejects[4]["reason"])
        status = json.loads(self.assertOk(run("status", "--book", self.book, "--level",
                                              "customer", "--key", "C00001", "--category",
                                              "visit", "--format", "json")))
        self.assertEqual(status["scopes"][0]["spent"], "250.00")
        # The same file again: nothing changes.
        before = journal_entries(self.book)
        result, _ = self.importing("spend", "spend.csv", text, "--format", "json", "--quiet")
        self.assertImport(result, BAD_INPUT, imported=0, already_in_the_book=2, rejected=7,
                          spent="0.00")
        self.assertEqual(journal_entries(self.book), before)

    def test_spend_rows_in_the_period_asked_for(self):
        text = (SPEND_HEADER +
                "PERIOD1,2026-02-03,C00001,visit,spend,10.00,10.00\n"
                "PERIOD2,2026-02-04,C99999,visit,spend,1.00,1.00\n"       # 3 unknown customer
                "PERIOD3,2026-02-05,C00002,visit,reserve,20.00,15.00\n").encode()
        # A period the book lacks: every row is rejected, naming it, and nothing is applied.
        before = journal_entries(self.book)
        result, path = self.importing("spend", "spend.csv", text, "--period", "FY1999",
                                      "--format", "json", "--quiet")
        self.assertImport(result, BAD_INPUT, rows=3, imported=0, rejected=3)
        rejects = read_rejects(path.replace(".csv", ".rejects.csv"))
        self.assertEqual([(r["line"], r["code"]) for r in rejects],
                         [("2", "not_found"), ("3", "not_found"), ("4", "not_found")])
        self.assertIn("no period FY1999 in the book", rejects[0]["reason"])
        self.assertIn("unknown customer C99999", rejects[1]["reason"])
        self.assertEqual(journal_entries(self.book), before)
        # The book's period: the known customers' rows run in it.
        result, path = self.importing("spend", "spend.csv", text, "--period", "FY2026",
                                      "--format", "json", "--quiet")
        self.assertImport(result, BAD_INPUT, rows=3, imported=2, rejected=1, spent="25.00")
        self.assertEqual([(r["line"], r["code"]) for r in read_rejects(
            path.replace(".csv", ".rejects.csv"))], [("3", "not_found")])

    def test_a_large_spend_file_reads_to_its_last_byte(self):
        # Over 1 MiB: the file is mapped, not read (src/io/file_text.h). A bad row near the
        # end, and a last line without a line feed, are read like any other.
        rows = [f"L{k:05},2026-03-{1 + k % 28:02},C{101 + k % 50:05},visit,spend,0.01,0.01"
                for k in range(24000)]
        rows[-2] = rows[-2].replace(",0.01,0.01", ",0.001,0.01")  # precision
        text = (SPEND_HEADER + "\n".join(rows)).encode()
        self.assertGreater(len(text), 1 << 20)
        result, path = self.importing("spend", "large.csv", text, "--format", "json", "--quiet")
        self.assertImport(result, BAD_INPUT, rows=24000, imported=23999, rejected=1,
                          spent="239.99")
        rejects = read_rejects(path.replace(".csv", ".rejects.csv"))
        self.assertEqual([(r["line"], r["code"]) for r in rejects], [("24000", "precision")])
        before = journal_entries(self.book)
        result, _ = self.importing("spend", "large.csv", text, "--format", "json", "--quiet")
        self.assertImport(result, BAD_INPUT, imported=0, already_in_the_book=23999, rejected=1)
        self.assertEqual(journal_entries(self.book), before)

    def test_a_spend_waiting_for_its_batch_outlasts_many_rejected_rows(self):
        # A spend row waits for the rows of its day to join its batch. Rows that do not join
        # it (unknown customers, bad amounts) follow by the ten thousand, more than the reader
        # keeps a row for: the waiting spend must still go in as itself, with its own id,
        # customer and amount, before the reader reuses its place.
        rows = ["W00000,2026-05-04,C00103,visit,spend,7.00,7.00"]
        for k in range(1, 30000):
            rows.append(f"W{k:05},2026-05-04,X{k:05},visit,spend,1.00,1.00" if k % 10 else
                        f"W{k:05},2026-05-04,C00103,visit,spend,1.001,1.00")
        rows.append("W30000,2026-05-04,C00103,visit,spend,5.00,5.00")
        text = (SPEND_HEADER + "\n".join(rows) + "\n").encode()
        before = json.loads(self.assertOk(run("status", "--book", self.book, "--level",
                                              "customer", "--key", "C00103", "--category",
                                              "visit", "--format", "json")))
        result, path = self.importing("spend", "waiting.csv", text, "--format", "json",
                                      "--quiet")
        self.assertImport(result, BAD_INPUT, rows=30001, imported=2, rejected=29999,
                          approved=2, spent="12.00")
        after = json.loads(self.assertOk(run("status", "--book", self.book, "--level",
                                             "customer", "--key", "C00103", "--category",
                                             "visit", "--format", "json")))
        spent = lambda status: Decimal(status["scopes"][0]["spent"])
        self.assertEqual(spent(after) - spent(before), Decimal("12.00"))
        result, _ = self.importing("spend", "waiting.csv", text, "--format", "json", "--quiet")
        self.assertImport(result, BAD_INPUT, imported=0, already_in_the_book=2, rejected=29999)

    def test_spend_rows_from_a_named_pipe(self):
        # A pipe is read from the descriptor that opened it: opening it a second time would
        # lose its writer and wait for another.
        path = os.path.join(WORK, "import", "spend.pipe")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            os.remove(path)
        os.mkfifo(path)
        text = SPEND_HEADER + "PIPE001,2026-04-01,C00102,visit,spend,3.00,3.00\n"

        def feed():
            with open(path, "w") as pipe:  # waits for the reader
                pipe.write(text)

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        result = run("import", "spend", path, "--book", self.book, "--format", "json", "--quiet")
        writer.join(timeout=60)
        self.assertImport(result, OK, rows=1, imported=1, spent="3.00")

    def test_malformed_quoting_anywhere_changes_nothing(self):
        # Rows are run as they are read; a file whose quoting breaks after good rows is
        # refused before any of them runs.
        before = journal_entries(self.book)
        text = (SPEND_HEADER + "Q001,2026-02-03,C00001,visit,spend,1.00,1.00\n"
                "\"Q002\",2026-02-03,C00001,visit,spend,1.00,1.00\n"
                "Q003,2026-02-03,C00001,\"visit,spend,1.00,1.00\n")
        result, _ = self.importing("spend", "quoting.csv", text, "--quiet")
        self.assertFails(result, BAD_INPUT, "parse", "quoting.csv: line 4",
                         "a quoted field is never closed")
        self.assertEqual(journal_entries(self.book), before)

    def test_reports_read_the_follower_the_book_keeps(self):
        # 1,200 rows: the import snapshots the book and saves the follower (book_follower.h).
        text = SPEND_HEADER + "".join(
            f"F{k:04},2026-06-{1 + k % 28:02},C{101 + k % 50:05},visit,spend,1.00,1.00\n"
            for k in range(1200))
        result, _ = self.importing("spend", "follow.csv", text, "--format", "json", "--quiet")
        self.assertImport(result, OK, rows=1200, imported=1200, spent="1200.00")

        def follower():
            with sqlite3.connect(self.book) as db:
                row = db.execute("SELECT CAST(value AS BLOB) FROM meta "
                                 "WHERE key = 'property.follower'").fetchone()
            return row[0] if row else None

        def set_follower(value):
            with sqlite3.connect(self.book) as db:
                if value is None:
                    db.execute("DELETE FROM meta WHERE key = 'property.follower'")
                else:
                    db.execute("UPDATE meta SET value = ? WHERE key = 'property.follower'",
                               (value,))

        def reports():
            return [self.assertOk(run("report", kind, "--book", self.book, "--as-of",
                                      "2026-12-31", "--by", "customer", "--format", "csv"))
                    for kind in ("budget", "utilization")]

        saved = follower()
        self.assertTrue(saved.startswith(b"UPKW"))
        # It covers the whole journal: reports read it without opening the ledger, so a book
        # without snapshots stays so (opening the ledger would rebuild one), and they say the
        # same as with the ledger open (the follower unusable: set_follower below).
        first = reports()
        with sqlite3.connect(self.book) as db:
            snapshots = db.execute("SELECT * FROM snapshots").fetchall()
            db.execute("DELETE FROM snapshots")
        self.assertEqual(reports(), first)
        with sqlite3.connect(self.book) as db:
            self.assertEqual(db.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0], 0)
            db.executemany("INSERT INTO snapshots VALUES(?, ?, ?, ?, ?)", snapshots)
        set_follower(b"not a follower")
        self.assertEqual(reports(), first)
        set_follower(saved)
        # A few rows more: no snapshot, the next command replays them after the saved state.
        tail = SPEND_HEADER + "F9001,2026-07-01,C00101,visit,spend,2.00,2.00\n"
        result, _ = self.importing("spend", "follow-tail.csv", tail, "--format", "json",
                                   "--quiet")
        self.assertImport(result, OK, imported=1)
        self.assertEqual(follower(), saved)
        # A report replays that row after the saved state, and saves the follower caught up, so
        # that the reports after it need no ledger.
        kept = reports()
        self.assertIn("C00101", kept[0])
        self.assertNotEqual(follower(), saved)
        self.assertEqual(reports(), kept)
        # Without the saved state, or with a damaged one, the journal is replayed: same reports.
        set_follower(saved[:-1] + bytes([saved[-1] ^ 1]))
        self.assertEqual(reports(), kept)
        set_follower(b"not a follower")
        self.assertEqual(reports(), kept)
        set_follower(None)
        self.assertEqual(reports(), kept)
        # A command that writes saves it again, rebuilt from the journal.
        result, _ = self.importing("spend", "follow-tail.csv", tail, "--format", "json",
                                   "--quiet")
        self.assertImport(result, OK, already_in_the_book=1)
        self.assertTrue(follower().startswith(b"UPKW"))
        self.assertEqual(reports(), kept)

    def test_a_clean_import_removes_a_stale_rejects_file(self):
        text = SPEND_HEADER + "U001,2026-03-03,C00002,visit,spend,10.00,10.00\n"
        rejects = write("import/clean.rejects.csv", "line,code,reason\n1,parse,old\n")
        result, _ = self.importing("spend", "clean.csv", text, "--format", "json", "--quiet")
        self.assertImport(result, OK, rows=1, imported=1, rejected=0)
        self.assertFalse(os.path.exists(rejects))
        other = os.path.join(WORK, "import", "elsewhere.csv")
        bad = SPEND_HEADER + "U002,2026-03-03,C00002,visit,spend,x,1\n"
        result, _ = self.importing("spend", "clean.csv", bad, "--rejects", other, "--quiet",
                                   "--format", "json")
        self.assertImport(result, BAD_INPUT, rejected=1)
        self.assertEqual(read_rejects(other)[0]["line"], "2")

    def test_progress_lines_when_not_a_terminal(self):
        text = SPEND_HEADER + "".join(
            f"P{k:03},2026-04-0{1 + k % 9},C00003,visit,spend,1.00,1.00\n" for k in range(40))
        result, _ = self.importing("spend", "progress.csv", text)
        self.assertEqual(result.returncode, OK, result.stderr)
        lines = result.stderr.splitlines()
        self.assertGreaterEqual(len(lines), 10)
        self.assertEqual(lines[-1], "upkeep: import spend: 40 of 40 rows (100 %)")
        self.assertIn("upkeep: import spend: 4 of 40 rows (10 %)", lines)
        quiet, _ = self.importing("spend", "progress.csv", text, "--quiet")
        self.assertEqual(quiet.stderr, "")

    def test_progress_bar_on_a_terminal(self):
        import pty
        path = write("import/bar.csv", SPEND_HEADER + "B001,2026-05-05,C00004,visit,spend,"
                                                       "1.00,1.00\n")
        reader, writer = pty.openpty()
        result = subprocess.run([UPKEEP, "import", "spend", path, "--book", self.book],
                                stdout=subprocess.PIPE, stderr=writer, timeout=60, cwd=WORK)
        os.close(writer)
        shown = b""
        try:
            while True:
                chunk = os.read(reader, 4096)
                if not chunk:
                    break
                shown += chunk
        except OSError:
            pass
        os.close(reader)
        self.assertEqual(result.returncode, OK)
        self.assertIn(b"\rimport spend  [", shown)
        self.assertIn(b"####################]  100 %  1 / 1 rows", shown)


class LedgerTest(BookCase):
    """One operation at a time: reserve, spend, check, post, void, refund, transfer, approvals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.book = cls.make_book("ledger.db")

    def op(self, *args):
        return run(*args, "--book", self.book, "--date", "2026-03-02")

    def envelope(self, customer, category):
        status = json.loads(self.assertOk(run("status", "--book", self.book, "--level",
                                              "customer", "--key", customer, "--category",
                                              category, "--format", "json")))
        self.assertEqual(len(status["scopes"]), 1)
        return {k: cents(v) for k, v in status["scopes"][0].items() if k not in ("scope",
                                                                                 "used %")}

    def test_check_changes_nothing_and_explains(self):
        before = journal_entries(self.book)
        result = json.loads(self.assertOk(self.op("check", "--customer", "C00003", "--category",
                                                  "visit", "--amount", "10", "--format",
                                                  "json")))
        self.assertEqual(result["outcome"], "approve")
        self.assertEqual([r["scope"] for r in result["reasons"]],
                         ["FY2026/customer:C00003/visit", "FY2026/tier:" +
                          result["reasons"][1]["scope"].split(":")[1], "FY2026/company/visit"])
        self.assertEqual(result["balances"][0]["spent"], "0.00")
        denied = self.op("check", "--customer", "C00003", "--category", "visit", "--amount",
                         "99999999", "--spend")
        self.assertEqual(denied.returncode, DENIED, denied.stderr)
        self.assertIn("outcome: reject\n", denied.stdout)
        self.assertIn("Reasons", denied.stdout)
        lines = denied.stderr.splitlines()
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith("upkeep: error: denied: reject: reject at "
                                            "FY2026/customer:C00003/visit"), lines[0])
        self.assertIn("passes with at most", lines[0])
        self.assertEqual(journal_entries(self.book), before)

    def test_reserve_is_idempotent_and_post_spends_it(self):
        start = self.envelope("C00004", "visit")
        reserve = ["reserve", "--op", "L-R1", "--actor", "am-04", "--customer", "C00004",
                   "--category", "visit", "--amount", "30.00", "--format", "json"]
        first = json.loads(self.assertOk(self.op(*reserve)))
        self.assertEqual(first["outcome"], "approve")
        self.assertEqual(first["replayed"], "no")
        entries = journal_entries(self.book)
        again = json.loads(self.assertOk(self.op(*reserve)))
        self.assertTrue(again["replayed"].startswith("yes"))
        self.assertEqual(journal_entries(self.book), entries)
        self.assertEqual(self.envelope("C00004", "visit")["reserved"], start["reserved"] + 3000)
        changed = list(reserve)
        changed[changed.index("30.00")] = "31.00"
        self.assertFails(self.op(*changed), CONFLICT, "idempotency_conflict", "L-R1")
        posted = json.loads(self.assertOk(self.op("post", "--op", "L-P1", "--reservation",
                                                  "L-R1", "--amount", "25.00", "--actor",
                                                  "am-04", "--format", "json")))
        self.assertEqual((posted["status"], posted["posted"]), ("posted", "25.00"))
        after = self.envelope("C00004", "visit")
        self.assertEqual(after["spent"], start["spent"] + 2500)
        self.assertEqual(after["reserved"], start["reserved"])
        self.assertFails(self.op("post", "--op", "L-P2", "--reservation", "L-R1"), CONFLICT,
                         "invalid_state")
        self.assertFails(self.op("void", "--op", "L-V1", "--reservation", "L-R1"), CONFLICT,
                         "invalid_state")
        self.assertFails(self.op("post", "--op", "L-P3", "--reservation", "nope"), NOT_FOUND,
                         "not_found", "nope")

    def test_void_releases_and_refund_returns(self):
        start = self.envelope("C00005", "visit")
        self.assertOk(self.op("reserve", "--op", "L-R2", "--customer", "C00005", "--category",
                              "visit", "--amount", "40.00", "--expires", "2026-12-31"))
        voided = self.assertOk(self.op("void", "--op", "L-V2", "--reservation", "L-R2",
                                       "--reason", "visit cancelled"))
        self.assertIn("status: voided\n", voided)
        self.assertEqual(self.envelope("C00005", "visit"), start)
        self.assertOk(self.op("spend", "--op", "L-S1", "--customer", "C00005", "--category",
                              "visit", "--amount", "50.00"))
        self.assertOk(self.op("refund", "--op", "L-F1", "--target", "L-S1", "--amount", "20.00",
                              "--reason", "returned"))
        self.assertEqual(self.envelope("C00005", "visit")["spent"], start["spent"] + 3000)
        self.assertFails(self.op("refund", "--op", "L-F2", "--target", "L-S1", "--amount",
                                 "31.00"), BAD_INPUT, "invalid_argument")

    def test_transfer_moves_budget(self):
        a, b = self.envelope("C00006", "gift"), self.envelope("C00007", "gift")
        out = self.assertOk(self.op("transfer", "--op", "L-T1", "--from",
                                    "FY2026/customer:C00006/gift", "--to",
                                    "FY2026/customer:C00007/gift", "--amount", "12.34",
                                    "--reason", "trade fair"))
        self.assertIn("Balances after", out)
        self.assertEqual(self.envelope("C00006", "gift")["budget"], a["budget"] - 1234)
        self.assertEqual(self.envelope("C00007", "gift")["budget"], b["budget"] + 1234)
        self.assertFails(self.op("transfer", "--op", "L-T2", "--from", "FY2026/customer/gift",
                                 "--to", "FY2026/customer:C00007/gift", "--amount", "1",
                                 "--reason", "x"), BAD_INPUT, "parse", "--from")
        self.assertFails(self.op("transfer", "--op", "L-T3", "--from",
                                 "FY2026/customer:C00006/gift", "--to",
                                 "FY2026/customer:C00007/gift", "--amount", "1"), USAGE,
                         "usage", "--reason")

    def test_needs_approval_then_approve_or_reject(self):
        request = ["reserve", "--actor", "am-21", "--customer", "C01126", "--category", "gift",
                   "--amount", "2500.00"]  # above gift-max (2000.00): require_approval
        out = self.assertOk(self.op(*request, "--op", "L-A1"))
        self.assertIn("outcome: needs approval\n", out)
        self.assertIn("upkeep approve --approval L-A1", out)
        self.assertOk(self.op(*request, "--op", "L-A2"))
        waiting = json.loads(self.assertOk(run("approvals", "--book", self.book, "--format",
                                               "json")))
        self.assertEqual({a["approval"] for a in waiting["approvals"]}, {"L-A1", "L-A2"})
        self.assertFails(self.op("approve", "--approval", "L-A1", "--actor", "am-21"), DENIED,
                         "permission_denied")
        approved = json.loads(self.assertOk(self.op("approve", "--approval", "L-A1", "--reason",
                                                    "key account", "--format", "json")))
        self.assertNotEqual(approved["outcome"], "reject")
        rejected = self.assertOk(self.op("reject", "--approval", "L-A2", "--reason", "no"))
        self.assertIn("rejected by the approver", rejected)
        waiting = json.loads(self.assertOk(run("approvals", "--book", self.book, "--format",
                                               "json")))
        self.assertEqual(waiting["waiting"], "0")
        self.assertFails(self.op("approve", "--approval", "L-A2"), CONFLICT, "invalid_state")

    def test_bad_requests(self):
        base = ["--op", "L-X", "--category", "visit", "--amount"]
        self.assertFails(self.op("spend", *base, "1.00", "--customer", "C99999"), NOT_FOUND,
                         "not_found", "C99999")
        self.assertFails(self.op("spend", *base, "1.001", "--customer", "C00003"), BAD_INPUT,
                         "precision", "--amount")
        self.assertFails(self.op("spend", *base, "1.00", "--customer", "C00003", "--actor",
                                 "nobody"), NOT_FOUND, "not_found", "nobody")
        self.assertFails(run("spend", *base, "1.00", "--customer", "C00003", "--book",
                             self.book, "--date", "2031-01-01"), NOT_FOUND, "not_found",
                         "no period")
        self.assertFails(run("spend", *base, "1.00", "--customer", "C00003", "--book",
                             self.book, "--date", "01/02/2026"), BAD_INPUT, "parse", "--date")
        self.assertFails(self.op("spend", "--category", "visit", "--amount", "1"), USAGE,
                         "usage")


class MonitorTest(DemoBookCase):
    """alerts, forecast and close, on the book that `upkeep demo` writes."""

    def view(self, command, *args):
        return json.loads(self.assertOk(run(command, "--book", self.book, "--as-of",
                                            "2026-10-01", "--format", "json", *args)))

    def test_alerts_active_in_the_period(self):
        alerts = self.view("alerts")
        self.assertEqual(alerts["period"], "FY2026")
        self.assertEqual(alerts["as of"], "2026-10-01")
        by_rule = {r["rule"]: r["active"] for r in alerts["by_rule"]}
        self.assertEqual(sum(by_rule.values()), int(alerts["active alerts"]))
        self.assertGreater(by_rule["quiet-key-customer"], 0)  # valuable customers, unused budget
        self.assertEqual(len(alerts["alerts"]), int(alerts["active alerts"]))
        for alert in alerts["alerts"]:
            self.assertTrue(alert["scope"].startswith("FY2026/"), alert)
            self.assertEqual(alert["state"], "raised")
        seqs = [a["seq"] for a in alerts["alerts"]]
        self.assertEqual(seqs, sorted(seqs))
        quiet = self.view("alerts", "--rule", "quiet-key-customer", "--top", "3")
        self.assertEqual(len(quiet["alerts"]), 3)
        self.assertTrue(all(a["kind"] == "under_use" for a in quiet["alerts"]))
        self.assertRegex(quiet["alerts"][0]["message"], r"only \d+\.\d\d % of the budget")
        log = self.view("alerts", "--log")
        self.assertGreaterEqual(int(log["alerts raised or cleared"]), int(alerts["active alerts"]))
        table = self.assertOk(run("alerts", "--book", self.book, "--as-of", "2026-10-01",
                                  "--top", "2"))
        self.assertIn("Active alerts\n", table)

    def test_forecast_by_tier_and_customer(self):
        tiers = self.view("forecast")
        self.assertEqual(tiers["scopes"], "24")  # 4 tiers x 6 categories
        self.assertEqual(tiers["elapsed"], "74.8 %")
        shares = [Decimal(r["projected %"]) for r in tiers["forecast"]]
        self.assertEqual(shares, sorted(shares, reverse=True))
        for row in tiers["forecast"]:
            self.assertGreaterEqual(cents(row["projected"]), cents(row["used"]))
        one = self.view("forecast", "--level", "customer", "--key", "C00001", "--top", "0")
        self.assertEqual(len(one["forecast"]), 6)
        self.assertFails(run("forecast", "--book", self.book, "--level", "galaxy"), USAGE,
                         "usage", "galaxy")
        self.assertFails(run("forecast", "--book", self.book, "--period", "FY1999"), NOT_FOUND,
                         "not_found", "FY1999")
        self.assertFails(run("forecast", "--book", self.book, "--as-of", "2026-02-30"),
                         BAD_INPUT, "parse", "--as-of")

    def test_close_with_rollover(self):
        book = os.path.join(WORK, "close.db")
        shutil.copy(self.book, book)
        self.assertFails(run("close", "FY2026", "--book", book), NOT_FOUND, "not_found",
                         "upkeep allocate --book")
        for args in (["import", "metrics", PORTFOLIO, "--period", "FY2026", "--quiet"],
                     ["allocate", "--period", "FY2027", "--metrics", "FY2026", "--date",
                      "2026-12-31"]):
            result = run(*args, "--book", book)
            self.assertEqual(result.returncode, OK, result.stderr)

        def company_budget(period):
            scopes = json.loads(self.assertOk(run("status", "--book", book, "--period", period,
                                                  "--format", "json")))["scopes"]
            return sum(cents(s["budget"]) for s in scopes)

        before = company_budget("FY2027")
        closed = json.loads(self.assertOk(run("close", "FY2026", "--book", book, "--format",
                                              "json", "--top", "0")))
        self.assertEqual(closed["next period"], "FY2027")
        self.assertEqual(closed["envelopes settled"], str(2000 * 6))
        unused, carried, swept, forfeited, moved = (
            cents(closed[k]) for k in ("unused", "carried", "swept", "forfeited",
                                       "moved with reservations"))
        self.assertEqual(unused, carried + swept + forfeited + moved)
        self.assertGreater(carried, 0)  # strategic-carry: capped carry for strategic customers
        self.assertGreater(swept, 0)    # rest: swept to the strategic-fund pool
        self.assertEqual(company_budget("FY2027"), before + carried + swept + moved)
        self.assertEqual({r["rule"] for r in closed["by_rule"]}, {"strategic-carry", "rest"})
        self.assertEqual(len(closed["settlements"]), 12000)
        for s in closed["settlements"][:50]:
            self.assertEqual(cents(s["unused"]), cents(s["carried"]) + cents(s["swept"]) +
                             cents(s["forfeited"]))
        self.assertFails(run("close", "FY2026", "--book", book), CONFLICT, "invalid_state",
                         "closed already")
        result = run("spend", "--book", book, "--op", "late", "--customer", "C00001",
                     "--category", "visit", "--amount", "1", "--period", "FY2026")
        self.assertEqual(result.returncode, DENIED, result.stderr)
        self.assertIn("period_closed", result.stderr)
        self.assertRegex(self.assertOk(run("verify", "--book", book)), r"^ok: ")


class ReportTest(DemoBookCase):
    """report budget|utilization|alerts on the book that `upkeep demo` writes."""

    def report(self, kind, *args, form="json"):
        out = self.assertOk(run("report", kind, "--book", self.book, "--as-of", "2026-10-01",
                                "--format", form, *args))
        return json.loads(out) if form == "json" else out

    def check_rows_add_up(self, rows, months):
        for row in rows:
            self.assertEqual(sum(cents(row[m]) for m in months), cents(row["actual"]), row)
            self.assertEqual(cents(row["budget"]) - cents(row["actual"]), cents(row["variance"]))

    def test_budget_by_tier_and_month(self):
        report = self.report("budget")
        rows = report["budget"]
        self.assertEqual([r["tier"] for r in rows], ["basic", "growth", "key", "strategic",
                                                     "total"])
        months = [f"2026-{m:02}" for m in range(1, 13)]
        self.assertTrue(all(m in rows[0] for m in months))
        self.check_rows_add_up(rows, months)
        total = rows[-1]
        for column in ["budget", "actual", *months]:
            self.assertEqual(sum(cents(r[column]) for r in rows[:-1]), cents(total[column]))
        year = self.demo["months"][-1]
        self.assertEqual(cents(total["actual"]), cents(year["spent"]))
        self.assertEqual(cents(total["budget"]), sum(cents(t["budget"]) for t in
                                                     self.demo["tiers"]))
        self.assertEqual([cents(r[f"2026-{m:02}"]) for m in range(1, 13) for r in [total]],
                         [cents(m["spent"]) for m in self.demo["months"][:-1]])

    def test_budget_by_customer_csv_and_one_category(self):
        rows = list(csv.DictReader(io.StringIO(self.report("budget", "--by", "customer",
                                                           form="csv"))))
        self.assertEqual(len(rows), 2000 + 1)
        self.assertEqual(rows[-1]["customer"], "total")
        self.check_rows_add_up(rows, [f"2026-{m:02}" for m in range(1, 13)])
        gift = self.report("budget", "--by", "category", "--category", "gift")
        self.assertEqual([r["category"] for r in gift["budget"]], ["gift", "total"])
        demo_gift = [c for c in self.demo["categories"] if c["category"] == "gift"][0]
        self.assertEqual(gift["budget"][0]["budget"], demo_gift["budget"])
        self.assertFails(run("report", "budget", "--book", self.book, "--category", "yachts"),
                         NOT_FOUND, "not_found", "yachts")
        self.assertFails(run("report", "budget", "--book", self.book, "--by", "planet"), USAGE,
                         "usage", "planet")

    def test_utilization(self):
        report = self.report("utilization", "--by", "tier")
        self.assertEqual(report["elapsed"], "74.8 %")
        self.assertEqual(len(report["utilization"]), 4)
        for row in report["utilization"]:
            self.assertEqual(cents(row["budget"]) - cents(row["reserved"]) - cents(row["spent"]),
                             cents(row["available"]))
            # pace = used % - elapsed %, each rounded to one decimal
            self.assertLessEqual(abs(Decimal(row["pace"]) - (Decimal(row["used %"]) -
                                                            Decimal("74.8"))), Decimal("0.1"))
            self.assertIn(row["status"], {"over budget", "ahead", "on pace", "behind", "unused"})
        owners = self.report("utilization", "--by", "owner")
        self.assertEqual(sum(cents(r["budget"]) for r in owners["utilization"]),
                         sum(cents(r["budget"]) for r in report["utilization"]))

    def test_alerts_report(self):
        report = self.report("alerts")
        for rule in report["by_rule"]:
            self.assertEqual(rule["active"], rule["raised"] - rule["cleared"], rule)
        self.assertEqual(sum(r["active"] for r in report["by_rule"]),
                         int(report["active alerts"]))

    def test_tables_are_aligned(self):
        out = self.report("budget", form="table")
        table = out.split("Budget vs actual by tier and month\n")[1].splitlines()
        self.assertEqual(len(table), 2 + 5)
        self.assertEqual(len({len(line) for line in table}), 1, table)
        self.assertIn("10,038,137.00", out)  # money grouped by thousands


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = 77  # CTest SKIP_RETURN_CODE of cli_Dashboard


def png_facts(path):
    """(width, height, distinct bytes, distinct 64-byte runs) of a PNG's pixel data."""
    import struct
    import zlib
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    pixels = zlib.decompress(idat)
    runs = {pixels[k:k + 64] for k in range(0, len(pixels), 64)}
    return size[0], size[1], len(set(pixels)), len(runs)


class DashboardTest(DemoBookCase):
    """The dashboard: one self-contained HTML page, rendered in headless Chromium."""

    def chromium(self, *args):
        profile = os.path.join(WORK, "chromium-profile")
        return subprocess.run([CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox",
                               f"--user-data-dir={profile}", *args], capture_output=True,
                              text=True, timeout=180, cwd=WORK)

    def test_the_demo_writes_a_self_contained_page(self):
        self.assertEqual(self.demo["dashboard"], self.dashboard)
        with open(self.dashboard, encoding="utf-8") as f:
            page = f.read()
        for outside in ("http:", "https:", "src=", "<link", "@import", "url("):
            self.assertNotIn(outside, page)
        self.assertEqual(page.count("<svg"), 3)
        for heading in ("Budget vs actual by tier", "Spend by month and tier", "Burn-down",
                        "Top over-users", "Top under-users", "Alerts by rule",
                        "Active alerts"):
            self.assertIn(heading, page)
        self.assertIn("as of 2026-12-31", page)
        spent = "{:,}".format(Decimal(self.demo["months"][-1]["spent"]))
        self.assertIn(f'<div class="v">{spent}</div>', page)  # the headline: the year's spend

    def test_report_dashboard_as_of_a_day(self):
        out = os.path.join(WORK, "october.html")
        result = json.loads(self.assertOk(run("report", "dashboard", "--book", self.book,
                                              "--as-of", "2026-10-01", "--out", out,
                                              "--format", "json")))
        self.assertEqual(result["dashboard"], out)
        self.assertEqual(int(result["bytes"]), os.path.getsize(out))
        with open(out, encoding="utf-8") as f:
            self.assertIn("as of 2026-10-01", f.read())
        self.assertFails(run("report", "dashboard", "--book", self.book, "--out",
                             "/nonexistent/x.html"), UNAVAILABLE, "io", "/nonexistent/x.html")
        self.assertFails(run("report", "dashboard", "--book", self.book), USAGE, "usage",
                         "--out")

    def test_it_renders_in_chromium(self):
        url = "file://" + self.dashboard
        dom = self.chromium("--dump-dom", url)
        self.assertEqual(dom.returncode, 0, dom.stderr)
        self.assertIn('data-rendered="3"', dom.stdout)      # the page's script ran
        self.assertIn("rendered: 3 charts", dom.stdout)
        self.assertEqual(dom.stdout.count("<svg"), 3)
        self.assertGreater(dom.stdout.count("<rect"), 50)    # the bars were drawn
        self.assertGreater(dom.stdout.count("<polyline"), 2)  # the plan and burn-down lines
        png = os.path.join(WORK, "dashboard.png")
        if os.path.exists(png):
            os.remove(png)
        shot = self.chromium(f"--screenshot={png}", "--window-size=1400,1800", url)
        self.assertEqual(shot.returncode, 0, shot.stderr)
        self.assertGreater(os.path.getsize(png), 20_000)
        width, height, values, runs = png_facts(png)
        self.assertEqual((width, height), (1400, 1800))
        self.assertGreater(values, 50)   # not a blank or single-colour image
        self.assertGreater(runs, 1000)


class BookTest(DemoBookCase):
    """status and verify, on the book that `upkeep demo` writes."""

    def test_verify(self):
        out = self.assertOk(run("verify", "--book", self.book))
        self.assertRegex(out, r"^ok: .*demo.db: \d+ journal entries; hash chain and snapshots "
                              r"verified\n$")

    def test_status_by_tier_matches_the_demo(self):
        result = json.loads(self.assertOk(run("status", "--book", self.book, "--level", "tier",
                                              "--format", "json")))
        self.assertEqual(len(result["scopes"]), 4 * 6)  # tiers x categories
        self.assertEqual(sum(cents(s["budget"]) for s in result["scopes"]),
                         sum(cents(t["budget"]) for t in self.demo["tiers"]))
        self.assertEqual(sum(cents(s["spent"]) for s in result["scopes"]),
                         sum(cents(t["spent"]) for t in self.demo["tiers"]))

    def test_status_one_customer_table(self):
        out = self.assertOk(run("status", "--book", self.book, "--level", "customer", "--key",
                                "C00001"))
        self.assertIn("FY2026/customer:C00001/gift", out)
        self.assertEqual(out.count("FY2026/customer:C00001/"), 6)

    def test_status_unknown_key(self):
        self.assertFails(run("status", "--book", self.book, "--level", "customer", "--key",
                             "C99999"), NOT_FOUND, "not_found", "customer")

    def test_missing_book(self):
        self.assertFails(run("verify", "--book", os.path.join(WORK, "none.db")), NOT_FOUND,
                         "not_found")

    def test_tampered_book_fails_verification(self):
        tampered = os.path.join(WORK, "tampered.db")
        shutil.copy(self.book, tampered)
        with sqlite3.connect(tampered) as db:
            # Entry 100 is in the block that starts at or before it; flip a byte of it.
            first_seq, entries, data = db.execute(
                "SELECT first_seq, entries, bytes FROM journal_blocks WHERE first_seq <= 100 "
                "ORDER BY first_seq DESC LIMIT 1").fetchone()
            start = sum(size for _, size in json.loads(entries)[:100 - first_seq])
            data = data[:start + 5] + bytes([data[start + 5] ^ 1]) + data[start + 6:]
            db.execute("UPDATE journal_blocks SET bytes = ? WHERE first_seq = ?", (data, first_seq))
        db.close()
        self.assertFails(run("verify", "--book", tampered), 8, "corrupt", "journal entry 100")


FEEDBACK = os.path.join(EXAMPLES, "data", "feedback.csv")
FEEDBACK_HEADER = ("id,customer_id,period,kind,revenue,revenue_before,renewal,satisfaction,"
                   "recommend,complaints,rating,author,comment\n")


def sql(book, query):
    with sqlite3.connect(book) as db:
        rows = db.execute(query).fetchall()
    db.close()
    return rows


class FeedbackTest(BookCase):
    """import feedback, effectiveness, report effectiveness, propose (approve, reject, apply)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.book = cls.make_book("feedback.db")
        spend = run("import", "spend", os.path.join(EXAMPLES, "data", "spend.csv"), "--book",
                    cls.book, "--quiet", "--rejects", os.path.join(WORK, "feedback-spend.csv"))
        assert spend.returncode in (OK, BAD_INPUT), spend.stderr
        result = run("import", "feedback", FEEDBACK, "--book", cls.book, "--quiet",
                     "--format", "json")
        assert result.returncode == 0, result.stderr
        cls.first_import = json.loads(result.stdout)

    def test_import_keeps_every_record_once(self):
        with open(FEEDBACK, encoding="utf-8") as f:
            rows = sum(1 for _ in f) - 1
        summary = self.first_import
        self.assertEqual(summary["rows"], str(rows))
        self.assertEqual(summary["imported"], str(rows))
        self.assertEqual(summary["rejected"], "0")
        self.assertEqual(sum(int(summary[f"{kind} records added"]) for kind in
                             ("outcome", "customer", "account_manager", "manager")), rows)
        kinds = dict(sql(self.book, "SELECT kind, count(*) FROM feedback WHERE id LIKE 'F%' "
                                    "GROUP BY kind"))
        self.assertEqual(kinds["outcome"], int(summary["outcome records added"]))
        self.assertEqual(sum(kinds.values()), rows)
        # Again: nothing changes.
        result = run("import", "feedback", FEEDBACK, "--book", self.book, "--quiet",
                     "--format", "json")
        self.assertImport(result, OK, rows=rows, imported=0, already_in_the_book=rows,
                          rejected=0)
        self.assertEqual(sql(self.book, "SELECT count(*) FROM feedback WHERE id LIKE 'F%'")[0][0],
                         rows)

    def test_bad_feedback_rows_are_listed_and_change_nothing(self):
        before = sql(self.book, "SELECT count(*) FROM feedback")[0][0]
        text = (FEEDBACK_HEADER +
                "X1,C00001,FY2026,customer,,,,9,10,0,,,fine\n"          # 2 fine
                "X2,C99999,FY2026,customer,,,,9,10,0,,,\n"              # 3 unknown customer
                "X3,C00002,FY2026,customer,,,,eleven,10,0,,,\n"         # 4 not a number
                "X4,C00003,FY2026,account_manager,,,,,,,5,am-01,\n"     # 5 rating out of range
                "X1,C00004,FY2026,customer,,,,9,10,0,,,\n"              # 6 id twice in the file
                "F000002,C00001,FY2026,customer,,,,1,1,0,,,changed\n"   # 7 kept, other contents
                "X5,C00005,FY2099,customer,,,,9,9,0,,,\n"               # 8 unknown period
                "X6,C00005,FY2026,outcome,12.345,1.00,renewed,,,,,,\n"  # 9 precision
                "F000001,C00001,FY2026,outcome,92347.05,348405.71,churned,,,,,,\n")  # 10 kept
        data = text.encode("utf-8") + b"X7,C00006,FY2026,customer,,,,9,9,0,,,\xff\xfe\n"  # 11
        path = write(os.path.join("import", "feedback-bad.csv"), data)
        result = run("import", "feedback", path, "--book", self.book, "--quiet",
                     "--format", "json")
        self.assertImport(result, BAD_INPUT, rows=10, imported=1, already_in_the_book=1,
                          rejected=8)
        rejects = {int(r["line"]): r for r in read_rejects(path.replace(".csv", ".rejects.csv"))}
        self.assertEqual(sorted(rejects), [3, 4, 5, 6, 7, 8, 9, 11])
        self.assertEqual(rejects[3]["code"], "not_found")
        self.assertIn("C99999", rejects[3]["reason"])
        self.assertEqual(rejects[4]["code"], "parse")
        self.assertIn("satisfaction", rejects[4]["reason"])
        self.assertEqual(rejects[5]["code"], "invalid_argument")
        self.assertEqual(rejects[6]["code"], "already_exists")
        self.assertEqual(rejects[7]["code"], "idempotency_conflict")
        self.assertIn("F000002", rejects[7]["reason"])
        self.assertEqual(rejects[8]["code"], "not_found")
        self.assertIn("FY2099", rejects[8]["reason"])
        self.assertEqual(rejects[9]["code"], "precision")
        self.assertEqual(rejects[11]["code"], "invalid_utf8")
        self.assertEqual(sql(self.book, "SELECT count(*) FROM feedback")[0][0], before + 1)
        body = sql(self.book, "SELECT body FROM feedback WHERE id = 'F000002'")[0][0]
        self.assertEqual(json.loads(body)["feedback"][0]["satisfaction"], 10)

    def test_wrong_columns_fail_the_whole_file(self):
        before = sql(self.book, "SELECT count(*) FROM feedback")[0][0]
        result, _ = self.importing("feedback", "feedback-cols.csv",
                                   "id,customer_id,kind\nY1,C00001,customer\n")
        self.assertFails(result, BAD_INPUT, "parse", "period")
        self.assertEqual(sql(self.book, "SELECT count(*) FROM feedback")[0][0], before)

    def test_effectiveness_table_csv_and_json(self):
        out = self.assertOk(run("effectiveness", "--book", self.book, "--period", "FY2026"))
        self.assertIn("Effectiveness by tier", out)
        self.assertIn("best return per unit of spend: ", out)
        report = json.loads(self.assertOk(run("effectiveness", "--book", self.book, "--period",
                                              "FY2026", "--format", "json")))
        groups = report["groups"]
        self.assertEqual(groups[-1]["tier"], "total")
        self.assertEqual(sum(g["customers"] for g in groups[:-1]), groups[-1]["customers"])
        self.assertEqual(sum(cents(g["budget"]) for g in groups[:-1]), cents(groups[-1]["budget"]))
        self.assertEqual(sum(cents(g["revenue change"]) for g in groups[:-1]),
                         cents(groups[-1]["revenue change"]))
        self.assertEqual(groups[-1]["customers"], 2000)
        self.assertGreater(cents(groups[-1]["spent"]), 0)
        csv_out = self.assertOk(run("report", "effectiveness", "--book", self.book, "--period",
                                    "FY2026", "--by", "region", "--format", "csv"))
        rows = list(csv.DictReader(io.StringIO(csv_out)))
        self.assertEqual(rows[-1]["region"], "total")
        self.assertIn("华东", [r["region"] for r in rows])
        by_category = json.loads(self.assertOk(run(
            "effectiveness", "--book", self.book, "--period", "FY2026", "--by", "category",
            "--format", "json")))["groups"]
        self.assertIn("gift", [g["category"] for g in by_category])
        self.assertEqual(sum(cents(g["spent"]) for g in by_category[:-1]),
                         cents(by_category[-1]["spent"]))
        self.assertEqual(sum(cents(g["revenue change"]) for g in by_category[:-1]),
                         cents(groups[-1]["revenue change"]))
        self.assertFails(run("effectiveness", "--book", self.book, "--period", "FY2099"),
                         NOT_FOUND, "not_found", "FY2099")
        self.assertEqual(run("effectiveness", "--book", self.book, "--by", "planet").returncode,
                         USAGE)

    def test_alerts_are_kept_once(self):
        self.assertOk(run("alerts", "--book", self.book, "--as-of", "2026-06-30"))
        kept = sql(self.book, "SELECT count(*) FROM alerts")[0][0]
        self.assertGreater(kept, 0)
        self.assertOk(run("alerts", "--book", self.book, "--as-of", "2026-06-30"))
        self.assertEqual(sql(self.book, "SELECT count(*) FROM alerts")[0][0], kept)
        (scope, body), = sql(self.book, "SELECT scope, body FROM alerts ORDER BY seq LIMIT 1")
        self.assertTrue(scope.startswith("FY2026/"), scope)
        self.assertIn("message", json.loads(body))

    def test_propose_approve_apply(self):
        book = self.make_book("propose.db")
        self.assertOk(run("import", "feedback", FEEDBACK, "--book", book, "--quiet"))
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--approve"),
                         NOT_FOUND, "not_found", "no proposal for FY2026")
        draft = json.loads(self.assertOk(run(
            "propose", "--book", book, "--period", "FY2026", "--metrics", "FY2025",
            "--top", "0", "--format", "json")))
        self.assertEqual(draft["state"], "draft")
        self.assertEqual(draft["period assessed"], "FY2026")
        changes = draft["changes"]
        self.assertEqual(len(changes), int(draft["customers changed"]))
        self.assertGreater(len(changes), 0)
        for change in changes:
            self.assertTrue(change["reasons"], change)
            multiplier = Decimal(change["multiplier"].rstrip("x"))
            self.assertTrue(Decimal("0.8") <= multiplier <= Decimal("1.2"), change)
        allocation = draft["next_allocation"]
        self.assertEqual(len(allocation), 2000)
        self.assertEqual(sum(cents(r["amount now"]) for r in allocation),
                         cents(draft["allocated now"]))
        self.assertEqual(sum(cents(r["amount next"]) for r in allocation),
                         cents(draft["allocated next"]))
        # The same draft again; then finance approves and applies it.
        self.assertEqual(json.loads(self.assertOk(run(
            "propose", "--book", book, "--period", "FY2026", "--metrics", "FY2025", "--top", "0",
            "--format", "json"))), draft)
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--apply"),
                         CONFLICT, "invalid_state", "draft")
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--approve",
                             "--reject"), BAD_INPUT, "invalid_argument", "one of")
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--approve",
                             "--actor", "am-01"), DENIED, "permission_denied", "am-01")
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--approve",
                             "--actor", "nobody"), DENIED, "permission_denied", "nobody")
        approved = json.loads(self.assertOk(run(
            "propose", "--book", book, "--period", "FY2026", "--approve", "--format", "json")))
        self.assertEqual(approved["state"], "approved")
        self.assertEqual(approved["decided by"], "admin")
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--reject"),
                         CONFLICT, "invalid_state", "approved")
        applied = json.loads(self.assertOk(run(
            "propose", "--book", book, "--period", "FY2026", "--apply", "--format", "json")))
        self.assertEqual(applied["state"], "applied")
        self.assertEqual(applied["applied to"], "FY2027")
        budgets = dict(sql(book, "SELECT key, sum(budget_minor) FROM balances WHERE period = "
                                 "'FY2027' AND level = 'customer' GROUP BY key"))
        self.assertEqual(len(budgets), 2000)
        self.assertEqual(sum(budgets.values()), cents(draft["allocated next"]))
        for row in allocation[:50]:
            self.assertEqual(budgets[row["customer_id"]], cents(row["amount next"]), row)
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--apply"),
                         CONFLICT, "invalid_state", "applied")
        # A drafted proposal again shows the applied one; the report reads it.
        shown = self.assertOk(run("propose", "--book", book, "--period", "FY2026"))
        self.assertIn("state: applied", shown)
        self.assertIn("applied to: FY2027", shown)

    def test_propose_reject_and_no_feedback_section(self):
        book = self.make_book("reject.db")
        self.assertOk(run("propose", "--book", book, "--period", "FY2026", "--metrics", "FY2025"))
        rejected = self.assertOk(run("propose", "--book", book, "--period", "FY2026", "--reject"))
        self.assertIn("state: rejected", rejected)
        self.assertFails(run("propose", "--book", book, "--period", "FY2026", "--apply"),
                         CONFLICT, "invalid_state", "rejected")
        bare = fresh("nofeedback.db")
        policy = policy_document()
        del policy["feedback"]
        path = write("nofeedback.json", json.dumps(policy))
        for args in (["init", "--policy", path],
                     ["import", "customers", PORTFOLIO, "--quiet"],
                     ["import", "metrics", PORTFOLIO, "--period", "FY2025", "--quiet"],
                     ["allocate", "--period", "FY2026", "--metrics", "FY2025", "--date",
                      "2026-01-01"]):
            result = run(*args, "--book", bare)
            self.assertEqual(result.returncode, OK, (args, result.stderr))
        self.assertFails(run("propose", "--book", bare, "--period", "FY2026"), NOT_FOUND,
                         "not_found", "feedback")


if __name__ == "__main__":
    if "DashboardTest" in sys.argv[1:] and CHROMIUM is None:
        print("chromium is not installed: the dashboard rendering test is skipped")
        sys.exit(NO_CHROMIUM)
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[1:]])

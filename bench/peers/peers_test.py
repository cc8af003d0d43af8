#!/usr/bin/env python3
"""CTest test of the peers harness (bench/peers) at a tiny size: the generator is deterministic
and its totals add up, the report parsers read exact minor units, and a run of peers.py agrees
on the totals. hledger and ledger are used when installed and left out otherwise (this test
installs nothing). Needs UPKEEP (the binary) and UPKEEP_WORK (a scratch folder)."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers  # noqa: E402

WORK = os.environ.get("UPKEEP_WORK", "/tmp/upkeep-peers-test")


def generate(out, spends, seed=7):
    subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), out, "--customers", "40",
                    "--spends", str(spends), "--seed", str(seed)], check=True)
    files = {}
    for name in ("customers.csv", "spend.csv", "budget.journal", "policy.json", "facts.json"):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            files[name] = f.read()
    return files


class GeneratorTest(unittest.TestCase):
    def test_same_seed_same_files_other_seed_other_spends(self):
        first = generate(os.path.join(WORK, "a"), 200)
        self.assertEqual(first, generate(os.path.join(WORK, "b"), 200))
        self.assertNotEqual(first["spend.csv"], generate(os.path.join(WORK, "c"), 200, 8)["spend.csv"])

    def test_totals_are_the_files(self):
        files = generate(os.path.join(WORK, "a"), 200)
        facts = json.loads(files["facts.json"])
        spend_rows = files["spend.csv"].splitlines()[1:]
        self.assertEqual(len(spend_rows), 200)
        self.assertEqual(sum(peers.minor(row.split(",")[5]) for row in spend_rows),
                         facts["actual_minor"])
        journal = files["budget.journal"].splitlines()
        periodic = journal[journal.index(next(l for l in journal if l.startswith("~ monthly"))) + 1:]
        periodic = periodic[:periodic.index("    assets:budget")]
        self.assertEqual(len(periodic), 40)
        monthly = [peers.minor(line.split()[1]) for line in periodic]
        self.assertEqual(12 * sum(monthly), facts["budget_minor"])
        self.assertEqual(peers.minor(facts["pool"]), facts["budget_minor"])


class ParserTest(unittest.TestCase):
    def test_minor_units_exactly(self):
        self.assertEqual(peers.minor("-1,234.5"), -123450)
        self.assertEqual(peers.minor("12"), 1200)
        self.assertEqual(peers.minor("-0.07"), -7)
        with self.assertRaises(ValueError):
            peers.minor("1.001")

    def test_ledger_expenses_line(self):
        text = "  0  -2000  2000  0  assets:budget\n  12.5  2000  -1987.5  1%  expenses\n"
        self.assertEqual(peers.ledger_expenses(text), (1250, 200000))

    def test_hledger_total_row(self):
        line = "    || 39.91 [0% of 18500.00]  876.94 [ 0% of 222000.00] "
        self.assertEqual(peers.HLEDGER_PAIR.findall(line)[-1], ("876.94", "222000.00"))


class HarnessTest(unittest.TestCase):
    def test_all_tools_agree_at_a_tiny_size(self):
        done = subprocess.run([sys.executable, os.path.join(HERE, "peers.py"), "--upkeep",
                               os.environ["UPKEEP"], "--sizes", "300", "--customers", "40",
                               "--work", os.path.join(WORK, "run")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(done.returncode, 0, done.stderr + done.stdout)
        self.assertIn("peers: 300 spends: all totals agree", done.stdout)
        self.assertRegex(done.stdout, r"\| 300 \| [\d.]+ s \| [\d.]+ s \|")


if __name__ == "__main__":
    unittest.main()

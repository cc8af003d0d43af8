"""Reservations per second from Python: the batch API and single calls.

    UPKEEP_LIBRARY=build/release/capi/libupkeep.so PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/bench_reserve.py [--customers N] [--batch N]

A ledger with N customer envelopes (one category, one period, generous budgets) answers
reservations on random customers: first in batches (Ledger.reserve_batch, one crossing per
batch; the time includes building the request arrays from Python lists), then one call each
(Ledger.reserve without reading the reasons); batches also by envelope handle
(Ledger.resolve_envelope once per customer, then no names per request), and as columns the caller
already holds (Ledger.reserve_columns: op ids, customers and an array("q") of amounts). Prints
reservations per second for each and the batch / single ratio. The issue's target: the batch
path at >= 1,000,000 reservations per second.
"""

import argparse
import random
import time
from array import array

import upkeep


def build(customers):
    ledger = upkeep.Ledger("CNY")
    ledger.define_actor("admin", "mgr", "manager")
    ledger.define_category("admin", "gift")
    ledger.define_period("admin", "P", 0, 2**62)
    ledger.define_tier("admin", "T")
    ids = [f"c{10_000_000 + i}" for i in range(customers)]
    for customer in ids:
        ledger.define_customer("admin", customer, "T")
    ledger.apply_allocation("alloc", "admin", "P", "gift", [(c, "T", 2**40) for c in ids])
    return ledger, ids


def rate(count, seconds):
    return count / seconds if seconds > 0 else float("inf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--singles", type=int, default=100_000)
    args = parser.parse_args()

    ledger, ids = build(args.customers)
    pick = random.Random(7)

    total, elapsed = 0, 0.0
    for b in range(args.batches):
        requests = [(f"b{b}-{i}", ids[pick.randrange(len(ids))], 100)
                    for i in range(args.batch)]
        start = time.perf_counter()
        result = ledger.reserve_batch("mgr", "P", "gift", requests)
        elapsed += time.perf_counter() - start
        assert not any(result.status) and not any(result.outcome), "a batch request failed"
        total += len(requests)
    batch_rate = rate(total, elapsed)

    handles = [ledger.resolve_envelope("P", c, "gift") for c in ids]
    total, elapsed = 0, 0.0
    for b in range(args.batches):
        requests = [(f"h{b}-{i}", handles[pick.randrange(len(handles))], 100)
                    for i in range(args.batch)]
        start = time.perf_counter()
        result = ledger.reserve_batch("mgr", "", "", requests)
        elapsed += time.perf_counter() - start
        assert not any(result.status) and not any(result.outcome), "a batch request failed"
        total += len(requests)
    handle_rate = rate(total, elapsed)

    total, elapsed = 0, 0.0
    for b in range(args.batches):
        op_ids = [f"c{b}-{i}" for i in range(args.batch)]
        customers = [ids[pick.randrange(len(ids))] for _ in range(args.batch)]
        amounts = array("q", [100]) * args.batch
        start = time.perf_counter()
        result = ledger.reserve_columns("mgr", "P", "gift", op_ids, customers, amounts)
        elapsed += time.perf_counter() - start
        assert not any(result.status) and not any(result.outcome), "a batch request failed"
        total += len(op_ids)
    columns_rate = rate(total, elapsed)

    singles = [(f"s{i}", ids[pick.randrange(len(ids))]) for i in range(args.singles)]
    start = time.perf_counter()
    for op_id, customer in singles:
        ledger.reserve(op_id, "mgr", "P", customer, "gift", 100, details=False)
    single_rate = rate(len(singles), time.perf_counter() - start)

    print(f"batch ({args.batch} per call): {batch_rate:,.0f} reservations/s")
    print(f"batch by envelope handle: {handle_rate:,.0f} reservations/s")
    print(f"columns held by the caller (Ledger.reserve_columns): {columns_rate:,.0f} reservations/s")
    print(f"single calls: {single_rate:,.0f} reservations/s")
    print(f"batch / single: {batch_rate / single_rate:.1f}x")


if __name__ == "__main__":
    main()

"""Durable books from Python, in a temporary directory."""

import pytest

import upkeep
from conftest import CONTROL

P = "2026-Q1"


def populate(book):
    book.define_category("admin", "gift")
    book.define_period("admin", P, 0, 4102444800000000)
    book.define_tier("admin", "A")
    book.define_actor("admin", "amy", "account_manager")
    book.define_customer("admin", "c1", "A", "amy", "north")
    book.apply_allocation("budget-1", "admin", P, "gift", [("c1", "A", 10000)])
    book.set_policies("admin", CONTROL)


def test_open_reopen_and_close(tmp_path):
    uri = f"sqlite:{tmp_path / 'book.db'}"
    book = upkeep.Book(uri, "CNY", fixed_time_micros=1)
    populate(book)
    book.reserve("r1", "amy", P, "c1", "gift", 2500)
    with pytest.raises(upkeep.Busy):
        upkeep.Book(uri, "CNY")
    book.verify()
    assert book.snapshot() == book.journal_size()
    state = book.dump_state()
    book.close()
    book.close()  # twice: nothing
    with pytest.raises(upkeep.CurrencyMismatch):
        upkeep.Book(uri, "USD")
    with upkeep.Book(uri, "CNY", durability="group_commit", create_if_missing=False) as again:
        assert again.dump_state() == state
        again.reserve("r2", "amy", P, "c1", "gift", 500)
        again.commit()
        again.attach_monitoring()  # replays the book's whole journal
        assert again.metrics((P, "customer", "c1", "gift"), 2051222400000000)[
            "reserved_minor"] == 3000
    third = upkeep.Book(uri, "CNY")
    assert third.balance(P, "customer", "c1", "gift")["reserved_minor"] == 3000
    del third  # collected: closed quietly, the writer lock released
    assert upkeep.Book(uri, "CNY").journal_size() > 5


def test_open_errors(tmp_path):
    with pytest.raises(upkeep.NotFound):
        upkeep.Book(str(tmp_path / "missing.db"), "CNY", create_if_missing=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just some bytes that are long enough" * 2)
    with pytest.raises(upkeep.Corrupt):
        upkeep.Book(str(junk), "CNY")
    with pytest.raises(upkeep.InvalidArgument):
        upkeep.Book("ftp://example/book", "CNY")
    with pytest.raises(upkeep.InvalidArgument):
        upkeep.Book(str(tmp_path / "b.db"), "CNY", group_events_max=0)
    with pytest.raises(ValueError):
        upkeep.Book(str(tmp_path / "b.db"), "CNY", durability="sometimes")
    with pytest.raises(upkeep.InvalidUtf8):
        upkeep.Book(b"/tmp/\xfe", "CNY")
    with pytest.raises(upkeep.InvalidArgument):
        upkeep.Book(f"{tmp_path}/b\0.db", "CNY")
    with pytest.raises(upkeep.UnknownCurrency):
        upkeep.Book("memory:", "XXQ")


def test_memory_book_and_plain_ledgers(ledger):
    with upkeep.Book("memory:", "CNY") as book:
        populate(book)
        book.commit()
        assert book.snapshot() > 0
    with pytest.raises(upkeep.InvalidArgument, match="not a book"):
        upkeep.Book.commit(ledger)

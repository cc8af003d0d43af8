// Book.cs: a durable book: a Ledger journaling into a store opened by URI ("sqlite:/path/book.db",
// a path, or "memory:"; docs/store.md), reopened in the state of its last durable operation.
//
//   using (Book book = Book.Open("sqlite:/var/lib/upkeep/book.db", "CNY")) {
//     book.Ledger.Reserve(...);  // SyncEachCommit: durable when it returns
//     book.Close();              // commits, and throws if that failed
//   }
//
// Dispose (or the finalizer) closes quietly; Close reports a failed final commit. Either way
// the Ledger is unusable afterwards (ObjectDisposedException).
using System;
using Upkeep.Interop;

namespace Upkeep {

  public enum Durability { SyncEachCommit = 0, GroupCommit = 1 }

  public sealed class BookOptions {
    public Durability Durability = Durability.SyncEachCommit;
    public bool CreateIfMissing = true;          // false: NotFoundException for a missing book
    public ulong SnapshotEveryEvents = 1000000;  // 0: only on Snapshot()
    public uint GroupEventsMax = 4096;           // group commit: commit on its own after this many
    public Registry Registry;                    // custom control policies the journal names
    public string BootstrapAdmin = "admin";      // a new book's first admin
    public long FixedTimeMicros;                 // 0: the system clock
    public bool RefundReturnsToBudget = true;    // the default refund policy
  }

  public sealed class Book : IDisposable {
    private Book(Ledger ledger) {
      Ledger = ledger;
    }

    // The book's ledger: every Ledger call works on it.
    public Ledger Ledger { get; private set; }

    // Opens (or creates) the book at uri. An existing book must be opened in its own currency
    // (CurrencyMismatchException); a second writer gets BusyException; a damaged book
    // CorruptException naming the first damage.
    public static Book Open(string uri, string currency, BookOptions options = null) {
      options = options ?? new BookOptions();
      using (var t = new Utf8Scope()) {
        var o = new BookOptionsC {
          Size = Sizes.BookOptions,
          Ledger = Ledger.Options(t, currency, options.FixedTimeMicros, options.BootstrapAdmin,
                                  options.RefundReturnsToBudget),
          Durability = (int)options.Durability,
          GroupEventsMax = options.GroupEventsMax,
          CreateIfMissing = options.CreateIfMissing ? 1 : 0,
          SnapshotEveryEvents = options.SnapshotEveryEvents,
          Registry = Registry.HandleOf(options.Registry).DangerousGetHandle()
        };
        LedgerHandle handle;
        int status = Native.upk_book_open(out handle, t.S(uri), ref o);
        GC.KeepAlive(options.Registry);
        Status.Check(status);
        return new Book(new Ledger(handle, currency));
      }
    }

    // Makes every operation so far durable (group commit); reports a failed background snapshot.
    public void Commit() {
      Status.Check(Native.upk_book_commit(Ledger.Handle));
    }
    // Writes a snapshot now; returns the number of journal entries it covers.
    public ulong Snapshot() {
      ulong covered;
      Status.Check(Native.upk_book_snapshot(out covered, Ledger.Handle));
      return covered;
    }
    // Checks the whole journal's hash chain and every snapshot (CorruptException names the first
    // damage).
    public void Verify() {
      Status.Check(Native.upk_book_verify(Ledger.Handle));
    }
    // Commits and closes; throws if the final commit failed (closed either way). Twice: nothing.
    public void Close() {
      Status.Check(Ledger.Handle.CloseBook());
    }
    public void Dispose() {
      Ledger.Dispose();
    }
  }

}  // namespace Upkeep

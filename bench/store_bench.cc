// Store benchmarks: durable reserve+post on a SQLite book, and reopening a large book.
//
//   BM_DurableReserve/group: a reserve and its post (one item, two journal events) on a book of
//       100,000 envelopes, pipelined group commit: after every 1,000 items StartCommit() ends
//       the batch and AwaitDurable() waits for the one before it (the host acknowledges batch k
//       while batch k + 1 is applied; one batch syncs while the next is applied).
//   BM_DurableReserve/group_depth8: the same with up to 8 batches in flight (a host with
//       several request queues): the writer puts every batch sealed while it syncs into its next
//       transaction, so a slow fsync is shared by more items.
//   BM_DurableReserve/group_blocking: the same with Commit() (wait for the batch) every 1,000.
//   BM_DurableReserve/memory: the same items on a "memory:" book (nothing durable): what the
//       ledger alone costs for this workload, the ceiling of the durable figures.
//   BM_DurableReserve/sync:  the same with a sync per operation (kSyncEachCommit, the default).
//   BM_Reopen/snapshot:      Book::Open of a book with 10,000,000 journaled events and a
//       snapshot near the end (loads it, replays the tail, checks the tail's chain).
//   BM_Reopen/replay:        rebuilding the same ledger from the whole journal (every event
//       decoded, chain-checked and applied), what opening costs with no snapshot.
//   BM_FlushLatency:         this machine's sync: append 4 KiB and fdatasync, in a loop; the
//       counter items_per_commit_bound is 1,000 items per sync, the most /group can reach.
// Counters: bytes of file per journal event (book.db + WAL) and per item.
// The 10M-event book is generated once into /tmp/upkeep-bench-10m.db (UPKEEP_BENCH_BIG_BOOK
// names another file) and reused; delete it to regenerate. ctest does not run benchmarks.
//
//   upkeep_bench --benchmark_filter='BM_DurableReserve|BM_FlushLatency|BM_Reopen'
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "upkeep/currency.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"
#include "upkeep/status.h"
#include "upkeep/store.h"

namespace upkeep::store {
namespace {

constexpr int kCustomers = 100'000;
constexpr int kItemsPerCommit = 1'000;
constexpr int64_t kBigBookEvents = 10'000'000;

std::string BigBook() {
  const char* path = std::getenv("UPKEEP_BENCH_BIG_BOOK");
  return path != nullptr ? path : "/tmp/upkeep-bench-10m.db";
}

void Must(const absl::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::abort();
  }
}

int64_t FileBytes(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 ? static_cast<int64_t>(info.st_size) : 0;
}

BookOptions BenchOptions(Durability durability) {
  BookOptions options;
  options.store.durability = durability;
  options.store.group_events_max = 1u << 30;  // only the explicit commits
  options.ledger.currency = Currency::FromCode("CNY").value();
  options.snapshot_every_events = 0;
  return options;
}

// Defines the actors, period, category and kCustomers envelopes with large budgets.
void Setup(Book& book) {
  ledger::Ledger& ledger = book.ledger();
  Must(ledger.DefineActor("admin", {"fin", ledger::Role::kFinance}));
  Must(ledger.DefineActor("admin", {"mgr", ledger::Role::kManager}));
  Must(ledger.DefineCategory("admin", "gift"));
  Must(ledger.DefinePeriod("fin", {"2025-Q1", 0, INT64_MAX}));
  Must(ledger.DefineTier("admin", "T"));
  ledger::AllocationRequest allocation{
      .op_id = "alloc", .actor = "fin", .period = "2025-Q1", .category = "gift"};
  for (int i = 0; i < kCustomers; ++i) {
    const std::string id = absl::StrCat("c", i);
    Must(ledger.DefineCustomer("admin", {id, "T", "", ""}));
    allocation.envelopes.push_back({id, "T", int64_t{1} << 40});
  }
  Must(ledger.ApplyAllocation(allocation));
  Must(book.Commit());
}

// One item: reserve 1.00 on a customer, then post it.
void ReserveAndPost(ledger::Ledger& ledger, uint64_t n) {
  static const Currency cny = Currency::FromCode("CNY").value();
  const std::string reserve_id = absl::StrCat("r", n);
  const std::string customer = absl::StrCat("c", n % kCustomers);
  absl::StatusOr<ledger::Result> r = ledger.Reserve({.op_id = reserve_id,
                                                     .actor = "mgr",
                                                     .period = "2025-Q1",
                                                     .customer = customer,
                                                     .category = "gift",
                                                     .amount = Money::FromMinor(100, cny)});
  Must(r.status());
  Must(ledger.Post({.op_id = absl::StrCat("p", n), .actor = "mgr", .reservation_id = reserve_id}));
}

// BM_DurableReserve's commit modes.
enum CommitMode : int64_t {
  kSyncEach = 0,
  kPipelined = 1,
  kBlocking = 2,
  kMemory = 3,
  kPipelined8 = 4
};

void BM_DurableReserve(benchmark::State& state) {
  const CommitMode mode = static_cast<CommitMode>(state.range(0));
  const bool group = mode != kSyncEach;
  const std::string path =
      mode == kMemory ? "memory:" : absl::StrCat("/tmp/upkeep-bench-durable-", mode, ".db");
  for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::remove((path + suffix).c_str());
  const BookOptions options =
      BenchOptions(group ? Durability::kGroupCommit : Durability::kSyncEachCommit);
  std::unique_ptr<Book> book = Book::Open(path, BenchOptions(Durability::kGroupCommit)).value();
  Setup(*book);  // in group commit either way: 200,000 definitions
  const bool durable = mode != kMemory;
  if (durable) {
    Must(book->Close());
    book.reset();  // closing checkpoints the WAL into the file: measure from here
  }
  const int64_t bytes_before = FileBytes(path);
  if (durable) book = Book::Open(path, options).value();
  const uint64_t events_before = book->store().size();
  uint64_t n = 0;
  const size_t depth = mode == kPipelined8 ? 8 : 1;  // batches in flight, not yet acknowledged
  std::deque<uint64_t> in_flight;
  for (auto _ : state) {
    ReserveAndPost(book->ledger(), n++);
    if (!group || n % kItemsPerCommit != 0) continue;
    if (mode == kBlocking) {
      Must(book->Commit());
      continue;
    }
    in_flight.push_back(book->StartCommit());
    if (in_flight.size() > depth) {
      Must(book->AwaitDurable(in_flight.front()));  // acknowledge the oldest batch
      in_flight.pop_front();
    }
  }
  Must(book->Commit());
  const uint64_t events = book->store().size() - events_before;
  Must(book->Close());
  book.reset();  // checkpoints the WAL into the file
  const int64_t bytes = FileBytes(path) - bytes_before;
  state.SetItemsProcessed(static_cast<int64_t>(n));
  if (!durable) return;
  state.counters["bytes_per_event"] = static_cast<double>(bytes) / static_cast<double>(events);
  state.counters["bytes_per_item"] = static_cast<double>(bytes) / static_cast<double>(n);
  for (const char* suffix : {"", "-wal", "-shm", "-lock"}) std::remove((path + suffix).c_str());
}
BENCHMARK(BM_DurableReserve)
    ->Arg(kPipelined)
    ->ArgName("group")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DurableReserve)
    ->Arg(kPipelined8)
    ->ArgName("group_depth8")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DurableReserve)
    ->Arg(kBlocking)
    ->ArgName("group_blocking")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DurableReserve)
    ->Arg(kMemory)
    ->ArgName("memory")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DurableReserve)
    ->Arg(kSyncEach)
    ->ArgName("sync")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond)
    ->MinTime(2.0);

// Baseline for this machine, measured in the same run: appending one 4 KiB page to a file
// beside the benchmark books and waiting for fdatasync, what a commit's sync costs at least.
// With one batch in flight (BM_DurableReserve/group) a commit of kItemsPerCommit items waits
// for one such sync, so that figure cannot pass kItemsPerCommit per sync.
void BM_FlushLatency(benchmark::State& state) {
  const std::string path = "/tmp/upkeep-bench-flush";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    state.SkipWithError("cannot create /tmp/upkeep-bench-flush");
    return;
  }
  const std::string page(4096, 'x');
  for (auto _ : state) {
    if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size()) ||
        ::fdatasync(fd) != 0) {
      state.SkipWithError("write or fdatasync failed");
      break;
    }
  }
  ::close(fd);
  std::remove(path.c_str());
  state.SetItemsProcessed(state.iterations());
  state.counters["items_per_commit_bound"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kItemsPerCommit, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FlushLatency)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);

// The 10M-event book: setup, then reserve+post items in group commits, a snapshot 100,000
// events before the end.
void EnsureBigBook() {
  BookOptions options = BenchOptions(Durability::kGroupCommit);
  options.store.create_if_missing = false;
  {
    absl::StatusOr<std::unique_ptr<Book>> existing = Book::Open(BigBook(), options);
    if (existing.ok() && (*existing)->store().size() >= kBigBookEvents) return;
    // Regenerate only a missing or short book, never one another process has open.
    if (!existing.ok() && ErrorCodeOf(existing.status()) != ErrorCode::kNotFound) {
      Must(existing.status());
    }
  }
  for (const char* suffix : {"", "-wal", "-shm", "-lock"}) {
    std::remove((BigBook() + suffix).c_str());
  }
  std::unique_ptr<Book> book =
      Book::Open(BigBook(), BenchOptions(Durability::kGroupCommit)).value();
  Setup(*book);
  bool snapshotted = false;
  for (uint64_t n = 0; book->store().size() < kBigBookEvents; ++n) {
    ReserveAndPost(book->ledger(), n);
    if (n % kItemsPerCommit == 0) Must(book->Commit());
    if (!snapshotted && book->store().size() >= kBigBookEvents - 100'000) {
      Must(book->Snapshot().status());
      snapshotted = true;
    }
  }
  Must(book->Close());
}

void BM_Reopen(benchmark::State& state) {
  const bool from_snapshot = state.range(0) == 1;
  EnsureBigBook();
  uint64_t events = 0;
  for (auto _ : state) {
    if (from_snapshot) {
      std::unique_ptr<Book> book =
          Book::Open(BigBook(), BenchOptions(Durability::kGroupCommit)).value();
      events = book->store().size();
    } else {
      std::unique_ptr<Store> store = OpenStore(BigBook(), {}).value();
      ledger::MemoryJournal scratch;
      std::unique_ptr<ledger::Ledger> ledger =
          ledger::Ledger::Replay(
              *store, {.currency = Currency::FromCode("CNY").value(), .journal = &scratch})
              .value();
      events = store->size();
    }
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["file_bytes_per_event"] =
      static_cast<double>(FileBytes(BigBook())) / static_cast<double>(events);
}
BENCHMARK(BM_Reopen)->Arg(1)->ArgName("snapshot")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Reopen)->Arg(0)->ArgName("replay")->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace upkeep::store

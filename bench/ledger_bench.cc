// Ledger benchmarks: authorization against 1,000,000 customer envelopes.
//
//   BM_Reserve: a reserve followed by its full post (one item), 3 scopes on the path (envelope,
//               tier, company), with the idempotency check and the journal append of both.
//   BM_ReserveHandle: the same with the envelope resolved ahead (Ledger::ResolveEnvelope).
//   BM_ReserveBatch: the same pairs through ReserveBatch / PostBatch, 1,000 per batch.
//   BM_ReserveHot: the same pairs on one customer: the cost without the request's cache misses.
//   BM_ReserveWithAlerts: BM_Reserve with an observer that evaluates a low-budget alert rule on
//               every changed scope (what monitoring does); should stay within 20 % of it.
//   BM_Check:   a dry-run check of a reserve (no change).
//   BM_CheckBatch: the same checks, 1,000 in one CheckBatch.
//   BM_CheckHot: the same check on one customer: the cost without cache misses.
//   BM_DependentMissBaseline: one random read from 128 MiB, this machine's cost of a miss.
//   BM_CoreToCoreBaseline: a cache line handed between two cores, what two threads taking
//               turns at a ledger pay for each line both write.
//   BM_SharedMutexLockPair / BM_StdSharedMutexBaseline: one lock + unlock of the ledger's lock,
//               uncontended, and of std::shared_mutex (glibc's reader/writer lock).
//   BM_WriterWaitBetweenReaderTurns / BM_StdWriterWaitBaseline: a writer's wait for the lock
//               while a reader takes it in turns (a long check batch), and with std::shared_mutex.
//   BM_JournalSeal: SHA-256 chaining of journaled events (per event), paid at seal time.
//   BM_EncodeEvent / BM_DecodeEvent: the journal's binary form of one reserve event (appended
//               to a reused buffer / parsed into a new Event), what each append and replay pays.
// The customer of each request is picked at random and its name built on the spot
// (CustomerName), as a caller that has its request at hand would pass it.
// Counters: bytes per envelope (ledger state added by the allocation), and per operation (each
// reserve or post is one operation and one journaled event) since the allocation: ledger state
// and memory journal.
//
//   upkeep_bench --benchmark_filter='BM_Reserve|BM_Check|BM_DependentMiss'
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "upkeep/currency.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"
#include "upkeep/shared_mutex.h"

namespace upkeep::ledger {
namespace {

constexpr int kCustomers = 1'000'000;
// Customer i is named "c" and then kFirstCustomerNumber + i (eight digits).
constexpr int kFirstCustomerNumber = 10'000'000;
constexpr int kTiers = 4;

struct Book {
  Currency cny = Currency::FromCode("CNY").value();
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger;
  std::vector<std::string> customers;
  std::vector<EnvelopeHandle> handles;
  size_t bytes_per_envelope = 0;
  size_t ledger_bytes_after_allocation = 0;
  size_t journal_bytes_after_allocation = 0;
  uint64_t events_after_allocation = 0;

  Book() {
    ledger = Ledger::Create({.currency = cny, .journal = &journal}).value();
    Must(ledger->DefineActor("admin", {"fin", Role::kFinance}));
    Must(ledger->DefineActor("admin", {"mgr", Role::kManager}));
    Must(ledger->DefineCategory("admin", "gift"));
    Must(ledger->DefinePeriod("fin", {"2025-Q1", 0, INT64_MAX}));
    for (int t = 0; t < kTiers; ++t) Must(ledger->DefineTier("admin", absl::StrCat("T", t)));
    AllocationRequest allocation{
        .op_id = "alloc", .actor = "fin", .period = "2025-Q1", .category = "gift"};
    customers.reserve(kCustomers);
    allocation.envelopes.reserve(kCustomers);
    for (int i = 0; i < kCustomers; ++i) {
      customers.push_back(absl::StrCat("c", kFirstCustomerNumber + i));
      const std::string tier = absl::StrCat("T", i % kTiers);
      Must(ledger->DefineCustomer("admin", {customers.back(), tier, "", ""}));
      allocation.envelopes.push_back({customers.back(), tier, int64_t{1} << 40});
    }
    const size_t before = ledger->MemoryBytes();
    Must(ledger->ApplyAllocation(allocation));
    bytes_per_envelope = (ledger->MemoryBytes() - before) / kCustomers;
    ledger_bytes_after_allocation = ledger->MemoryBytes();
    journal_bytes_after_allocation = journal.MemoryBytes();
    events_after_allocation = journal.size();
    handles.reserve(kCustomers);
    for (const std::string& customer : customers) {
      handles.push_back(ledger->ResolveEnvelope("2025-Q1", customer, "gift").value());
    }
  }
  static void Must(const absl::Status& status) {
    if (!status.ok()) std::abort();
  }
};

Book& TheBook() {
  static Book* book = new Book();
  return *book;
}

// Writes "<prefix><n>" into `out` without allocating (the ids fit the small-string buffer).
void MakeId(char prefix, int thread, uint64_t n, std::string* out) {
  char buffer[32];
  buffer[0] = prefix;
  buffer[1] = static_cast<char>('a' + thread);
  char* end = std::to_chars(buffer + 2, buffer + sizeof(buffer), n).ptr;
  out->assign(buffer, end);
}

// The name of customer `i` (as Book defines it), written into `buffer`: a caller has its request
// at hand, so the benchmarks that ask by name build it rather than read it from a 32 MB table
// (a cache miss that is the caller's, not the ledger's).
std::string_view CustomerName(size_t i, char (&buffer)[16]) {
  buffer[0] = 'c';
  const char* end =
      std::to_chars(buffer + 1, buffer + sizeof(buffer), kFirstCustomerNumber + static_cast<int>(i))
          .ptr;
  return std::string_view(buffer, static_cast<size_t>(end - buffer));
}

uint64_t NextRandom(uint64_t* x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

// A monitoring-like observer: a low-budget alert on every changed scope (available < 10 %).
class LowBudgetAlerts final : public LedgerObserver {
 public:
  void OnApplied(const Event& /*event*/, std::span<const ScopeChange> changed) override {
    for (const ScopeChange& change : changed) {
      if (change.balance.available_minor * 10 < change.balance.budget_minor) ++raised_;
    }
  }
  uint64_t raised() const { return raised_; }

 private:
  uint64_t raised_ = 0;
};

enum class Mode { kNames, kHandle, kAlerts, kHot };

void ReserveLoop(benchmark::State& state, Mode mode) {
  Book& book = TheBook();
  static LowBudgetAlerts* alerts = nullptr;
  if (mode == Mode::kAlerts && state.thread_index() == 0 && alerts == nullptr) {
    alerts = new LowBudgetAlerts();
    book.ledger->AddObserver(alerts);
  }
  static std::atomic<uint64_t> run{0};
  const uint64_t base = run.fetch_add(1) << 40;  // ids unique across runs and threads
  uint64_t random = uint64_t{0x9E3779B97F4A7C15} + static_cast<uint64_t>(state.thread_index());
  std::string reserve_id, post_id;
  char name[16];
  uint64_t n = base;
  for (auto _ : state) {
    const auto pick =
        mode == Mode::kHot ? 0 : static_cast<size_t>(NextRandom(&random) % uint64_t{kCustomers});
    MakeId('r', state.thread_index(), n, &reserve_id);
    MakeId('p', state.thread_index(), n, &post_id);
    ++n;
    absl::StatusOr<Result> r =
        mode == Mode::kHandle ? book.ledger->Reserve({.op_id = reserve_id,
                                                      .actor = "mgr",
                                                      .envelope = book.handles[pick],
                                                      .amount = Money::FromMinor(100, book.cny)})
                              : book.ledger->Reserve({.op_id = reserve_id,
                                                      .actor = "mgr",
                                                      .period = "2025-Q1",
                                                      .customer = CustomerName(pick, name),
                                                      .category = "gift",
                                                      .amount = Money::FromMinor(100, book.cny)});
    absl::Status p =
        book.ledger->Post({.op_id = post_id, .actor = "mgr", .reservation_id = reserve_id});
    if (!r.ok() || r->decision.outcome != Outcome::kApprove || !p.ok()) {
      state.SkipWithError("reserve or post failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0 && state.iterations() > 0) {
    // Since the allocation, over every reserve and post so far (capacity slack averages out).
    const double events = static_cast<double>(book.journal.size() - book.events_after_allocation);
    state.counters["bytes_per_envelope"] = static_cast<double>(book.bytes_per_envelope);
    state.counters["ledger_bytes_per_op"] =
        static_cast<double>(book.ledger->MemoryBytes() - book.ledger_bytes_after_allocation) /
        events;
    state.counters["journal_bytes_per_event"] =
        static_cast<double>(book.journal.MemoryBytes() - book.journal_bytes_after_allocation) /
        events;
  }
}

// Reserves of random customers by name in batches of state.range(0), then their posts in one
// batch (Ledger::ReserveBatch / PostBatch): one lock per batch, later requests' memory loaded
// while one is decided. Items are reserve + post pairs, as in BM_Reserve.
void BM_ReserveBatch(benchmark::State& state) {
  Book& book = TheBook();
  const auto batch = static_cast<size_t>(state.range(0));
  static std::atomic<uint64_t> run{0};
  uint64_t n = (run.fetch_add(1) + 1000) << 40;
  uint64_t random = uint64_t{0x2545F4914F6CDD1D} + static_cast<uint64_t>(state.thread_index());
  std::vector<std::string> reserve_ids(batch), post_ids(batch);
  struct NameBuffer {
    char bytes[16];
  };
  std::vector<NameBuffer> names(batch);
  std::vector<Request> reserves(batch);
  std::vector<PostRequest> posts(batch);
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i, ++n) {
      MakeId('R', state.thread_index(), n, &reserve_ids[i]);
      MakeId('P', state.thread_index(), n, &post_ids[i]);
      const auto pick = static_cast<size_t>(NextRandom(&random) % uint64_t{kCustomers});
      reserves[i] = {.op_id = reserve_ids[i],
                     .actor = "mgr",
                     .period = "2025-Q1",
                     .customer = CustomerName(pick, names[i].bytes),
                     .category = "gift",
                     .amount = Money::FromMinor(100, book.cny)};
      posts[i] = {.op_id = post_ids[i], .actor = "mgr", .reservation_id = reserve_ids[i]};
    }
    const std::vector<absl::StatusOr<Result>> reserved = book.ledger->ReserveBatch(reserves);
    const std::vector<absl::Status> posted = book.ledger->PostBatch(posts);
    if (!reserved.back().ok() || !posted.back().ok()) {
      state.SkipWithError("reserve or post failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_ReserveBatch)->Arg(1000)->Threads(1)->Threads(2)->UseRealTime();

void BM_Reserve(benchmark::State& state) { ReserveLoop(state, Mode::kNames); }
BENCHMARK(BM_Reserve)->Threads(1)->Threads(2)->UseRealTime();

void BM_ReserveHandle(benchmark::State& state) { ReserveLoop(state, Mode::kHandle); }
BENCHMARK(BM_ReserveHandle)->Threads(1)->Threads(2)->UseRealTime();

// The same pairs on one customer: the cost without the request's cache misses (the new ops and
// events still take fresh memory).
void BM_ReserveHot(benchmark::State& state) { ReserveLoop(state, Mode::kHot); }
BENCHMARK(BM_ReserveHot)->Threads(1)->UseRealTime();

// Runs last among the reserve benchmarks: the observer stays registered afterwards.
void BM_ReserveWithAlerts(benchmark::State& state) { ReserveLoop(state, Mode::kAlerts); }
BENCHMARK(BM_ReserveWithAlerts)->Threads(1)->UseRealTime();

void BM_Check(benchmark::State& state) {
  Book& book = TheBook();
  uint64_t random = uint64_t{0xD1B54A32D192ED03} + static_cast<uint64_t>(state.thread_index());
  char name[16];
  for (auto _ : state) {
    const std::string_view customer =
        CustomerName(static_cast<size_t>(NextRandom(&random) % uint64_t{kCustomers}), name);
    absl::StatusOr<Result> r = book.ledger->Check({.op_id = "check",
                                                   .actor = "mgr",
                                                   .period = "2025-Q1",
                                                   .customer = customer,
                                                   .category = "gift",
                                                   .amount = Money::FromMinor(100, book.cny)});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Check)->Threads(1)->Threads(2)->UseRealTime();

void BM_CheckHandle(benchmark::State& state) {
  Book& book = TheBook();
  uint64_t random = uint64_t{0xD1B54A32D192ED03} + static_cast<uint64_t>(state.thread_index());
  for (auto _ : state) {
    const EnvelopeHandle handle =
        book.handles[static_cast<size_t>(NextRandom(&random) % uint64_t{kCustomers})];
    absl::StatusOr<Result> r = book.ledger->Check({.op_id = "check",
                                                   .actor = "mgr",
                                                   .envelope = handle,
                                                   .amount = Money::FromMinor(100, book.cny)});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckHandle)->Threads(1)->Threads(2)->UseRealTime();

// Checks of 1,000 random customers in one CheckBatch: the misses of the next requests are
// loaded while one is decided.
void BM_CheckBatch(benchmark::State& state) {
  Book& book = TheBook();
  const auto batch = static_cast<size_t>(state.range(0));
  uint64_t random = uint64_t{0xD1B54A32D192ED03} + static_cast<uint64_t>(state.thread_index());
  struct NameBuffer {
    char bytes[16];
  };
  std::vector<NameBuffer> names(batch);
  std::vector<Request> checks(batch);
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i) {
      const auto pick = static_cast<size_t>(NextRandom(&random) % uint64_t{kCustomers});
      checks[i] = {.op_id = "check",
                   .actor = "mgr",
                   .period = "2025-Q1",
                   .customer = CustomerName(pick, names[i].bytes),
                   .category = "gift",
                   .amount = Money::FromMinor(100, book.cny)};
    }
    const std::vector<absl::StatusOr<Result>> checked = book.ledger->CheckBatch(checks);
    if (!checked.back().ok()) {
      state.SkipWithError("check failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_CheckBatch)->Arg(1000)->Threads(1)->Threads(2)->UseRealTime();

// The same check on one customer again and again: the cost without cache misses.
void BM_CheckHot(benchmark::State& state) {
  Book& book = TheBook();
  for (auto _ : state) {
    absl::StatusOr<Result> r = book.ledger->Check({.op_id = "check",
                                                   .actor = "mgr",
                                                   .period = "2025-Q1",
                                                   .customer = book.customers[0],
                                                   .category = "gift",
                                                   .amount = Money::FromMinor(100, book.cny)});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckHot);

// Baseline for this machine, measured in the same run: one dependent random read from 128 MiB
// (a cache and TLB miss), as in a hash lookup among 1,000,000 envelopes.
void BM_DependentMissBaseline(benchmark::State& state) {
  const size_t n = size_t{1} << 24;
  static const std::vector<uint64_t>* table = [n] {
    auto* t = new std::vector<uint64_t>(n);
    for (size_t i = 0; i < n; ++i) (*t)[i] = i;
    uint64_t x = 1;
    for (size_t i = n - 1; i > 0; --i) {  // Sattolo: one cycle through every slot
      std::swap((*t)[i], (*t)[NextRandom(&x) % i]);
    }
    return t;
  }();
  uint64_t at = 1;
  for (auto _ : state) {
    at = (*table)[at];
    benchmark::DoNotOptimize(at);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DependentMissBaseline);

// Baseline for this machine: one cache line handed from one core to the other and back (two
// threads taking turns at one flag), what every line that two threads both write costs each
// time they take turns. Its time is per turn (one hand-over).
void BM_CoreToCoreBaseline(benchmark::State& state) {
  alignas(64) static std::atomic<int64_t> turn{0};
  const int64_t me = state.thread_index();
  if (me == 0) turn = 0;
  int64_t next = me;  // thread 0 takes turns 0, 2, 4, ...; thread 1 turns 1, 3, 5, ...
  for (auto _ : state) {
    while (turn.load(std::memory_order_acquire) != next) {
    }
    turn.store(next + 1, std::memory_order_release);
    next += 2;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CoreToCoreBaseline)->Threads(2)->UseRealTime();

// SharedMutex under the standard names, for the templates below that also take std::shared_mutex.
struct StdNamedSharedMutex {
  SharedMutex mu;
  void lock() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu.Lock(); }
  void unlock() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu.Unlock(); }
  void lock_shared() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu.ReaderLock(); }
  void unlock_shared() ABSL_NO_THREAD_SAFETY_ANALYSIS { mu.ReaderUnlock(); }
};

// One exclusive lock and unlock of the ledger's lock (upkeep::SharedMutex), nobody else
// waiting, as every reserve, spend and post takes it (and the SQLite store's append its open
// batch's); BM_StdSharedMutexBaseline: the same with std::shared_mutex, what it was before.
template <typename Mutex>
void LockPairs(benchmark::State& state, Mutex& mu) {
  int64_t held = 0;
  for (auto _ : state) {
    mu.lock();
    benchmark::DoNotOptimize(++held);
    mu.unlock();
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_SharedMutexLockPair(benchmark::State& state) {
  StdNamedSharedMutex mu;
  LockPairs(state, mu);
}
BENCHMARK(BM_SharedMutexLockPair);
void BM_StdSharedMutexBaseline(benchmark::State& state) {
  std::shared_mutex mu;
  LockPairs(state, mu);
}
BENCHMARK(BM_StdSharedMutexBaseline);

// How long a writer waits for the ledger's lock while another thread takes it shared in turns
// of 0.16 ms, 64 of them, giving it up between turns (a long check batch, Ledger::CheckBatch):
// the writer should get in between two turns, not after the last. Its time is the writer's
// wait; BM_StdWriterWaitBaseline: the same with std::shared_mutex.
template <typename Mutex>
void WriterWaits(benchmark::State& state, Mutex& mu) {
  using Clock = std::chrono::steady_clock;
  for (auto _ : state) {
    std::atomic<bool> reading{false};
    std::thread reader([&] {
      for (int turn = 0; turn < 64; ++turn) {
        mu.lock_shared();
        reading.store(true, std::memory_order_release);
        const Clock::time_point end = Clock::now() + std::chrono::microseconds(160);
        while (Clock::now() < end) {
        }
        mu.unlock_shared();
      }
    });
    while (!reading.load(std::memory_order_acquire)) std::this_thread::yield();
    const Clock::time_point start = Clock::now();
    mu.lock();
    const Clock::time_point in = Clock::now();
    mu.unlock();
    reader.join();
    state.SetIterationTime(std::chrono::duration<double>(in - start).count());
  }
}
void BM_WriterWaitBetweenReaderTurns(benchmark::State& state) {
  StdNamedSharedMutex mu;
  WriterWaits(state, mu);
}
BENCHMARK(BM_WriterWaitBetweenReaderTurns)
    ->UseManualTime()
    ->Iterations(15)
    ->Unit(benchmark::kMillisecond);
void BM_StdWriterWaitBaseline(benchmark::State& state) {
  std::shared_mutex mu;
  WriterWaits(state, mu);
}
BENCHMARK(BM_StdWriterWaitBaseline)->UseManualTime()->Iterations(15)->Unit(benchmark::kMillisecond);

void BM_JournalSeal(benchmark::State& state) {
  Book& book = TheBook();
  for (auto _ : state) {
    state.PauseTiming();
    MemoryJournal journal;
    uint64_t seq = 0;
    Event event{.kind = EventKind::kReserved,
                .actor = "mgr",
                .op_id = "ra123456789",
                .scope = {.period = "2025-Q1",
                          .kind = ScopeKind::kCustomer,
                          .key = book.customers[0],
                          .category = "gift"},
                .amount_minor = 100};
    for (int i = 0; i < 10000; ++i) {
      event.seq = seq++;
      (void)journal.Append(event);
    }
    state.ResumeTiming();
    benchmark::DoNotOptimize(journal.Seal());
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}
BENCHMARK(BM_JournalSeal);

// A reserve as the ledger journals it: a large seq and time, ids of realistic length.
Event JournaledReserve() {
  return Event{.seq = 1'234'567,
               .time_micros = 1'735'689'600'000'000,
               .kind = EventKind::kReserved,
               .actor = "mgr",
               .op_id = "r-c10012345-000042",
               .scope = {.period = "2025-Q1",
                         .kind = ScopeKind::kCustomer,
                         .key = "c10012345",
                         .category = "gift"},
               .amount_minor = 12'345,
               .expiry_micros = 1'735'776'000'000'000};
}

void BM_EncodeEvent(benchmark::State& state) {
  const Event event = JournaledReserve();
  std::string bytes;
  for (auto _ : state) {
    bytes.clear();
    EncodeEvent(event, &bytes);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeEvent);

void BM_DecodeEvent(benchmark::State& state) {
  std::string bytes;
  EncodeEvent(JournaledReserve(), &bytes);
  for (auto _ : state) {
    absl::StatusOr<Event> event = DecodeEvent(bytes);
    benchmark::DoNotOptimize(event);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeEvent);

}  // namespace
}  // namespace upkeep::ledger

// C API benchmarks: the cost of crossing libupkeep.so's boundary on the hot path, next to the
// ledger's own BM_Reserve in the same program (the same book: 1,000,000 customer envelopes,
// 4 tiers, the same ids, customers and amounts).
//
//   BM_CapiReserve:      upk_ledger_reserve + upk_ledger_post, one call each (C strings checked,
//                        the request converted, the result filled).
//   BM_CapiReserveHandle: the same with upk_request.envelope (upk_ledger_resolve_envelope), next
//                        to the ledger's BM_ReserveHandle.
//   BM_CapiReserveBatch: upk_ledger_reserve_batch of range(0) requests, then a post each;
//                        items are reserve+post pairs, like BM_Reserve's.
// The bound: BM_CapiReserve within 10 % of BM_Reserve, measured in the same run:
//
//   upkeep_bench --benchmark_repetitions=3
//       --benchmark_filter='BM_Reserve(Handle)?/real_time/threads:1$|BM_CapiReserve'
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "upkeep/upkeep.h"

namespace {

constexpr int kCustomers = 1'000'000;
constexpr int kTiers = 4;

void Must(upk_status status) {
  if (status != UPK_OK) std::abort();
}

upk_str Str(const std::string& s) { return upk_str{s.data(), s.size()}; }

// The ledger of ledger_bench.cc's Book, built through the C API.
struct CBook {
  upk_ledger* ledger = nullptr;
  std::vector<std::string> customers;
  std::vector<uint32_t> handles;  // upk_ledger_resolve_envelope, per customer

  CBook() {
    upk_ledger_options options = UPK_LEDGER_OPTIONS_INIT;
    options.currency = upk_str_c("CNY");
    Must(upk_ledger_new(&ledger, &options));
    const upk_str admin = upk_str_c("admin");
    Must(upk_ledger_define_actor(ledger, admin, upk_str_c("fin"), UPK_ROLE_FINANCE));
    Must(upk_ledger_define_actor(ledger, admin, upk_str_c("mgr"), UPK_ROLE_MANAGER));
    Must(upk_ledger_define_category(ledger, admin, upk_str_c("gift")));
    Must(upk_ledger_define_period(ledger, upk_str_c("fin"), upk_str_c("2025-Q1"), 0, INT64_MAX));
    std::vector<std::string> tiers;
    for (int t = 0; t < kTiers; ++t) {
      tiers.push_back(absl::StrCat("T", t));
      Must(upk_ledger_define_tier(ledger, admin, Str(tiers.back())));
    }
    customers.reserve(kCustomers);
    std::vector<upk_envelope> envelopes;
    envelopes.reserve(kCustomers);
    for (int i = 0; i < kCustomers; ++i) {
      customers.push_back(absl::StrCat("c", 10'000'000 + i));
      const upk_str tier = Str(tiers[static_cast<size_t>(i % kTiers)]);
      Must(upk_ledger_define_customer(ledger, admin, Str(customers.back()), tier, UPK_STR_NULL,
                                      UPK_STR_NULL));
      envelopes.push_back({Str(customers.back()), tier, int64_t{1} << 40});
    }
    upk_budget_request budget = UPK_BUDGET_REQUEST_INIT;
    budget.op_id = upk_str_c("alloc");
    budget.actor = upk_str_c("fin");
    budget.period = upk_str_c("2025-Q1");
    budget.category = upk_str_c("gift");
    Must(upk_ledger_apply_allocation(ledger, &budget, envelopes.data(), envelopes.size()));
    handles.resize(customers.size());
    for (size_t i = 0; i < customers.size(); ++i) {
      Must(upk_ledger_resolve_envelope(&handles[i], ledger, budget.period, Str(customers[i]),
                                       budget.category));
    }
  }
};

CBook& TheCBook() {
  static CBook* book = new CBook();
  return *book;
}

// "<prefix><n>", as ledger_bench.cc makes its ids.
void MakeId(char prefix, uint64_t n, std::string* out) {
  char buffer[32];
  buffer[0] = prefix;
  buffer[1] = 'a';
  char* end = std::to_chars(buffer + 2, buffer + sizeof(buffer), n).ptr;
  out->assign(buffer, end);
}

uint64_t NextRandom(uint64_t* x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

// A reserve of 100 on a random customer's envelope, by names or by handle.
upk_request Request(const CBook& book, uint64_t* random, const std::string& id, bool by_handle) {
  const auto pick = static_cast<size_t>(NextRandom(random) % kCustomers);
  upk_request r = UPK_REQUEST_INIT;
  r.op_id = Str(id);
  r.actor = upk_str_c("mgr");
  if (by_handle) {
    r.envelope = book.handles[pick];
  } else {
    r.period = upk_str_c("2025-Q1");
    r.customer = Str(book.customers[pick]);
    r.category = upk_str_c("gift");
  }
  r.amount.amount_minor = 100;
  r.amount.currency[0] = 'C';
  r.amount.currency[1] = 'N';
  r.amount.currency[2] = 'Y';
  return r;
}

bool Post(upk_ledger* ledger, const std::string& post_id, const std::string& reserve_id) {
  upk_settle_request post = UPK_SETTLE_REQUEST_INIT;
  post.op_id = Str(post_id);
  post.actor = upk_str_c("mgr");
  post.target_id = Str(reserve_id);
  return upk_ledger_post(ledger, &post) == UPK_OK;
}

uint64_t RunBase() {
  static uint64_t run = 0;
  return ++run << 40;  // ids unique across runs (single-threaded benchmarks)
}

void ReserveLoop(benchmark::State& state, bool by_handle) {
  CBook& book = TheCBook();
  uint64_t random = uint64_t{0x9E3779B97F4A7C15};
  uint64_t n = RunBase();
  std::string reserve_id, post_id;
  upk_result result = UPK_RESULT_INIT;
  for (auto _ : state) {
    MakeId('r', n, &reserve_id);
    MakeId('p', n, &post_id);
    ++n;
    const upk_request request = Request(book, &random, reserve_id, by_handle);
    if (upk_ledger_reserve(&result, nullptr, book.ledger, &request) != UPK_OK ||
        result.outcome != UPK_OUTCOME_APPROVE || !Post(book.ledger, post_id, reserve_id)) {
      state.SkipWithError("reserve or post failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_CapiReserve(benchmark::State& state) { ReserveLoop(state, false); }
BENCHMARK(BM_CapiReserve)->UseRealTime();

// Against the ledger's BM_ReserveHandle: the envelope named by upk_ledger_resolve_envelope.
void BM_CapiReserveHandle(benchmark::State& state) { ReserveLoop(state, true); }
BENCHMARK(BM_CapiReserveHandle)->UseRealTime();

void BM_CapiReserveBatch(benchmark::State& state) {
  CBook& book = TheCBook();
  const auto batch = static_cast<size_t>(state.range(0));
  uint64_t random = uint64_t{0x9E3779B97F4A7C15};
  uint64_t n = RunBase();
  std::vector<std::string> reserve_ids(batch), post_ids(batch);
  std::vector<upk_request> requests(batch);
  const upk_result empty = UPK_RESULT_INIT;
  std::vector<upk_result> results(batch, empty);
  for (auto _ : state) {
    for (size_t i = 0; i < batch; ++i, ++n) {
      MakeId('r', n, &reserve_ids[i]);
      MakeId('p', n, &post_ids[i]);
      requests[i] = Request(book, &random, reserve_ids[i], /*by_handle=*/false);
    }
    bool ok =
        upk_ledger_reserve_batch(results.data(), book.ledger, requests.data(), batch) == UPK_OK;
    for (size_t i = 0; i < batch && ok; ++i) {
      ok = results[i].status == UPK_OK && results[i].outcome == UPK_OUTCOME_APPROVE &&
           Post(book.ledger, post_ids[i], reserve_ids[i]);
    }
    if (!ok) {
      state.SkipWithError("batch reserve or post failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_CapiReserveBatch)->Arg(256)->UseRealTime();

}  // namespace

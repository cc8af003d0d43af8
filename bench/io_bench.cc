// CSV import benchmarks.
//
//   BM_ParseSpendCsv:  reads 1,000,000 spend rows (the peers data set's shape: request ids in
//                      file order, dates in order, 10,000 customers) with ParseSpendCsv, every
//                      value checked and every request id checked for repeats.
//   BM_SpendCsvReader: the same rows one at a time into one SpendRow (`upkeep import spend`):
//                      no row is held.
//
//   upkeep_bench --benchmark_filter='BM_ParseSpendCsv|BM_SpendCsvReader'
#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "upkeep/io/spend_csv.h"

namespace upkeep::io {
namespace {

constexpr int kRows = 1'000'000;

const std::string& SpendText() {
  static const std::string* text = [] {
    auto* out = new std::string("request_id,date,customer_id,category,kind,amount\n");
    uint64_t x = 7;
    for (int k = 0; k < kRows; ++k) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const int day = k * 365 / kRows;
      absl::StrAppendFormat(out, "S%07d,2026-%02d-%02d,C%05d,fee,spend,%d.%02d\n", k + 1,
                            1 + day / 31 % 12, 1 + day % 28, 1 + x % 10'000, 1 + x % 40, x % 100);
    }
    return out;
  }();
  return *text;
}

void BM_ParseSpendCsv(benchmark::State& state) {
  const std::string& text = SpendText();
  const Currency cny = Currency::FromCode("CNY").value();
  for (auto _ : state) {
    absl::StatusOr<SpendImport> read = ParseSpendCsv(text, cny, ImportMode::kSkipBadRows, "b.csv");
    if (!read.ok() || read->rows.size() != kRows) state.SkipWithError("the rows did not read");
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_ParseSpendCsv)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SpendCsvReader(benchmark::State& state) {
  const std::string& text = SpendText();
  const Currency cny = Currency::FromCode("CNY").value();
  for (auto _ : state) {
    absl::StatusOr<SpendCsvReader> reader = SpendCsvReader::Open(text, cny, "b.csv");
    SpendRow row;
    RejectedRow bad;
    int rows = 0;
    while (reader.ok()) {
      const absl::StatusOr<RowRead> read = reader->Next(row, bad);
      if (!read.ok() || *read != RowRead::kRow) break;
      ++rows;
    }
    if (rows != kRows) state.SkipWithError("the rows did not read");
    benchmark::DoNotOptimize(row);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_SpendCsvReader)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace upkeep::io

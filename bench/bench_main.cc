// upkeep_bench: Google Benchmark's main; the benchmarks register themselves from their files.
#include "benchmark/benchmark.h"

BENCHMARK_MAIN();

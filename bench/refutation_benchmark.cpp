// All refutations of all cases (issue 8): simulate each case at its own seed and n, run its
// analyses once, then time run_refutations over every case on the given threads. Target: under
// 10 s on 2 cores. Run: build-bench/refutation_benchmark --benchmark_filter=AllCases
#include <filesystem>
#include <vector>

#include <benchmark/benchmark.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"

namespace {

struct PreparedCase {
  casebook::Case c;
  casebook::Dataset data;
  std::vector<casebook::AnalysisResult> analyses;
};

const std::vector<PreparedCase>& prepared() {
  static const std::vector<PreparedCase> cases = [] {
    std::vector<PreparedCase> out;
    for (const auto& dir : casebook::case_directories(std::filesystem::path(CASEBOOK_SOURCE_DIR) / "cases"))
      out.push_back({casebook::load_case(dir), {}, {}});
    for (auto& p : out) {
      casebook::SimulatedSample sample = casebook::simulate_case(p.c, p.c.simulation.seed, p.c.simulation.n);
      p.data = std::move(sample.observed);
      p.analyses = casebook::run_analyses(p.c, p.data, sample.truth);
    }
    return out;
  }();
  return cases;
}

void AllCasesRefutations(benchmark::State& state) {
  const auto threads = static_cast<unsigned>(state.range(0));
  const auto& cases = prepared();
  std::size_t refutations = 0;
  for (auto _ : state) {
    refutations = 0;
    for (const auto& p : cases) {
      const auto results = casebook::run_refutations(p.c, p.data, p.analyses, p.c.simulation.seed, threads);
      refutations += results.size();
      benchmark::DoNotOptimize(results.data());
    }
  }
  state.counters["cases"] = static_cast<double>(cases.size());
  state.counters["refutations"] = static_cast<double>(refutations);
}
BENCHMARK(AllCasesRefutations)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

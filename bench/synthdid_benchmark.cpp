// synthdid with the placebo SE (synthdid's Algorithm 4, 200 replications) on a 40 × 30 panel: 37
// donors and 3 treated units adopting in period 23 (as tests/fixtures/synthdid_panel.csv). Each
// replication re-fits the unit and time weights by Frank–Wolfe. Target: under 2 s on 2 cores (issue
// 17; see bench/README.md). Arguments: benchmark flags, then the threads (default 2).
#include <cmath>
#include <string>

#include <benchmark/benchmark.h>

#include "estimators/estimator.hpp"

namespace {

unsigned threads = 2;

casebook::Dataset panel(std::size_t units, std::size_t periods, std::size_t treated_units,
                        std::size_t start) {
  std::vector<double> unit, period, d, y;
  for (std::size_t u = 0; u < units; ++u)
    for (std::size_t p = 0; p < periods; ++p) {
      const double treated = u >= units - treated_units && p >= start ? 1.0 : 0.0;
      const double uu = static_cast<double>(u), pp = static_cast<double>(p);
      unit.push_back(uu + 1);
      period.push_back(pp + 1);
      d.push_back(treated);
      // Unit levels and loadings on two common factors, with deterministic, unpatterned noise.
      y.push_back(10 + 3 * std::sin(0.37 * uu) + (1 + 0.5 * std::cos(1.1 * uu)) * 0.2 * pp +
                  std::sin(0.9 * uu) * std::sin(0.5 * pp) + 0.3 * std::sin(1.3 * (uu * 31 + pp * 7)) +
                  2 * treated);
    }
  casebook::Dataset data("benchmark panel");
  data.add_column({"unit", std::move(unit), {}});
  data.add_column({"period", std::move(period), {}});
  data.add_column({"d", std::move(d), {}});
  data.add_column({"y", std::move(y), {}});
  return data;
}

void BM_SynthdidPlaceboSe200(benchmark::State& state) {
  const casebook::Dataset data = panel(40, 30, 3, 22);
  casebook::EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"unit", "unit"},        {"time", "period"}, {"se", "placebo"},
                  {"replications", "200"}, {"seed", "1"},      {"threads", std::to_string(threads)}};
  const auto& synthdid = casebook::find_estimator("synthdid");
  for (auto _ : state) benchmark::DoNotOptimize(synthdid.run(data, args));
  const auto e = synthdid.run(data, args);
  state.counters["estimate"] = e.estimate;
  state.counters["se"] = e.se;
}
BENCHMARK(BM_SynthdidPlaceboSe200)->Unit(benchmark::kMillisecond)->MinTime(3.0)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc > 1) threads = static_cast<unsigned>(std::stoul(argv[1]));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

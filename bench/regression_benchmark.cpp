// OLS+HC1 and 2SLS at p = 20 on the data bench/make_data.py wrote (the same file statsmodels
// reads), against the physical floor: one pass over the design matrix's bytes in memory.
// Usage: regression_benchmark [benchmark flags] data-1e5.bin data-1e6.bin …
// Only the fit is timed; reading the file and building the matrix are not.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <Eigen/Dense>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"

namespace {

struct BenchData {
  std::size_t n = 0;
  Eigen::MatrixXd x;  // [1, x1..x18, d], column-major: the bytes every fit reads
  Eigen::VectorXd y;
  std::vector<std::string> names;
  casebook::Dataset dataset;  // the same columns for the registry estimators
};

std::shared_ptr<const BenchData> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + " (run bench/run.sh, which writes it)");
  std::int64_t header[2];
  in.read(reinterpret_cast<char*>(header), sizeof header);
  const auto n = static_cast<std::size_t>(header[0]);
  const auto columns = static_cast<std::size_t>(header[1]);
  auto data = std::make_shared<BenchData>();
  data->n = n;
  data->dataset = casebook::Dataset(path);
  std::vector<double> column(n);
  const std::size_t covariates = columns - 3;
  data->x.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(covariates + 2));
  data->x.col(0).setOnes();
  data->names.push_back("intercept");
  for (std::size_t j = 0; j < columns; ++j) {
    in.read(reinterpret_cast<char*>(column.data()), static_cast<std::streamsize>(n * sizeof(double)));
    const std::string name = j < covariates        ? "x" + std::to_string(j + 1)
                             : j == covariates     ? "d"
                             : j == covariates + 1 ? "z"
                                                   : "y";
    const Eigen::Map<const Eigen::VectorXd> values(column.data(), static_cast<Eigen::Index>(n));
    if (j < covariates) data->x.col(static_cast<Eigen::Index>(j + 1)) = values;
    if (j == covariates) data->x.col(static_cast<Eigen::Index>(covariates + 1)) = values;
    if (name == "y") data->y = values;
    if (name != "z" && name != "y") data->names.push_back(name);
    data->dataset.add_column({name, column, {}});
  }
  if (!in) throw std::runtime_error(path + " is truncated");
  return data;
}

std::vector<std::string> covariate_names(const BenchData& data) {
  return {data.names.begin() + 1, data.names.end() - 1};  // x1..x18
}

void set_counters(benchmark::State& state, const BenchData& data, double estimate, double se) {
  state.counters["n"] = static_cast<double>(data.n);
  state.counters["p"] = static_cast<double>(data.x.cols());
  state.counters["estimate"] = estimate;
  state.counters["se"] = se;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * data.x.size() *
                          static_cast<std::int64_t>(sizeof(double)));
}

// The physical floor: read every byte of X once (a sum, which the compiler cannot skip).
void one_pass_floor(benchmark::State& state, const std::shared_ptr<const BenchData>& data) {
  double sum = 0;
  for (auto _ : state) {
    sum = data->x.sum();
    benchmark::DoNotOptimize(sum);
  }
  set_counters(state, *data, sum, 0);
}

// Least squares and the HC1 sandwich on the prepared matrix: what the ols estimator does after
// building its design.
void ols_hc1(benchmark::State& state, const std::shared_ptr<const BenchData>& data) {
  double estimate = 0, se = 0;
  for (auto _ : state) {
    const casebook::LeastSquaresFit fit = casebook::fit_least_squares(data->x, data->y, data->names);
    const Eigen::MatrixXd v = casebook::heteroskedasticity_robust_vcov(data->x, fit.residuals, fit.bread,
                                                                       casebook::VarianceType::hc1);
    estimate = fit.coefficients(fit.params() - 1);
    se = std::sqrt(v(fit.params() - 1, fit.params() - 1));
    benchmark::DoNotOptimize(se);
  }
  set_counters(state, *data, estimate, se);
}

// The registry estimators as a user runs them, from the Dataset (building the design included).
void estimator(benchmark::State& state, const std::shared_ptr<const BenchData>& data,
               const std::string& name) {
  casebook::EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.covariates = covariate_names(*data);
  if (name == "2sls") args.instruments = {"z"};
  const auto& run = casebook::find_estimator(name).run;
  casebook::Estimate e;
  for (auto _ : state) {
    e = run(data->dataset, args);
    benchmark::DoNotOptimize(e.se);
  }
  set_counters(state, *data, e.estimate, e.se);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: regression_benchmark [benchmark flags] data.bin …\n");
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    const auto data = load(argv[i]);
    const std::string n = std::to_string(data->n);
    benchmark::RegisterBenchmark(("floor_one_pass/n=" + n).c_str(), one_pass_floor, data)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("ols_hc1_matrix/n=" + n).c_str(), ols_hc1, data)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("ols_hc1_estimator/n=" + n).c_str(), estimator, data, std::string("ols"))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("2sls_hc1_estimator/n=" + n).c_str(), estimator, data, std::string("2sls"))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

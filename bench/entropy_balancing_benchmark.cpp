// entropy-balancing at n = 1,000,000 with 10 numeric covariates and 2 moments (20 constraints),
// estimand att. Usage: entropy_balancing_benchmark [n] [moments] [estimand]; prints the wall time
// of the whole estimate (moment columns, Newton on the dual, M-estimation SE, balance table) and
// its Newton iterations. Data: x1..x10 ~ N(0,1), T ~ Bernoulli(logistic(−0.8 + 0.4·x1 − 0.3·x2 +
// 0.2·x3²)), Y = x1 + x2 + 0.5·x3² + 1.5·T + N(0,1).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <pcg_random.hpp>

#include "estimators/estimator.hpp"

int main(int argc, char** argv) {
  using namespace casebook;
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const std::string moments = argc > 2 ? argv[2] : "2";
  const std::string estimand = argc > 3 ? argv[3] : "att";
  constexpr std::size_t p = 10;
  pcg32 rng(2026);
  auto uniform = [&] { return std::ldexp(static_cast<double>(rng()) + 0.5, -32); };
  auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform()); };
  std::vector<std::vector<double>> x(p, std::vector<double>(n));
  std::vector<double> t(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& column : x) column[i] = normal();
    const double eta = -0.8 + 0.4 * x[0][i] - 0.3 * x[1][i] + 0.2 * x[2][i] * x[2][i];
    t[i] = uniform() < 1 / (1 + std::exp(-eta)) ? 1 : 0;
    y[i] = x[0][i] + x[1][i] + 0.5 * x[2][i] * x[2][i] + 1.5 * t[i] + normal();
  }
  Dataset data("benchmark");
  EstimatorArgs args;
  for (std::size_t j = 0; j < p; ++j) {
    data.add_column({"x" + std::to_string(j + 1), x[j], {}});
    args.covariates.push_back("x" + std::to_string(j + 1));
  }
  data.add_column({"t", t, {}});
  data.add_column({"y", y, {}});
  args.outcome = "y";
  args.treatment = "t";
  args.options = {{"moments", moments}, {"estimand", estimand}};

  const auto start = std::chrono::steady_clock::now();
  const Estimate estimate = find_estimator("entropy-balancing").run(data, args);
  const auto done = std::chrono::steady_clock::now();
  std::printf(
      "n = %zu, %s, %.0f constraints: estimate %.4f (se %.4f, weights known %.4f), %.0f Newton "
      "iterations, max gap %.2g SD, ess_control %.0f\n",
      n, estimand.c_str(), estimate.diagnostics.at("constraints"), estimate.estimate, estimate.se,
      estimate.diagnostics.at("se_weights_known"), estimate.diagnostics.at("iterations"),
      estimate.diagnostics.at("max_moment_gap"), estimate.diagnostics.at("ess_control"));
  std::printf("whole entropy-balancing estimate: %.2f s\n",
              std::chrono::duration<double>(done - start).count());
  return 0;
}

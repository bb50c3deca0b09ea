// psm (propensity-score nearest-neighbour matching) at n = 1,000,000 with 10% treated and a
// caliper of 0.2 SD (target: under ~10 s on 2 cores). Usage: psm_benchmark [n] [caliper]; prints
// the wall time of the whole estimate (propensity fit, matching, regression, balance) and of the
// matching alone. Data: x1..x5 ~ N(0,1), a text covariate of 4 levels,
// T ~ Bernoulli(logistic(−2.4 + 0.5·x1 − 0.4·x2 + 0.3·x3)), Y = x1 + x2 + 1.5·T + N(0,1).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <pcg_random.hpp>

#include "estimators/estimator.hpp"
#include "estimators/propensity_score_matching.hpp"

int main(int argc, char** argv) {
  using namespace casebook;
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const std::string caliper = argc > 2 ? argv[2] : "0.2";
  constexpr std::size_t p = 5;
  pcg32 rng(2026);
  auto uniform = [&] { return std::ldexp(static_cast<double>(rng()) + 0.5, -32); };
  auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform()); };
  std::vector<std::vector<double>> x(p, std::vector<double>(n));
  std::vector<double> t(n), y(n), region(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& column : x) column[i] = normal();
    region[i] = static_cast<double>(rng(4));
    const double eta = -2.4 + 0.5 * x[0][i] - 0.4 * x[1][i] + 0.3 * x[2][i] + 0.2 * region[i];
    t[i] = uniform() < 1 / (1 + std::exp(-eta)) ? 1 : 0;
    y[i] = x[0][i] + x[1][i] + 1.5 * t[i] + normal();
  }
  Dataset data("benchmark");
  EstimatorArgs args;
  for (std::size_t j = 0; j < p; ++j) {
    data.add_column({"x" + std::to_string(j + 1), x[j], {}});
    args.covariates.push_back("x" + std::to_string(j + 1));
  }
  data.add_column({"region", region, {"a", "b", "c", "d"}});
  args.covariates.push_back("region");
  data.add_column({"t", t, {}});
  data.add_column({"y", y, {}});
  args.outcome = "y";
  args.treatment = "t";
  args.options = {{"caliper", caliper}};

  const auto start = std::chrono::steady_clock::now();
  const Matching matching = propensity_score_matching(data, args);
  const auto matched = std::chrono::steady_clock::now();
  const Estimate estimate = find_estimator("psm").run(data, args);
  const auto done = std::chrono::steady_clock::now();
  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf("n = %zu, treated = %zu, matched treated = %.0f: estimate %.4f (se %.4f)\n", n,
              matching.focal_rows.size(), estimate.diagnostics.at("n_matched_treated"), estimate.estimate,
              estimate.se);
  std::printf("matching alone (with the propensity fit): %.2f s; whole psm estimate: %.2f s\n",
              seconds(start, matched), seconds(matched, done));
  return 0;
}

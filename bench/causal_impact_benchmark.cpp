// causal-impact with CausalImpact's defaults (1,000 iterations, 10% burn-in) on 365 pre-period days
// and 60 post-period days with 10 control series (target: under 2 s on 2 cores; the sampler is
// single-threaded). Usage: causal_impact_benchmark [pre_days] [controls] [niter]; prints the wall
// time of the whole estimate. Data: random-walk controls, y = slow local level + 3 of the controls
// + N(0,1) noise, +2 on every post-period day.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include <pcg_random.hpp>

#include "estimators/estimator.hpp"

int main(int argc, char** argv) {
  using namespace casebook;
  const std::size_t pre = argc > 1 ? std::stoul(argv[1]) : 365;
  const std::size_t k = argc > 2 ? std::stoul(argv[2]) : 10;
  const std::string niter = argc > 3 ? argv[3] : "1000";
  constexpr std::size_t post = 60;
  const std::size_t n = pre + post;
  pcg32 rng(2026);
  auto uniform = [&] { return std::ldexp(static_cast<double>(rng()) + 0.5, -32); };
  auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform()); };
  std::vector<std::vector<double>> x(k, std::vector<double>(n));
  std::vector<double> day(n), y(n);
  double level = 100;
  for (std::size_t t = 0; t < n; ++t) {
    level += 0.05 * normal();
    day[t] = static_cast<double>(t + 1);
    y[t] = level + normal() + (t >= pre ? 2.0 : 0.0);
    for (std::size_t j = 0; j < k; ++j) {
      x[j][t] = (t ? x[j][t - 1] : 0.0) + normal();
      if (j < 3) y[t] += (j == 1 ? -0.5 : 0.8) * x[j][t];
    }
  }
  Dataset data("benchmark");
  EstimatorArgs args;
  data.add_column({"day", day, {}});
  data.add_column({"y", y, {}});
  for (std::size_t j = 0; j < k; ++j) {
    data.add_column({"x" + std::to_string(j + 1), x[j], {}});
    args.covariates.push_back("x" + std::to_string(j + 1));
  }
  args.outcome = "y";
  args.options = {{"time", "day"}, {"post_start", std::to_string(pre + 1)}, {"niter", niter}};

  const auto start = std::chrono::steady_clock::now();
  const Estimate e = find_estimator("causal-impact").run(data, args);
  const auto done = std::chrono::steady_clock::now();
  std::printf("pre = %zu, post = %zu, controls = %zu, niter = %s: effect %.4f [%.4f, %.4f], p = %.4f\n", pre,
              post, k, niter.c_str(), e.estimate, e.ci_low, e.ci_high, e.p_value);
  std::printf("whole causal-impact estimate: %.3f s\n", std::chrono::duration<double>(done - start).count());
  return 0;
}

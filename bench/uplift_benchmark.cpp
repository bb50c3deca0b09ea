// T-learner with regression-forest base learners at n = 1,000,000, p = 20 (issue 5's target:
// under 60 s on 2 cores). Usage: uplift_benchmark [n] [trees] [threads]; prints wall time and the
// correlation of the predicted with the true CATE. Data: X ~ U(0,1)^20, T ~ Bernoulli(0.5),
// τ(x) = 1 + 2·x1 − 1.5·1{x2 > 0.5}, Y = 2·x3 + x4² + T·τ(x) + N(0, 0.5²).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <pcg_random.hpp>

#include "estimators/estimator.hpp"
#include "estimators/uplift_metrics.hpp"

int main(int argc, char** argv) {
  using namespace casebook;
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const std::string trees = argc > 2 ? argv[2] : "100";
  const std::string threads = argc > 3 ? argv[3] : "2";
  constexpr std::size_t p = 20;
  pcg32 rng(2024);
  auto uniform = [&] { return std::ldexp(static_cast<double>(rng()), -32); };
  std::vector<std::vector<double>> x(p, std::vector<double>(n));
  std::vector<double> t(n), y(n), tau(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& column : x) column[i] = uniform();
    t[i] = uniform() < 0.5 ? 1 : 0;
    tau[i] = 1 + 2 * x[0][i] - 1.5 * (x[1][i] > 0.5 ? 1 : 0);
    const double noise = std::sqrt(-2 * std::log(1 - uniform())) * std::cos(2 * M_PI * uniform());
    y[i] = 2 * x[2][i] + x[3][i] * x[3][i] + t[i] * tau[i] + 0.5 * noise;
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
  args.options = {{"trees", trees}, {"threads", threads}};
  const auto start = std::chrono::steady_clock::now();
  const Estimate e = find_estimator("t-learner").run(data, args);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "t-learner n=%zu p=%zu trees=%s threads=%s: %.1f s, ATE %.4f (SE %.4f), r(cate, tau) = %.3f, PEHE "
      "%.3f\n",
      n, p, trees.c_str(), threads.c_str(), seconds, e.estimate, e.se,
      pearson_correlation(e.row_outputs.at("cate"), tau), pehe(e.row_outputs.at("cate"), tau));
  return 0;
}

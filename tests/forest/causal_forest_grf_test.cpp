// Casebook's causal forest against grf's own on the same data. tests/fixtures/grf_wager_athey_n2000.csv
// (Wager & Athey 2018's design, n = 2,000: X1..X10 ~ U(0,1), W ~ Bernoulli(0.5),
// Y = 2·X1 − 1 + W·τ(X) + N(0,1)), the true τ per row (grf_wager_athey_n2000_tau.txt) and grf's
// out-of-bag cate with its cate_variance (grf_causal_forest_oob.csv) are copies of
// /work/shared/references/grf/: grf's C++ core (commit 5bee99b of grf-labs/grf) driven with R's
// causal_forest() defaults (Ŷ and Ŵ regression forests, 2,000 trees, sample.fraction 0.5, mtry
// min(⌈√p + 20⌉, p), min.node.size 5, honesty 0.5 with pruning, alpha 0.05, stabilised splits,
// ci.group.size 2), 2 threads, seed 1, computed by the project's maintainers; grf's code is not in this
// project. grf's random streams differ from Casebook's, so the forests are compared as estimators of
// the same τ, not row by row: Casebook's PEHE (root mean squared error of τ̂) is at most 5% above
// grf's, its little-bag variances are at least as well calibrated (mean (τ̂ − τ)² / σ̂² no further from
// 1 than grf's), and the correlation of the two forests' τ̂ is printed.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "data/csv.hpp"
#include "forest/binned_matrix.hpp"
#include "forest/causal_forest.hpp"

namespace casebook {
namespace {

const std::string kFixtures = CASEBOOK_FIXTURES;

double correlation(std::span<const double> a, std::span<const double> b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n,
               mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

struct Accuracy {
  double pehe = 0;         // sqrt(mean (τ̂ − τ)²)
  double calibration = 0;  // mean (τ̂ − τ)² / σ̂²
};

Accuracy accuracy(std::span<const double> cate, std::span<const double> variance,
                  std::span<const double> tau) {
  Accuracy a;
  for (std::size_t i = 0; i < tau.size(); ++i) {
    const double error = cate[i] - tau[i];
    a.pehe += error * error;
    a.calibration += error * error / variance[i];
  }
  a.pehe = std::sqrt(a.pehe / static_cast<double>(tau.size()));
  a.calibration /= static_cast<double>(tau.size());
  return a;
}

TEST(CausalForestAgainstGrf, AsAccurateAndAsWellCalibratedOnWagerAthey) {
  const Dataset data = read_csv(kFixtures + "/grf_wager_athey_n2000.csv");
  const Dataset grf = read_csv(kFixtures + "/grf_causal_forest_oob.csv");
  std::vector<double> tau;
  std::ifstream tau_file(kFixtures + "/grf_wager_athey_n2000_tau.txt");
  for (double t; tau_file >> t;) tau.push_back(t);
  ASSERT_EQ(tau.size(), 2000u);
  ASSERT_EQ(data.rows(), 2000u);
  ASSERT_EQ(grf.rows(), 2000u);

  Eigen::MatrixXd x(2000, 10);
  for (Eigen::Index j = 0; j < 10; ++j) {
    const auto& column = data.column("X" + std::to_string(j + 1)).values;
    for (Eigen::Index i = 0; i < 2000; ++i) x(i, j) = column[static_cast<std::size_t>(i)];
  }
  CausalForestOptions options;  // grf's causal_forest defaults
  options.forest.seed = 1;
  const CausalForestFit fit =
      fit_causal_forest(BinnedMatrix::fit(x), data.column("Y").values, data.column("W").values, options);
  ASSERT_EQ(fit.variance_missing, 0u);

  const Accuracy ours = accuracy(fit.cate, fit.cate_variance, tau);
  const Accuracy theirs = accuracy(grf.column("cate").values, grf.column("cate_variance").values, tau);
  const double r = correlation(fit.cate, grf.column("cate").values);
  std::printf(
      "Wager-Athey n = 2000: PEHE Casebook %.4f, grf %.4f; mean (tau_hat - tau)^2 / variance Casebook %.3f, "
      "grf "
      "%.3f; corr(Casebook tau_hat, grf tau_hat) %.4f\n",
      ours.pehe, theirs.pehe, ours.calibration, theirs.calibration, r);
  EXPECT_NEAR(theirs.pehe, 0.2222, 1e-4);  // the reference's own figures, as its README gives them
  EXPECT_NEAR(theirs.calibration, 2.410, 1e-3);
  EXPECT_LE(ours.pehe, 1.05 * theirs.pehe);
  EXPECT_LE(std::abs(ours.calibration - 1), std::abs(theirs.calibration - 1));
  EXPECT_GT(r, 0.9);  // two forests of the same τ on the same rows
}

}  // namespace
}  // namespace casebook

// The instrumental forest: its relabelling and leaf estimate are the causal forest's when the instrument
// is the treatment (grf's causal forest is that special case), its gradient is the estimate's, the
// output is identical on any thread count, and with a confounded treatment its CATE tracks the true
// τ(X) better than the causal forest's on the same data.
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "forest/binned_matrix.hpp"
#include "forest/causal_forest.hpp"
#include "forest/instrumental_forest.hpp"

namespace casebook {
namespace {

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
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

double root_mean_squared_error(const std::vector<double>& a, const std::vector<double>& b) {
  double squares = 0;
  for (std::size_t i = 0; i < a.size(); ++i) squares += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(squares / static_cast<double>(a.size()));
}

// A randomised 0/1 instrument Z moves a 0/1 treatment W (one-sided threshold on a latent U, so
// compliance is monotone); U also raises the outcome, more so for large X3, so comparing treated with
// untreated rows is biased by an amount that varies with X. τ(X) = 1 + 2·X1, the same for compliers.
struct ConfoundedDesign {
  Eigen::MatrixXd x;
  std::vector<double> y, w, z, tau;
};

ConfoundedDesign confounded(std::size_t n, Eigen::Index p, std::uint64_t seed) {
  pcg32 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng()) + 0.5) * 0x1p-32; };
  auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform()); };
  ConfoundedDesign d{Eigen::MatrixXd(static_cast<Eigen::Index>(n), p), std::vector<double>(n),
                     std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (Eigen::Index j = 0; j < p; ++j) d.x(r, j) = uniform();
    const double u = normal();
    d.z[i] = uniform() < 0.5 ? 1.0 : 0.0;
    d.w[i] = u + normal() > (d.z[i] == 1 ? -1.5 : 2.0) ? 1.0 : 0.0;
    d.tau[i] = 1 + 2 * d.x(r, 0);
    d.y[i] = d.x(r, 1) + d.w[i] * d.tau[i] + 2 * u * d.x(r, 2) + normal();
  }
  return d;
}

TEST(InstrumentalRule, WithTheTreatmentAsInstrumentItIsTheCausalRule) {
  const std::vector<double> y{1.0, 3.0, -2.0, 0.5, 4.0, -1.0}, w{0.5, -0.5, 0.2, -0.1, 0.7, -0.3};
  const InstrumentalRule instrumental(y, w, w);
  const CausalRule causal(y, w);
  const std::vector<std::uint32_t> rows{0, 2, 3, 4, 5};
  std::vector<double> a(rows.size()), b(rows.size());
  instrumental.node_responses(rows, a);
  causal.node_responses(rows, b);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12);
  // The leaf estimate from the averaged statistics of rows 0, 1 and 3.
  std::vector<double> si(5), sc(4), ai(5, 0.0), ac(4, 0.0);
  for (const std::uint32_t r : {0u, 1u, 3u}) {
    instrumental.sample_statistics(r, si);
    causal.sample_statistics(r, sc);
    for (std::size_t k = 0; k < 5; ++k) ai[k] += si[k] / 3;
    for (std::size_t k = 0; k < 4; ++k) ac[k] += sc[k] / 3;
  }
  EXPECT_NEAR(instrumental.combine(ai), causal.combine(ac), 1e-12);
}

TEST(InstrumentalRule, PseudoOutcomesFollowTheNodesLocalIvMoment) {
  const std::vector<double> y{1.0, 3.0, -2.0, 0.5, 4.0}, w{0.5, -0.5, 0.2, -0.1, 0.7},
      z{0.4, -0.6, 0.5, 0.3, -0.2};
  const InstrumentalRule rule(y, w, z);
  const std::vector<std::uint32_t> rows{0, 1, 2, 4};
  std::vector<double> rho(rows.size());
  rule.node_responses(rows, rho);
  double ym = 0, wm = 0, zm = 0;
  for (const auto r : rows) ym += y[r] / 4, wm += w[r] / 4, zm += z[r] / 4;
  double zy = 0, zw = 0;
  for (const auto r : rows) zy += (z[r] - zm) * (y[r] - ym), zw += (z[r] - zm) * (w[r] - wm);
  const double tau = zy / zw;
  double total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto r = rows[i];
    // grf's relabelled outcome (z − z̄)(y − ȳ − τ(w − w̄)), times the node constant 4 / zw.
    EXPECT_NEAR(rho[i], (z[r] - zm) * (y[r] - ym - tau * (w[r] - wm)) * 4 / zw, 1e-12);
    total += rho[i];
  }
  EXPECT_NEAR(total, 0.0, 1e-12);  // the node's τ̂ solves its own moment condition
}

TEST(InstrumentalRule, GradientIsTheEstimatesDerivative) {
  const std::vector<double> y{1.0}, w{1.0}, z{1.0};
  const InstrumentalRule rule(y, w, z);
  const std::vector<double> averages{0.3, 0.4, 0.5, 0.9, 0.7};  // Ỹ, W̃, Z̃, ỸZ̃, W̃Z̃
  std::vector<double> gradient(5);
  rule.gradient(averages, gradient);
  for (std::size_t k = 0; k < 5; ++k) {
    std::vector<double> up = averages, down = averages;
    up[k] += 1e-6;
    down[k] -= 1e-6;
    EXPECT_NEAR(gradient[k], (rule.combine(up) - rule.combine(down)) / 2e-6, 1e-6) << "statistic " << k;
  }
}

TEST(InstrumentalForest, IdenticalOnAnyThreadCount) {
  const ConfoundedDesign d = confounded(600, 4, 5);
  const BinnedMatrix x = BinnedMatrix::fit(d.x);
  InstrumentalForestOptions options;
  options.forest.trees = 100;
  options.forest.seed = 3;
  options.forest.threads = 1;
  const InstrumentalForestFit one = fit_instrumental_forest(x, d.y, d.w, d.z, options);
  options.forest.threads = 3;
  const InstrumentalForestFit three = fit_instrumental_forest(x, d.y, d.w, d.z, options);
  EXPECT_EQ(one.z_hat, three.z_hat);
  EXPECT_EQ(one.cate, three.cate);
  ASSERT_EQ(one.cate_variance.size(), 600u);
  for (std::size_t i = 0; i < 600; ++i)
    EXPECT_TRUE(one.cate_variance[i] == three.cate_variance[i] ||
                (std::isnan(one.cate_variance[i]) && std::isnan(three.cate_variance[i])));
  options.forest.seed = 4;
  EXPECT_NE(one.cate, fit_instrumental_forest(x, d.y, d.w, d.z, options).cate);
}

// grf's defaults (2000 trees) on n = 4000 rows of the confounded design, data seed 1, forest seed 17.
// Measured: the instrumental forest's corr(τ̂, τ) 0.921 (RMSE 0.273), the causal forest's 0.860 (RMSE
// 0.721); data seeds 2 and 3 gave 0.933 vs 0.800 and 0.917 vs 0.831. Ignoring the instrument, the
// causal forest learns the confounding that grows with X3 as if it were effect.
TEST(InstrumentalForest, TracksTheTrueEffectBetterThanACausalForestWhenTreatmentIsConfounded) {
  const ConfoundedDesign d = confounded(4000, 5, 1);
  const BinnedMatrix x = BinnedMatrix::fit(d.x);
  InstrumentalForestOptions iv_options;
  iv_options.forest.seed = 17;
  const InstrumentalForestFit iv = fit_instrumental_forest(x, d.y, d.w, d.z, iv_options);
  CausalForestOptions cf_options;
  cf_options.forest.seed = 17;
  const CausalForestFit cf = fit_causal_forest(x, d.y, d.w, cf_options);
  const double r_iv = correlation(iv.cate, d.tau), r_cf = correlation(cf.cate, d.tau);
  const double e_iv = root_mean_squared_error(iv.cate, d.tau), e_cf = root_mean_squared_error(cf.cate, d.tau);
  std::printf("corr(tau_hat, tau): instrumental forest %.3f, causal forest %.3f; RMSE %.3f vs %.3f\n", r_iv,
              r_cf, e_iv, e_cf);
  EXPECT_GE(r_iv, r_cf);
  EXPECT_GT(r_iv, 0.85);
  EXPECT_LT(e_iv, e_cf);
  EXPECT_EQ(iv.variance_missing, 0u);
}

TEST(InstrumentalForest, LengthMismatchIsAnInputError) {
  const ConfoundedDesign d = confounded(100, 3, 2);
  const std::vector<double> short_z(99, 0.0);
  InstrumentalForestOptions options;
  options.forest.trees = 10;
  EXPECT_THROW(fit_instrumental_forest(BinnedMatrix::fit(d.x), d.y, d.w, short_z, options), InputError);
}

}  // namespace
}  // namespace casebook

// fit_ar1_gls against GLS written out with the full correlation matrix Λ_ij = φ^|t_i − t_j|: at φ̂
// the coefficients and variance are (X'Λ⁻¹X)⁻¹X'Λ⁻¹y and σ̂²(X'Λ⁻¹X)⁻¹, and φ̂ maximises the
// restricted likelihood computed from Λ directly; with gaps in time and with negative φ.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include "inference/ar1_gls.hpp"

namespace casebook {
namespace {

struct Series {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  std::vector<double> time;
  std::vector<int> steps;
};

// An AR(1) series with coefficient phi at whole-number times, some of them skipped: deterministic
// innovations (no RNG), a trend and a wiggling regressor.
Series make_series(double phi, const std::vector<int>& skipped) {
  Series s;
  double error = 0;
  std::vector<double> rows_y, rows_z;
  for (int t = 1; t <= 80; ++t) {
    error = phi * error + std::sin(12.9898 * t) * 43758.5453 -
            std::floor(std::sin(12.9898 * t) * 43758.5453) - 0.5;
    if (std::find(skipped.begin(), skipped.end(), t) != skipped.end()) continue;
    const double z = std::cos(0.37 * t);
    s.time.push_back(t);
    rows_z.push_back(z);
    rows_y.push_back(2 + 0.05 * t + 0.7 * z + error);
  }
  const auto n = static_cast<Eigen::Index>(s.time.size());
  s.x.resize(n, 3);
  s.y.resize(n);
  s.steps.assign(s.time.size(), 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    s.x.row(i) << 1, s.time[k], rows_z[k];
    s.y(i) = rows_y[k];
    if (k > 0) s.steps[k] = static_cast<int>(s.time[k] - s.time[k - 1]);
  }
  return s;
}

Eigen::MatrixXd correlation(const std::vector<double>& time, double phi) {
  const auto n = static_cast<Eigen::Index>(time.size());
  Eigen::MatrixXd lambda(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      lambda(i, j) =
          std::pow(phi, std::abs(time[static_cast<std::size_t>(i)] - time[static_cast<std::size_t>(j)]));
  return lambda;
}

// The restricted log-likelihood from Λ itself (constants dropped).
double restricted_log_likelihood(const Series& s, double phi) {
  const Eigen::MatrixXd lambda = correlation(s.time, phi);
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(lambda);
  const Eigen::MatrixXd xtlx = s.x.transpose() * ldlt.solve(s.x);
  const Eigen::VectorXd b = xtlx.ldlt().solve(s.x.transpose() * ldlt.solve(s.y));
  const Eigen::VectorXd e = s.y - s.x * b;
  const double rss = e.dot(ldlt.solve(e));
  const double df = static_cast<double>(s.x.rows() - s.x.cols());
  return -0.5 * (df * std::log(rss) + ldlt.vectorD().array().log().sum() + std::log(xtlx.determinant()));
}

class Ar1Gls : public ::testing::TestWithParam<double> {};

TEST_P(Ar1Gls, IsGlsWithTheFullCorrelationMatrixAtTheRemlPhi) {
  const Series s = make_series(GetParam(), {5, 6, 20, 41, 42, 43, 70});
  const Ar1GlsFit fit = fit_ar1_gls(s.x, s.y, {"(Intercept)", "t", "z"}, s.steps, "test");
  EXPECT_GT(fit.phi * GetParam(), 0);  // the sign of the simulated coefficient

  const Eigen::MatrixXd lambda = correlation(s.time, fit.phi);
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(lambda);
  const Eigen::MatrixXd xtlx = s.x.transpose() * ldlt.solve(s.x);
  const Eigen::VectorXd b = xtlx.ldlt().solve(s.x.transpose() * ldlt.solve(s.y));
  const Eigen::VectorXd e = s.y - s.x * b;
  const double sigma2 = e.dot(ldlt.solve(e)) / static_cast<double>(s.x.rows() - s.x.cols());
  for (Eigen::Index j = 0; j < 3; ++j) {
    EXPECT_NEAR(fit.whitened.coefficients(j), b(j), 1e-9 * std::max(1.0, std::abs(b(j))));
    for (Eigen::Index k = 0; k < 3; ++k)
      EXPECT_NEAR(fit.vcov(j, k), sigma2 * xtlx.inverse()(j, k), 1e-9 * std::abs(fit.vcov(j, j)));
  }
  EXPECT_NEAR(fit.sigma * fit.sigma, sigma2, 1e-12 * sigma2);
  EXPECT_TRUE(fit.residuals.isApprox(e, 1e-9));

  // φ̂ is the maximum: the likelihood from Λ is lower on either side of it.
  const double at = restricted_log_likelihood(s, fit.phi);
  for (double step : {-1e-3, 1e-3, -0.05, 0.05}) EXPECT_LT(restricted_log_likelihood(s, fit.phi + step), at);
}

INSTANTIATE_TEST_SUITE_P(Phi, Ar1Gls, ::testing::Values(0.7, -0.5, 0.3));

}  // namespace
}  // namespace casebook

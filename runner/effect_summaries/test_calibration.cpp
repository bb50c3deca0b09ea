#include "effect_summaries/test_calibration.hpp"

#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <boost/math/distributions/students_t.hpp>

#include "core/input_error.hpp"
#include "effect_summaries/clustered_hc3.hpp"
#include "inference/cluster_index.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"

namespace casebook {

CalibrationTest test_calibration(std::span<const double> y, std::span<const double> w,
                                 std::span<const double> y_hat, std::span<const double> w_hat,
                                 std::span<const double> cate, std::span<const double> clusters) {
  const std::size_t n = y.size();
  if (w.size() != n || y_hat.size() != n || w_hat.size() != n || cate.size() != n)
    throw InputError("calibration test: outcome, treatment, nuisance estimates and CATE differ in length");
  if (n < 3) throw InputError(fmt::format("calibration test: needs at least 3 rows (got {})", n));
  const double mean_cate = std::accumulate(cate.begin(), cate.end(), 0.0) / static_cast<double>(n);
  const auto rows = static_cast<Eigen::Index>(n);
  Eigen::MatrixXd x(rows, 2);
  Eigen::VectorXd target(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const auto r = static_cast<std::size_t>(i);
    const double w_centred = w[r] - w_hat[r];
    target[i] = y[r] - y_hat[r];
    x(i, 0) = w_centred * mean_cate;
    x(i, 1) = w_centred * (cate[r] - mean_cate);
  }
  const LeastSquaresFit fit =
      fit_least_squares(x, target, {"mean.forest.prediction", "differential.forest.prediction"});
  // vcovCL(type = "HC3") with one cluster per row is plain HC3: sandwich applies its G/(G − 1)
  // cluster adjustment to HC0/HC1 only (checked against R in the fixture).
  const Eigen::MatrixXd vcov =
      clusters.empty()
          ? heteroskedasticity_robust_vcov(x, fit.residuals, fit.bread, VarianceType::hc3)
          : clustered_hc3_vcov(x, fit.residuals, fit.bread,
                               make_cluster_codes(clusters, n, "calibration test"), "calibration test");
  const boost::math::students_t_distribution<double> t_distribution(static_cast<double>(n - 2));
  auto coefficient = [&](Eigen::Index k) {
    CalibrationCoefficient c;
    c.estimate = fit.coefficients[k];
    c.se = std::sqrt(vcov(k, k));
    c.t_statistic = c.se > 0 ? c.estimate / c.se : 0.0;
    c.p_value = boost::math::cdf(boost::math::complement(t_distribution, c.t_statistic));
    return c;
  };
  return {coefficient(0), coefficient(1)};
}

}  // namespace casebook

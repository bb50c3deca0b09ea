#include "inference/ar1_gls.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <fmt/format.h>
#include <Eigen/Cholesky>
#include <boost/math/tools/minima.hpp>

#include "core/input_error.hpp"

namespace casebook {
namespace {

struct Whitened {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  double log_det_correlation = 0;  // log |Λ_φ| = Σ log(1 − φ^{2g})
};

Whitened whiten(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                const std::vector<int>& steps, double phi) {
  Whitened w{x, y, 0};
  for (Eigen::Index i = x.rows() - 1; i >= 1; --i) {
    const double a = std::pow(phi, steps[static_cast<std::size_t>(i)]);
    const double scale = 1 / std::sqrt(1 - a * a);
    w.x.row(i) = (x.row(i) - a * x.row(i - 1)) * scale;
    w.y(i) = (y(i) - a * y(i - 1)) * scale;
    w.log_det_correlation += std::log1p(-a * a);
  }
  return w;
}

// log |X'X| from the least-squares bread (X'X)^{-1}.
double log_det_gram(const LeastSquaresFit& fit) {
  const Eigen::LLT<Eigen::MatrixXd> llt(fit.bread);
  return -2 * llt.matrixLLT().diagonal().array().log().sum();
}

}  // namespace

Ar1GlsFit fit_ar1_gls(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                      std::vector<std::string> names, const std::vector<int>& steps,
                      const std::string& what) {
  const double residual_df = static_cast<double>(x.rows() - x.cols());
  // Minus the restricted log-likelihood, constants dropped.
  auto deviance = [&](double phi) {
    const Whitened w = whiten(x, y, steps, phi);
    const LeastSquaresFit fit = fit_least_squares(w.x, w.y, names);
    return 0.5 *
           (residual_df * std::log(fit.residual_sum_of_squares) + w.log_det_correlation + log_det_gram(fit));
  };
  // A grid first: the restricted likelihood of a short series can have more than one mode.
  constexpr double kStep = 0.02;
  double best = 0, best_deviance = deviance(0);
  for (int j = -49; j <= 49; ++j) {
    const double phi = j * kStep;
    if (const double d = deviance(phi); d < best_deviance) best = phi, best_deviance = d;
  }
  constexpr double kEdge = 1 - 1e-9;
  const double low = std::max(-kEdge, best - kStep), high = std::min(kEdge, best + kStep);
  std::uintmax_t iterations = 200;
  const double phi = boost::math::tools::brent_find_minima(
                         deviance, low, high, std::numeric_limits<double>::digits / 2, iterations)
                         .first;
  if (std::abs(phi) > 0.9999)
    throw InputError(
        fmt::format("{}: the AR(1) coefficient of the errors reaches {:.5f}, the edge of (-1, 1): "
                    "the series wanders like a random walk (a unit root), so a model of its "
                    "level has no stable error variance; model its differences instead",
                    what, phi));

  Ar1GlsFit out;
  out.phi = phi;
  const Whitened w = whiten(x, y, steps, phi);
  out.whitened = fit_least_squares(w.x, w.y, std::move(names));
  const double variance = out.whitened.residual_sum_of_squares / residual_df;
  out.sigma = std::sqrt(variance);
  out.vcov = out.whitened.bread * variance;
  out.residuals = y - x * out.whitened.coefficients;
  out.normalized_residuals = out.whitened.residuals / out.sigma;
  return out;
}

}  // namespace casebook

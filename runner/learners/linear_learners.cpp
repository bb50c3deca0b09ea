#include "learners/linear_learners.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <Eigen/QR>
#include <boost/math/distributions/normal.hpp>
#include <pcg_random.hpp>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

Eigen::MatrixXd rows_of(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const std::uint32_t> rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = x.row(rows[i]);
  return out;
}

Eigen::VectorXd solve_full_rank(const Eigen::MatrixXd& a, const Eigen::VectorXd& b, const char* what) {
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(a);
  if (qr.rank() < a.cols())
    throw InputError(
        fmt::format("{}: the covariates are collinear on the rows it is fitted on ({} of {} columns "
                    "independent), e.g. a covariate that is constant in one treatment arm",
                    what, qr.rank(), a.cols()));
  return qr.solve(b);
}

double logistic(double eta) { return 1 / (1 + std::exp(-eta)); }

const boost::math::normal kNormal;
// R's probit linkinv clamps eta at ±qnorm(.Machine$double.eps) = ∓8.125890664701906.
const double kProbitThreshold = -boost::math::quantile(kNormal, std::numeric_limits<double>::epsilon());

}  // namespace

Eigen::VectorXd fit_linear(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                           std::span<const std::uint32_t> rows) {
  if (rows.size() <= static_cast<std::size_t>(x.cols()))
    throw InputError(fmt::format("linear base learner: {} rows for {} coefficients", rows.size(), x.cols()));
  Eigen::VectorXd target(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) target[static_cast<Eigen::Index>(i)] = y[rows[i]];
  return solve_full_rank(rows_of(x, rows), target, "linear base learner");
}

double binomial_mean(BinomialLink link, double eta) {
  if (link == BinomialLink::logit) return logistic(eta);
  return boost::math::cdf(kNormal, std::clamp(eta, -kProbitThreshold, kProbitThreshold));
}

BinomialFit fit_binomial_glm(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                             std::span<const std::uint32_t> rows, BinomialLink link) {
  constexpr std::size_t kMaxIterations = 25;
  constexpr double kEpsilon = 1e-8;
  const char* what = link == BinomialLink::logit ? "logistic regression" : "probit regression";
  // dmu/deta: mu(1 - mu) for the logit; the normal density, floored at eps as R's probit mu.eta.
  auto mean_derivative = [&](double eta, double mu) {
    if (link == BinomialLink::logit) return mu * (1 - mu);
    return std::max(boost::math::pdf(kNormal, eta), std::numeric_limits<double>::epsilon());
  };
  const Eigen::MatrixXd a = rows_of(x, rows);
  const auto n = a.rows();
  Eigen::VectorXd target(n), mu(n), eta(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    target[i] = y[rows[static_cast<std::size_t>(i)]];
    mu[i] = (target[i] + 0.5) / 2;
    eta[i] =
        link == BinomialLink::logit ? std::log(mu[i] / (1 - mu[i])) : boost::math::quantile(kNormal, mu[i]);
  }
  auto deviance = [&] {
    double dev = 0;
    for (Eigen::Index i = 0; i < n; ++i) dev -= 2 * (target[i] == 1 ? std::log(mu[i]) : std::log(1 - mu[i]));
    return dev;
  };
  BinomialFit fit;
  double previous = deviance();
  for (fit.iterations = 1; fit.iterations <= kMaxIterations; ++fit.iterations) {
    // Fisher scoring as weighted least squares of the working response z on x, with weights
    // (dmu/deta)² / (mu(1 - mu)) (glm.fit's z and w).
    Eigen::VectorXd sqrt_w(n), z(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double d = mean_derivative(eta[i], mu[i]);
      sqrt_w[i] = std::sqrt(d * d / (mu[i] * (1 - mu[i])));
      z[i] = sqrt_w[i] * (eta[i] + (target[i] - mu[i]) / d);
    }
    fit.coefficients = solve_full_rank(sqrt_w.asDiagonal() * a, z, what);
    eta = a * fit.coefficients;
    for (Eigen::Index i = 0; i < n; ++i) mu[i] = binomial_mean(link, eta[i]);
    fit.deviance = deviance();
    if (!std::isfinite(fit.deviance)) break;
    if (std::abs(fit.deviance - previous) / (std::abs(fit.deviance) + 0.1) < kEpsilon) break;
    previous = fit.deviance;
  }
  if (fit.iterations > kMaxIterations || !std::isfinite(fit.deviance))
    throw InputError(fmt::format("{} did not converge in {} iterations", what, kMaxIterations));
  for (Eigen::Index i = 0; i < n; ++i)
    if (mu[i] < 1e-10 || mu[i] > 1 - 1e-10)
      throw InputError(fmt::format(
          "{}: fitted probabilities of 0 or 1 (the covariates separate the treatment arms)", what));
  return fit;
}

LogisticFit fit_logistic(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                         std::span<const std::uint32_t> rows) {
  return fit_binomial_glm(x, y, rows, BinomialLink::logit);
}

std::vector<double> linear_predictions(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                                       std::span<const std::uint32_t> training_rows, bool logistic_link,
                                       std::size_t folds, std::uint64_t seed) {
  auto fit = [&](std::span<const std::uint32_t> rows) {
    return logistic_link ? fit_logistic(x, y, rows).coefficients : fit_linear(x, y, rows);
  };
  auto predict_row = [&](const Eigen::VectorXd& b, std::size_t row) {
    const double eta = x.row(static_cast<Eigen::Index>(row)).dot(b);
    return logistic_link ? logistic(eta) : eta;
  };
  const std::size_t n = static_cast<std::size_t>(x.rows());
  std::vector<double> out(n);
  const Eigen::VectorXd all = fit(training_rows);
  for (std::size_t i = 0; i < n; ++i) out[i] = predict_row(all, i);
  if (folds < 2) return out;

  // Cross-fitting: each training row predicted by the fit on the other folds.
  std::vector<std::uint32_t> shuffled(training_rows.begin(), training_rows.end());
  pcg32 rng;
  seed_from_key(rng, derive_seed(seed, 0x6c696e));
  for (std::size_t i = shuffled.size(); i > 1; --i)
    std::swap(shuffled[i - 1], shuffled[rng(static_cast<std::uint32_t>(i))]);
  // Folds past the number of rows would hold no row: the same predictions, without the empty fits.
  folds = std::min(folds, shuffled.size());
  for (std::size_t f = 0; f < folds; ++f) {
    std::vector<std::uint32_t> train, held_out;
    for (std::size_t i = 0; i < shuffled.size(); ++i)
      (i % folds == f ? held_out : train).push_back(shuffled[i]);
    std::sort(train.begin(), train.end());
    const Eigen::VectorXd b = fit(train);
    for (const std::uint32_t row : held_out) out[row] = predict_row(b, row);
  }
  return out;
}

}  // namespace casebook

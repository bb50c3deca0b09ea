#pragma once
// Linear and logistic regression as base learners of the meta-learners (Eigen), and the binomial
// GLM (logit or probit) behind the propensity models: fit on chosen rows of a design matrix,
// predict anywhere.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

namespace casebook {

// Least squares of y on x (x holds its own intercept column) over `rows`. Throws InputError
// when x restricted to the rows is rank-deficient (e.g. a covariate constant in one arm).
Eigen::VectorXd fit_linear(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                           std::span<const std::uint32_t> rows);

// The link of a binomial GLM: R's binomial("logit") or binomial("probit").
enum class BinomialLink { logit, probit };

struct BinomialFit {
  Eigen::VectorXd coefficients;
  std::size_t iterations = 0;
  double deviance = 0;
};
using LogisticFit = BinomialFit;

// A binomial GLM of a 0/1 y on x over `rows` by iteratively reweighted least squares (Fisher
// scoring), started and stopped as R's glm.fit: mu = (y + 0.5) / 2, converged when
// |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations; probit with R's clamps (eta to
// ±qnorm(eps), dmu/deta at least eps). Throws InputError when it does not converge or the fitted
// probabilities reach 0 or 1 (separation).
BinomialFit fit_binomial_glm(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                             std::span<const std::uint32_t> rows, BinomialLink link);

// The fitted probability for a linear predictor eta, as R's linkinv.
double binomial_mean(BinomialLink link, double eta);

// fit_binomial_glm with the logit link (glm(family = binomial)).
LogisticFit fit_logistic(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                         std::span<const std::uint32_t> rows);

// Predictions of a linear (or, with `logistic`, a logistic: probabilities) model for every row
// of x: cross-fitted over `folds` folds for the training rows (fold of a row from a permutation
// seeded by `seed`), from the fit on all training rows for the others.
std::vector<double> linear_predictions(const Eigen::Ref<const Eigen::MatrixXd>& x, std::span<const double> y,
                                       std::span<const std::uint32_t> training_rows, bool logistic,
                                       std::size_t folds, std::uint64_t seed);

}  // namespace casebook

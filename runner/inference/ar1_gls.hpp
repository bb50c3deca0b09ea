#pragma once
// Generalised least squares with AR(1) errors, fitted by restricted maximum likelihood as
// nlme::gls(correlation = corAR1(form = ~ time), method = "REML") fits it: Cov(e_i, e_j) =
// σ² φ^|t_i − t_j| for whole-number times, so gaps in the series are allowed. For a given φ the
// rows are whitened (the first as it is, then (e_i − φ^g e_{i−1}) / sqrt(1 − φ^{2g}) across a step
// of g) and fitted by least squares; φ maximises the restricted log-likelihood (constants dropped)
//   −(n − k)/2 log RSS_φ − 1/2 Σ_i log(1 − φ^{2 g_i}) − 1/2 log |X_φ'X_φ|,
// found on a grid over (−1, 1) and refined by Brent's method. The coefficients' variance is
// σ̂² (X_φ'X_φ)^{-1} with σ̂² = RSS_φ / (n − k), conditional on φ̂, as summary.gls reports it.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "inference/least_squares.hpp"

namespace casebook {

struct Ar1GlsFit {
  LeastSquaresFit whitened;              // the least-squares fit of the whitened rows at φ̂
  double phi = 0;                        // φ̂
  double sigma = 0;                      // σ̂, the errors' marginal sd (nlme's sigma)
  Eigen::MatrixXd vcov;                  // σ̂² (X_φ'X_φ)^{-1}
  Eigen::VectorXd residuals;             // y − X b, not whitened
  Eigen::VectorXd normalized_residuals;  // the whitened residuals over σ̂: white noise if the model holds

  double residual_df() const { return whitened.residual_df(); }
};

// `steps` holds g_i = t_i − t_{i−1} for i ≥ 1 (steps[0] is ignored): whole numbers of at least 1.
// Throws InputError, naming `what`, when φ̂ reaches the edge of (−1, 1) (a unit root: the series
// wanders like a random walk) and as fit_least_squares does for a rank-deficient design.
Ar1GlsFit fit_ar1_gls(const Eigen::Ref<const Eigen::MatrixXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y,
                      std::vector<std::string> names, const std::vector<int>& steps, const std::string& what);

}  // namespace casebook

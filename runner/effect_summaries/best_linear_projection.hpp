#pragma once
// grf's best_linear_projection(forest, A) (grf-labs/grf, r-package/grf/R/best_linear_projection.R):
// ordinary least squares of the doubly robust scores Γ_i (effect_summaries/doubly_robust_ate.hpp) on
// [1, A_i], i.e. the best linear approximation β0 + A'β of the CATE, with grf's default
// vcov.type = "HC3" as sandwich::vcovCL computes it and lmtest::coeftest's t tests on n − k degrees of
// freedom:
//  - without clusters, plain HC3: e_i² / (1 − h_ii)²;
//  - with clusters, sandwich's clustered HC3 (the "CR3"-type bias reduction): the meat is
//    Σ_g X_g' (I − H_gg)^{-1} e_g e_g' (I − H_gg)^{-1} X_g with H_gg = X_g (X'X)^{-1} X_g' (sandwich
//    scales it by (G − 1)/G and then by its cluster adjustment G/(G − 1), which cancel).
// Confidence intervals are estimate ∓ t_{n−k}(1 − α/2) · SE, as lmtest::coefci.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace casebook {

struct ProjectionTerm {
  std::string name;  // "(Intercept)" or the covariate's name
  double estimate = 0;
  double se = 0;
  double t_statistic = 0;
  double p_value = 1;  // two-sided, t with n − k degrees of freedom
  double ci_low = 0;
  double ci_high = 0;
};

struct BestLinearProjection {
  std::vector<ProjectionTerm> terms;  // intercept first, then the covariates in the order given
  std::string variance;               // "HC3" or "HC3 (clustered)"
  double df = 0;                      // n − k
  std::size_t rows = 0;
  std::size_t clusters = 0;  // G (n without clusters)
  double confidence_level = 0.95;
};

// covariates: one span per column, each of length n (no covariates: the intercept alone, which is the
// ATE with an HC3 standard error). Throws InputError on a length mismatch (naming the covariate), a
// missing value, a name count that differs from the covariate count, n <= k, collinear columns (from
// fit_least_squares), bad cluster ids (inference/cluster_index.hpp), a confidence level outside (0, 1), or a
// point with leverage 1 (HC3 undefined).
BestLinearProjection best_linear_projection(std::span<const double> scores,
                                            const std::vector<std::span<const double>>& covariates,
                                            const std::vector<std::string>& names,
                                            std::span<const double> clusters = {},
                                            double confidence_level = 0.95);

}  // namespace casebook

#include "effect_summaries/best_linear_projection.hpp"

#include <cmath>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/input_error.hpp"
#include "effect_summaries/clustered_hc3.hpp"
#include "inference/cluster_index.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"

namespace casebook {

BestLinearProjection best_linear_projection(std::span<const double> scores,
                                            const std::vector<std::span<const double>>& covariates,
                                            const std::vector<std::string>& names,
                                            std::span<const double> clusters, double confidence_level) {
  const std::size_t n = scores.size();
  if (names.size() != covariates.size())
    throw InputError(
        fmt::format("best linear projection: {} names for {} covariates", names.size(), covariates.size()));
  if (!(confidence_level > 0 && confidence_level < 1))
    throw InputError(fmt::format("best linear projection: confidence level must be between 0 and 1, got {}",
                                 confidence_level));
  const std::size_t k = covariates.size() + 1;
  if (n <= k)
    throw InputError(
        fmt::format("best linear projection: needs more rows than terms ({} rows, {} terms)", n, k));
  const ClusterCodes codes = make_cluster_codes(clusters, n, "best linear projection");

  const auto rows = static_cast<Eigen::Index>(n);
  Eigen::MatrixXd x(rows, static_cast<Eigen::Index>(k));
  Eigen::VectorXd target(rows);
  std::vector<std::string> term_names{"(Intercept)"};
  for (std::size_t j = 0; j < covariates.size(); ++j) {
    if (covariates[j].size() != n)
      throw InputError(fmt::format("best linear projection: covariate '{}' has {} values for {} rows",
                                   names[j], covariates[j].size(), n));
    term_names.push_back(names[j]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    if (std::isnan(scores[i]))
      throw InputError(fmt::format("best linear projection: the score of row {} is missing", i + 1));
    target[r] = scores[i];
    x(r, 0) = 1.0;
    for (std::size_t j = 0; j < covariates.size(); ++j) {
      if (std::isnan(covariates[j][i]))
        throw InputError(
            fmt::format("best linear projection: covariate '{}' is missing in row {}", names[j], i + 1));
      x(r, static_cast<Eigen::Index>(j + 1)) = covariates[j][i];
    }
  }
  const LeastSquaresFit fit = fit_least_squares(x, target, term_names);

  BestLinearProjection out;
  out.rows = n;
  out.clusters = codes.count;
  out.df = fit.residual_df();
  out.confidence_level = confidence_level;
  Eigen::MatrixXd vcov;
  if (clusters.empty()) {
    out.variance = "HC3";
    vcov = heteroskedasticity_robust_vcov(x, fit.residuals, fit.bread, VarianceType::hc3);
  } else {
    out.variance = "HC3 (clustered)";
    vcov = clustered_hc3_vcov(x, fit.residuals, fit.bread, codes, "best linear projection");
  }
  if (!vcov.allFinite())
    throw InputError("best linear projection: a row has leverage 1, so the HC3 standard error is undefined");
  for (Eigen::Index j = 0; j < fit.params(); ++j) {
    const CoefficientTest test = t_test(fit.coefficients[j], std::sqrt(vcov(j, j)), out.df, confidence_level);
    ProjectionTerm term;
    term.name = term_names[static_cast<std::size_t>(j)];
    term.estimate = test.estimate;
    term.se = test.se;
    term.t_statistic = test.t_statistic;
    term.p_value = test.p_value;
    term.ci_low = test.ci_low;
    term.ci_high = test.ci_high;
    out.terms.push_back(std::move(term));
  }
  return out;
}

}  // namespace casebook

#include "estimators/ordinary_least_squares.hpp"

#include <cmath>

#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"

namespace casebook {

namespace {
constexpr std::string_view kName = "ols";
}

Estimate ordinary_least_squares(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  if (!args.cluster.empty()) require_column(data, kName, "cluster", args.cluster);
  require_complete(data, used_columns(args));
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  const VarianceSpec variance_spec = make_variance_spec(data, args.se_type, args.cluster);

  std::vector<std::string> regressors{args.treatment};
  regressors.insert(regressors.end(), args.covariates.begin(), args.covariates.end());
  const DesignMatrix design = build_design_matrix(data, regressors);
  const Eigen::VectorXd y = numeric_column(data, args.outcome, "outcome");
  const LeastSquaresFit fit = fit_least_squares(design.x, y, design.names);
  const VarianceEstimate variance = sandwich_vcov(design.x, fit.residuals, fit.bread, variance_spec);

  constexpr Eigen::Index treatment_index = 1;  // right after the intercept
  Estimate out = to_estimate(
      t_test(fit.coefficients(treatment_index), std::sqrt(variance.vcov(treatment_index, treatment_index)),
             variance.df, args.confidence_level),
      data.rows());
  out.se_type = to_string(variance.type);
  out.terms =
      coefficient_terms(design.names, fit.coefficients, variance.vcov, variance.df, args.confidence_level);
  const double n = static_cast<double>(fit.rows);
  const double k = static_cast<double>(fit.params());
  out.diagnostics["r2"] = fit.r_squared();
  out.diagnostics["adj_r2"] = 1.0 - (1.0 - fit.r_squared()) * (n - 1.0) / (n - k);
  out.diagnostics["residual_se"] = std::sqrt(fit.residual_sum_of_squares / (n - k));
  out.diagnostics["params"] = k;
  if (variance.clusters > 0) out.diagnostics["clusters"] = static_cast<double>(variance.clusters);
  if (variance.clusters > 0 && variance.clusters < 20)
    out.notes.push_back("few clusters (" + std::to_string(variance.clusters) +
                        "): cluster-robust standard errors can be too small with fewer than about 20");
  return out;
}

}  // namespace casebook

#include "estimators/propensity_score.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <Eigen/LU>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/balance_report.hpp"
#include "estimators/propensity_overlap_plot.hpp"
#include "inference/design_matrix.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {

PropensityData propensity_data(std::string_view estimator, const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  reject_argument(estimator, "instruments", !args.instruments.empty(), "use 2sls for instrumental variables");
  reject_argument(estimator, "cluster", !args.cluster.empty(),
                  "its standard error treats rows as independent");
  if (args.covariates.empty())
    throw InputError(
        fmt::format("{} needs covariates: the propensity score is modelled from them", estimator));
  require_distinct_roles(args);
  require_numeric_column(data, estimator, "outcome", args.outcome);
  require_binary_column(data, estimator, "treatment", args.treatment);
  for (const auto& c : args.covariates) require_column(data, estimator, "covariate", c);
  require_complete(data, used_columns(args));

  PropensityData d;
  d.y = data.column(args.outcome).values;
  d.t = data.column(args.treatment).values;
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  const auto treated = std::count(d.t.begin(), d.t.end(), 1.0);
  const auto control = static_cast<std::ptrdiff_t>(d.t.size()) - treated;
  if (treated < 2 || control < 2)
    throw InputError(data.source(),
                     fmt::format("treatment '{}' has {} treated and {} control rows; {} needs at "
                                 "least 2 in each arm",
                                 args.treatment, treated, control, estimator));
  d.design = build_design_matrix(data, args.covariates).x;
  for (std::size_t i = 0; i < d.t.size(); ++i) d.all.push_back(static_cast<std::uint32_t>(i));
  return d;
}

PropensityFit fit_propensity(std::string_view estimator, const std::string& treatment,
                             const PropensityData& d, std::span<const std::uint32_t> rows) {
  PropensityFit fit;
  try {
    fit.coefficients = fit_logistic(d.design, d.t, rows).coefficients;
  } catch (const InputError& e) {
    throw InputError(
        fmt::format("{}: propensity model of treatment '{}': {}", estimator, treatment, e.what()));
  }
  const Eigen::VectorXd eta = d.design * fit.coefficients;
  fit.e.resize(d.t.size());
  for (std::size_t i = 0; i < fit.e.size(); ++i)
    fit.e[i] = 1 / (1 + std::exp(-eta[static_cast<Eigen::Index>(i)]));
  return fit;
}

WeightTarget parse_weight_target(std::string_view text) {
  if (text == "att") return WeightTarget::att;
  if (text == "atc") return WeightTarget::atc;
  if (text == "ato") return WeightTarget::ato;
  return WeightTarget::ate;  // the options parser has already rejected anything else
}

double balancing_weight(WeightTarget target, double treated, double e) {
  const bool is_treated = treated == 1.0;
  switch (target) {
    case WeightTarget::ate:
      return is_treated ? 1 / e : 1 / (1 - e);
    case WeightTarget::att:
      return is_treated ? 1 : e / (1 - e);
    case WeightTarget::atc:
      return is_treated ? (1 - e) / e : 1;
    case WeightTarget::ato:
      return is_treated ? 1 - e : e;
  }
  return 1;
}

double balancing_weight_slope(WeightTarget target, double treated, double e) {
  const bool is_treated = treated == 1.0;
  switch (target) {
    case WeightTarget::ate:
      return is_treated ? -1 / (e * e) : 1 / ((1 - e) * (1 - e));
    case WeightTarget::att:
      return is_treated ? 0 : 1 / ((1 - e) * (1 - e));
    case WeightTarget::atc:
      return is_treated ? -1 / (e * e) : 0;
    case WeightTarget::ato:
      return is_treated ? -1 : 1;
  }
  return 0;
}

WeightedContrast weighted_contrast(const PropensityData& d, const PropensityFit& fit,
                                   std::span<const double> e, std::span<const char> truncated,
                                   WeightTarget target) {
  const std::size_t n = d.y.size();
  const Eigen::Index p = d.design.cols();
  std::vector<double> w(n);
  double sum1 = 0, sum0 = 0, weighted1 = 0, weighted0 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = balancing_weight(target, d.t[i], e[i]);
    (d.t[i] == 1 ? sum1 : sum0) += w[i];
    (d.t[i] == 1 ? weighted1 : weighted0) += w[i] * d.y[i];
  }
  const double mu1 = weighted1 / sum1, mu0 = weighted0 / sum0;

  // Parameters (β, μ₁, μ₀); psi holds each row's estimating functions, a = −Σ ∂ψ/∂θ.
  Eigen::MatrixXd psi(static_cast<Eigen::Index>(n), p + 2);
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(p + 2, p + 2);
  double naive1 = 0, naive0 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    const auto x = d.design.row(r);
    const double model_e = fit.e[i];
    const bool is_treated = d.t[i] == 1;
    const double residual = d.y[i] - (is_treated ? mu1 : mu0);
    psi.row(r).head(p) = x * (d.t[i] - model_e);
    psi(r, p) = is_treated ? w[i] * residual : 0;
    psi(r, p + 1) = is_treated ? 0 : w[i] * residual;
    a.topLeftCorner(p, p).noalias() += model_e * (1 - model_e) * x.transpose() * x;
    // ∂w/∂β = ∂w/∂e · e(1 − e) x, zero where the propensity was truncated.
    const double slope =
        truncated[i] ? 0 : balancing_weight_slope(target, d.t[i], e[i]) * model_e * (1 - model_e);
    a.row(is_treated ? p : p + 1).head(p) -= residual * slope * x;
    (is_treated ? naive1 : naive0) += w[i] * w[i] * residual * residual;
  }
  a(p, p) = sum1;
  a(p + 1, p + 1) = sum0;

  // Var(μ̂₁ − μ̂₀) = cᵀ A⁻¹ B A⁻ᵀ c = Σᵢ (ψᵢ · u)² with u = A⁻ᵀ c and B = Σ ψᵢ ψᵢᵀ.
  Eigen::VectorXd c = Eigen::VectorXd::Zero(p + 2);
  c[p] = 1;
  c[p + 1] = -1;
  const Eigen::VectorXd u = a.transpose().partialPivLu().solve(c);
  WeightedContrast out;
  out.estimate = mu1 - mu0;
  out.se = std::sqrt((psi * u).squaredNorm());
  out.se_ignoring_ps = std::sqrt(naive1 / (sum1 * sum1) + naive0 / (sum0 * sum0));
  return out;
}

void report_weights(Estimate& out, const Dataset& data, const EstimatorArgs& args, std::span<const double> t,
                    std::span<const double> e, std::span<const double> weights, WeightTarget target) {
  const auto [low, high] = std::minmax_element(e.begin(), e.end());
  out.diagnostics["min_propensity"] = *low;
  out.diagnostics["max_propensity"] = *high;
  out.diagnostics["max_weight"] = *std::max_element(weights.begin(), weights.end());
  // The overlap population's balance is read with both arms' spread, as cobalt does.
  const BalanceEstimand estimand = target == WeightTarget::att   ? BalanceEstimand::att
                                   : target == WeightTarget::atc ? BalanceEstimand::atc
                                                                 : BalanceEstimand::ate;
  report_balance(out, data, args.covariates, t, weights, estimand, "weighting");
  out.plots.push_back(propensity_overlap_plot(t, e));
}

}  // namespace casebook

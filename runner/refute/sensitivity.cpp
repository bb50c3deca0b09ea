#include "refute/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <boost/math/distributions/students_t.hpp>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"

namespace casebook {
namespace {

double t_quantile(double p, double df) {
  return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
}

void require_positive_dof(double dof) {
  if (!(dof > 1))
    throw InputError(fmt::format("sensitivity: needs more than 1 residual degree of freedom, got {}", dof));
}

// ½(√(f⁴ + 4f²) − f²): the robustness value for a partial Cohen's f (Cinelli & Hazlett 2020, eq. 18).
double rv_of_f(double f) { return 0.5 * (std::sqrt(f * f * f * f + 4 * f * f) - f * f); }

// Partial R² of the named columns (all dummies of a categorical one) in a regression of y on the
// design: the drop in RSS from leaving them out, over the restricted RSS. For one column it equals
// t²/(t² + df).
double partial_r2_of(const DesignMatrix& design, const Eigen::VectorXd& y, const LeastSquaresFit& full,
                     const std::vector<std::string>& dropped_names) {
  std::vector<Eigen::Index> kept;
  std::vector<std::string> kept_names;
  for (std::size_t j = 0; j < design.names.size(); ++j)
    if (std::find(dropped_names.begin(), dropped_names.end(), design.names[j]) == dropped_names.end()) {
      kept.push_back(static_cast<Eigen::Index>(j));
      kept_names.push_back(design.names[j]);
    }
  const Eigen::MatrixXd restricted_x = design.x(Eigen::all, kept);
  const LeastSquaresFit restricted = fit_least_squares(restricted_x, y, kept_names);
  if (restricted.residual_sum_of_squares <= 0) return 0;
  return std::max(0.0, (restricted.residual_sum_of_squares - full.residual_sum_of_squares) /
                           restricted.residual_sum_of_squares);
}

}  // namespace

double partial_r2_from_t(double t_statistic, double dof) {
  require_positive_dof(dof);
  return t_statistic * t_statistic / (t_statistic * t_statistic + dof);
}

double partial_f_from_t(double t_statistic, double dof) {
  require_positive_dof(dof);
  return std::abs(t_statistic) / std::sqrt(dof);
}

double robustness_value(double t_statistic, double dof, double q) {
  if (!(q > 0)) throw InputError(fmt::format("robustness value: q must be above 0, got {}", q));
  return rv_of_f(q * partial_f_from_t(t_statistic, dof));
}

double robustness_value_alpha(double t_statistic, double dof, double q, double alpha) {
  if (!(q > 0)) throw InputError(fmt::format("robustness value: q must be above 0, got {}", q));
  if (!(alpha > 0 && alpha < 1))
    throw InputError(fmt::format("robustness value: alpha must be in (0, 1), got {}", alpha));
  const double fq = q * partial_f_from_t(t_statistic, dof);
  const double f_crit = std::abs(t_quantile(alpha / 2, dof - 1)) / std::sqrt(dof - 1);
  const double fqa = fq - f_crit;
  if (fqa <= 0) return 0;
  if (fq > 1 / f_crit) return (fq * fq - f_crit * f_crit) / (1 + fq * fq);  // the constraint does not bind
  return rv_of_f(fqa);
}

BenchmarkBound benchmark_bound(double estimate, double se, double dof, double r2dxj_x, double r2yxj_dx,
                               double kd, double ky, double alpha) {
  require_positive_dof(dof);
  BenchmarkBound b;
  b.kd = kd;
  b.ky = ky;
  b.r2dxj_x = r2dxj_x;
  b.r2yxj_dx = r2yxj_dx;
  b.r2dz_x = kd * r2dxj_x / (1 - r2dxj_x);
  if (!(b.r2dz_x < 1))
    throw InputError(
        fmt::format("benchmark bound: k_d = {} times the benchmark's partial R² with the treatment ({:.4g}) "
                    "is impossible (implied R² ≥ 1); use a smaller k_d",
                    kd, r2dxj_x));
  const double r2zxj_xd = kd * r2dxj_x * r2dxj_x / ((1 - kd * r2dxj_x) * (1 - r2dxj_x));
  if (!(r2zxj_xd < 1))
    throw InputError("benchmark bound: impossible k_d (implied R² of the confounder with the benchmark ≥ 1)");
  const double root = (std::sqrt(ky) + std::sqrt(r2zxj_xd)) / std::sqrt(1 - r2zxj_xd);
  b.r2yz_dx = std::min(1.0, root * root * (r2yxj_dx / (1 - r2yxj_dx)));
  const double bias = std::sqrt(b.r2yz_dx * b.r2dz_x / (1 - b.r2dz_x)) * se * std::sqrt(dof);
  b.adjusted_estimate = (estimate >= 0 ? 1.0 : -1.0) * (std::abs(estimate) - bias);  // towards zero
  b.adjusted_se = std::sqrt((1 - b.r2yz_dx) / (1 - b.r2dz_x)) * se * std::sqrt(dof / (dof - 1));
  b.adjusted_t = b.adjusted_se > 0 ? b.adjusted_estimate / b.adjusted_se : 0;
  const double half_width = t_quantile(1 - alpha / 2, dof - 1) * b.adjusted_se;
  b.adjusted_ci_low = b.adjusted_estimate - half_width;
  b.adjusted_ci_high = b.adjusted_estimate + half_width;
  return b;
}

double e_value(double risk_ratio) {
  if (!(risk_ratio > 0) || !std::isfinite(risk_ratio))
    throw InputError(fmt::format("E-value: the risk ratio must be a positive number, got {}", risk_ratio));
  const double rr = risk_ratio >= 1 ? risk_ratio : 1 / risk_ratio;
  return rr + std::sqrt(rr * (rr - 1));
}

EValue e_value(double risk_ratio, double ci_low, double ci_high) {
  if (!(ci_low <= risk_ratio && risk_ratio <= ci_high))
    throw InputError(fmt::format("E-value: the CI [{}, {}] does not contain the estimate {}", ci_low, ci_high,
                                 risk_ratio));
  EValue out;
  out.point = e_value(risk_ratio);
  if (ci_low > 1)
    out.ci = e_value(ci_low);
  else if (ci_high < 1)
    out.ci = e_value(ci_high);
  else
    out.ci = 1;  // the CI already includes the null
  return out;
}

double risk_ratio_from_odds_ratio(double odds_ratio, bool common_outcome) {
  if (!(odds_ratio > 0))
    throw InputError(fmt::format("E-value: the odds ratio must be positive, got {}", odds_ratio));
  return common_outcome ? std::sqrt(odds_ratio) : odds_ratio;
}

double risk_ratio_from_standardized_difference(double d) { return std::exp(0.91 * d); }

std::string AndersonRubinSet::describe() const {
  if (shape == "interval") return fmt::format("[{:.4g}, {:.4g}]", low, high);
  if (shape == "two-rays") return fmt::format("(-inf, {:.4g}] and [{:.4g}, +inf): unbounded", low, high);
  if (shape == "whole-line")
    return "the whole real line: unbounded (the instrument is too weak to say anything)";
  return "empty";
}

AndersonRubinSet anderson_rubin_set(double pi_y, double pi_d, double var_yy, double cov_yd, double var_dd,
                                    double critical_value) {
  // (π_Y − βπ_D)² − c(V_YY − 2βV_YD + β²V_DD) ≤ 0, i.e. aβ² + bβ + c₀ ≤ 0.
  const double a = pi_d * pi_d - critical_value * var_dd;
  const double b = -2 * (pi_y * pi_d - critical_value * cov_yd);
  const double c0 = pi_y * pi_y - critical_value * var_yy;
  AndersonRubinSet set;
  const double discriminant = b * b - 4 * a * c0;
  if (a > 0) {
    if (discriminant < 0) {
      set.shape = "empty";
      return set;
    }
    set.shape = "interval";
    set.low = (-b - std::sqrt(discriminant)) / (2 * a);
    set.high = (-b + std::sqrt(discriminant)) / (2 * a);
    return set;
  }
  if (a < 0 && discriminant > 0) {
    set.shape = "two-rays";
    set.low = (-b + std::sqrt(discriminant)) / (2 * a);  // a < 0: this is the smaller root
    set.high = (-b - std::sqrt(discriminant)) / (2 * a);
    return set;
  }
  set.shape = "whole-line";
  set.low = -std::numeric_limits<double>::infinity();
  set.high = std::numeric_limits<double>::infinity();
  return set;
}

RegressionSensitivity regression_sensitivity(const Dataset& data, const EstimatorArgs& args,
                                             const std::vector<std::string>& benchmarks, double q,
                                             double alpha) {
  require_numeric_column(data, "sensitivity", "outcome", args.outcome);
  require_numeric_column(data, "sensitivity", "treatment", args.treatment);
  for (const auto& covariate : args.covariates) require_column(data, "sensitivity", "covariate", covariate);
  for (const auto& benchmark : benchmarks)
    if (std::find(args.covariates.begin(), args.covariates.end(), benchmark) == args.covariates.end())
      throw InputError(fmt::format(
          "sensitivity: benchmark '{}' must be one of the covariates ({})", benchmark,
          args.covariates.empty() ? "none given" : fmt::format("{}", fmt::join(args.covariates, ", "))));
  std::vector<std::string> regressors{args.treatment};
  regressors.insert(regressors.end(), args.covariates.begin(), args.covariates.end());
  const DesignMatrix design = build_design_matrix(data, regressors);
  const Eigen::VectorXd y = numeric_column(data, args.outcome, "outcome");
  const LeastSquaresFit fit = fit_least_squares(design.x, y, design.names);

  RegressionSensitivity out;
  out.q = q;
  out.alpha = alpha;
  out.dof = fit.residual_df();
  constexpr Eigen::Index treatment_index = 1;
  out.estimate = fit.coefficients(treatment_index);
  out.se = std::sqrt(fit.residual_sum_of_squares / out.dof * fit.bread(treatment_index, treatment_index));
  out.t_statistic = out.se > 0 ? out.estimate / out.se : 0;
  out.partial_r2 = partial_r2_from_t(out.t_statistic, out.dof);
  out.robustness_value = robustness_value(out.t_statistic, out.dof, q);
  out.robustness_value_alpha = robustness_value_alpha(out.t_statistic, out.dof, q, alpha);

  if (!benchmarks.empty()) {
    // The treatment regression D ~ X (without D) gives the benchmarks' partial R² with D.
    DesignMatrix covariate_design;
    covariate_design.x = design.x;
    covariate_design.names = design.names;
    std::vector<Eigen::Index> keep;
    std::vector<std::string> keep_names;
    for (Eigen::Index j = 0; j < design.x.cols(); ++j)
      if (j != treatment_index) {
        keep.push_back(j);
        keep_names.push_back(design.names[static_cast<std::size_t>(j)]);
      }
    covariate_design.x = design.x(Eigen::all, keep);
    covariate_design.names = keep_names;
    const Eigen::VectorXd d = design.x.col(treatment_index);
    const LeastSquaresFit treatment_fit = fit_least_squares(covariate_design.x, d, covariate_design.names);
    for (const auto& benchmark : benchmarks) {
      const std::vector<std::string> names = expanded_names(data.column(benchmark));
      const double r2d = partial_r2_of(covariate_design, d, treatment_fit, names);
      const double r2y = partial_r2_of(design, y, fit, names);
      BenchmarkBound bound = benchmark_bound(out.estimate, out.se, out.dof, r2d, r2y, 1.0, 1.0, alpha);
      bound.covariate = benchmark;
      out.benchmarks.push_back(bound);
    }
  }
  return out;
}

std::optional<AndersonRubinSet> iv_anderson_rubin(const Dataset& data, const EstimatorArgs& args) {
  if (args.instruments.size() != 1) return std::nullopt;
  if (expanded_names(data.column(args.instruments.front())).size() != 1)
    return std::nullopt;  // a categorical instrument is several instruments
  std::vector<std::string> regressors = args.covariates;
  regressors.push_back(args.instruments.front());
  const DesignMatrix design = build_design_matrix(data, regressors);
  const Eigen::Index z = design.x.cols() - 1;
  const Eigen::VectorXd y = numeric_column(data, args.outcome, "outcome");
  const Eigen::VectorXd d = numeric_column(data, args.treatment, "treatment");
  const LeastSquaresFit fit_y = fit_least_squares(design.x, y, design.names);
  const LeastSquaresFit fit_d = fit_least_squares(design.x, d, design.names);
  const VarianceSpec spec = make_variance_spec(data, args.se_type, args.cluster);
  // Var(π_Y − βπ_D) is the variance of the coefficient on Z with residual e_Y − βe_D: a quadratic
  // form in the residuals, so V_YD follows from the variances with e_Y, e_D and e_Y + e_D.
  const VarianceEstimate v_yy = sandwich_vcov(design.x, fit_y.residuals, fit_y.bread, spec);
  const VarianceEstimate v_dd = sandwich_vcov(design.x, fit_d.residuals, fit_d.bread, spec);
  const Eigen::VectorXd sum_residuals = fit_y.residuals + fit_d.residuals;
  const VarianceEstimate v_sum = sandwich_vcov(design.x, sum_residuals, fit_y.bread, spec);
  const double var_yy = v_yy.vcov(z, z), var_dd = v_dd.vcov(z, z);
  const double cov_yd = 0.5 * (v_sum.vcov(z, z) - var_yy - var_dd);
  const double t_crit = t_quantile(1 - (1 - args.confidence_level) / 2, v_yy.df);
  return anderson_rubin_set(fit_y.coefficients(z), fit_d.coefficients(z), var_yy, cov_yd, var_dd,
                            t_crit * t_crit);
}

std::vector<DiagnosticSpec> sensitivity_diagnostic_specs(SensitivityAnalysis analysis) {
  switch (analysis) {
    case SensitivityAnalysis::robustness_value:
      return {
          {"robustness_value", "share of residual variance a confounder must explain to remove the effect"},
          {"robustness_value_alpha", "the same to make it insignificant at 5%"},
          {"partial_r2_treatment", "partial R² of the treatment with the outcome"}};
    case SensitivityAnalysis::anderson_rubin:
      return {{"anderson_rubin_bounded", "1 when the Anderson–Rubin set is a bounded interval, else 0"},
              {"anderson_rubin_low", "lower end of the Anderson–Rubin set"},
              {"anderson_rubin_high", "upper end of the Anderson–Rubin set"}};
    case SensitivityAnalysis::e_value:
      return {{"e_value", "E-value of the standardised effect"},
              {"e_value_ci", "E-value of the CI bound nearer to no effect"}};
  }
  return {};
}

std::map<std::string, double> sensitivity_diagnostics(const EstimatorInfo& estimator, const Dataset& data,
                                                      const EstimatorArgs& args, const Estimate& estimate) {
  std::map<std::string, double> out;
  const auto applies = [&](SensitivityAnalysis analysis) {
    return std::find(estimator.sensitivity.begin(), estimator.sensitivity.end(), analysis) !=
           estimator.sensitivity.end();
  };
  if (applies(SensitivityAnalysis::robustness_value)) {
    const RegressionSensitivity s = regression_sensitivity(data, args);
    out["robustness_value"] = s.robustness_value;
    out["robustness_value_alpha"] = s.robustness_value_alpha;
    out["partial_r2_treatment"] = s.partial_r2;
  }
  if (applies(SensitivityAnalysis::anderson_rubin)) {
    if (auto ar = iv_anderson_rubin(data, args)) {
      out["anderson_rubin_bounded"] = ar->bounded() ? 1 : 0;
      if (ar->shape == "interval" || ar->shape == "two-rays") {
        out["anderson_rubin_low"] = ar->low;
        out["anderson_rubin_high"] = ar->high;
      }
    }
  }
  if (!applies(SensitivityAnalysis::e_value)) return out;
  // The E-value of the standardised effect d = estimate / SD(Y), RR ≈ exp(0.91 d).
  const auto& y = data.column(args.outcome).values;
  double mean = 0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(y.size());
  double ss = 0;
  for (double v : y) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / static_cast<double>(y.size() - 1));
  if (sd > 0 && std::isfinite(estimate.ci_low) && std::isfinite(estimate.ci_high)) {
    const EValue e = e_value(risk_ratio_from_standardized_difference(estimate.estimate / sd),
                             risk_ratio_from_standardized_difference(estimate.ci_low / sd),
                             risk_ratio_from_standardized_difference(estimate.ci_high / sd));
    out["e_value"] = e.point;
    out["e_value_ci"] = e.ci;
  }
  return out;
}

}  // namespace casebook

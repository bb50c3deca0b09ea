#pragma once
// Sensitivity of an estimate to unobserved confounding, from the published formulas:
// - Cinelli & Hazlett (2020), "Making sense of sensitivity: extending omitted variable bias",
//   JRSS-B 82(1): the partial R² of the treatment with the outcome, the robustness values RV_q and
//   RV_{q,α}, and the bounds implied by a benchmark covariate (as sensemakr's ovb_bounds with
//   k_d = k_y multiples of the benchmark's partial R²s);
// - VanderWeele & Ding (2017), "Sensitivity analysis in observational research: introducing the
//   E-value", Annals of Internal Medicine 167(4): the E-value of a risk ratio and of its CI limit,
//   with their approximate conversions from an odds ratio and a standardised mean difference;
// - Anderson & Rubin (1949): for a just-identified IV, the confidence set of the effect that stays
//   valid with a weak instrument, by inverting the AR test (analytically: a quadratic inequality).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// R²_{Y~D|X} = t² / (t² + df) (Cinelli & Hazlett 2020, section 3).
double partial_r2_from_t(double t_statistic, double dof);
// Partial Cohen's f of the treatment: |t| / √df.
double partial_f_from_t(double t_statistic, double dof);
// RV_q = ½(√(f_q⁴ + 4 f_q²) − f_q²) with f_q = q·|t|/√df: the share of the residual variance of
// both treatment and outcome a confounder must explain to reduce the estimate by 100·q %.
double robustness_value(double t_statistic, double dof, double q = 1.0);
// RV_{q,α}: the same, to make the reduced estimate's (1-α) CI reach the null. 0 when the estimate
// is not significant already; (f_q² − f*²)/(1 + f_q²) in the region f_q > 1/f* (sensemakr ≥ 0.1.4).
double robustness_value_alpha(double t_statistic, double dof, double q = 1.0, double alpha = 0.05);

// What a confounder k_d (k_y) times as strongly related to the treatment (outcome) as a benchmark
// covariate would do (sensemakr's ovb_bounds / adjusted_estimate, reduce = TRUE).
struct BenchmarkBound {
  std::string covariate;
  double kd = 1, ky = 1;
  double r2dxj_x = 0;   // benchmark's partial R² with the treatment, given the other covariates
  double r2yxj_dx = 0;  // benchmark's partial R² with the outcome, given treatment and the others
  double r2dz_x = 0;    // implied confounder's partial R² with the treatment
  double r2yz_dx = 0;   // implied confounder's partial R² with the outcome (capped at 1)
  double adjusted_estimate = 0;
  double adjusted_se = 0;
  double adjusted_t = 0;
  double adjusted_ci_low = 0, adjusted_ci_high = 0;
};
// Throws InputError when k_d·R²_{D~Xj|X} leaves no residual treatment variance (r2dz_x ≥ 1).
BenchmarkBound benchmark_bound(double estimate, double se, double dof, double r2dxj_x, double r2yxj_dx,
                               double kd = 1.0, double ky = 1.0, double alpha = 0.05);

// E-value of a risk ratio: RR + √(RR(RR−1)) for RR ≥ 1, applied to 1/RR for RR < 1.
double e_value(double risk_ratio);
struct EValue {
  double point = 1;
  double ci = 1;  // for the CI limit closer to 1; 1 when the CI includes 1
};
EValue e_value(double risk_ratio, double ci_low, double ci_high);
// Approximate conversions (VanderWeele & Ding 2017, Table): an odds ratio is close to the risk ratio
// when the outcome is rare, √OR when it is common (>15%); a standardised mean difference d gives
// RR ≈ exp(0.91·d).
double risk_ratio_from_odds_ratio(double odds_ratio, bool common_outcome);
double risk_ratio_from_standardized_difference(double d);

// The Anderson–Rubin set {β₀ : (π_Y − β₀π_D)² ≤ c·Var(π_Y − β₀π_D)} from the reduced-form
// coefficients of the instrument on Y and on D and their (co)variances.
struct AndersonRubinSet {
  std::string shape;         // "interval", "two-rays" (−∞, low] ∪ [high, ∞), "whole-line", "empty"
  double low = 0, high = 0;  // the interval's ends, or the rays' inner ends
  bool bounded() const { return shape == "interval" || shape == "empty"; }
  std::string describe() const;
};
AndersonRubinSet anderson_rubin_set(double pi_y, double pi_d, double var_yy, double cov_yd, double var_dd,
                                    double critical_value);

// From data: the OLS treatment coefficient's sensitivity (classical t and df = n − k, as sensemakr
// reads lm), and one bound per benchmark covariate (a categorical one counts as its dummies together).
struct RegressionSensitivity {
  double estimate = 0, se = 0, t_statistic = 0, dof = 0;
  double partial_r2 = 0;
  double robustness_value = 0;
  double robustness_value_alpha = 0;
  double q = 1, alpha = 0.05;
  std::vector<BenchmarkBound> benchmarks;
};
RegressionSensitivity regression_sensitivity(const Dataset& data, const EstimatorArgs& args,
                                             const std::vector<std::string>& benchmarks = {}, double q = 1.0,
                                             double alpha = 0.05);

// For 2SLS with one instrument: the AR set with the analysis's variance type (its df and level).
// Empty optional when the instrument count is not 1.
std::optional<AndersonRubinSet> iv_anderson_rubin(const Dataset& data, const EstimatorArgs& args);

// The numbers an analysis reports as diagnostics, for the sensitivity analyses its estimator
// declares (EstimatorInfo::sensitivity): robustness_value, robustness_value_alpha and
// partial_r2_treatment; anderson_rubin_low/high and anderson_rubin_bounded (1/0; one instrument
// only); e_value and e_value_ci of the standardised effect (estimate / SD of the outcome).
std::map<std::string, double> sensitivity_diagnostics(const EstimatorInfo& estimator, const Dataset& data,
                                                      const EstimatorArgs& args, const Estimate& estimate);

// The diagnostics one sensitivity analysis adds, declared as estimators declare theirs.
std::vector<DiagnosticSpec> sensitivity_diagnostic_specs(SensitivityAnalysis analysis);

}  // namespace casebook

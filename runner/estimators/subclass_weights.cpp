#include "estimators/subclass_weights.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"

namespace casebook {

SubclassWeights subclass_weights(std::span<const std::ptrdiff_t> subclass, std::span<const double> treatment,
                                 BalanceEstimand estimand, std::string_view estimator,
                                 std::string_view stratum_word, std::string_view hint) {
  const std::size_t n = subclass.size();
  std::ptrdiff_t largest = -1;
  for (const std::ptrdiff_t s : subclass) largest = std::max(largest, s);
  const auto slots = static_cast<std::size_t>(largest + 1);
  std::vector<double> treated(slots, 0), control(slots, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (subclass[i] != kNoSubclass)
      ++(treatment[i] == 1 ? treated : control)[static_cast<std::size_t>(subclass[i])];

  SubclassWeights out;
  std::vector<std::ptrdiff_t> renumbered(slots, kNoSubclass);
  for (std::size_t s = 0; s < slots; ++s)
    if (treated[s] > 0 && control[s] > 0) renumbered[s] = static_cast<std::ptrdiff_t>(out.strata++);
  if (out.strata == 0)
    throw InputError(
        fmt::format("{}: no {} holds both treated and control units; {}", estimator, stratum_word, hint));

  out.subclass.assign(n, kNoSubclass);
  out.weights.assign(n, 0.0);
  // MatchIt's sums are R's sum(), which accumulates in long double.
  long double sum1 = 0, sum0 = 0;
  double kept1 = 0, kept0 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (subclass[i] == kNoSubclass) continue;
    const auto s = static_cast<std::size_t>(subclass[i]);
    out.subclass[i] = renumbered[s];
    if (renumbered[s] == kNoSubclass) continue;
    const bool is_treated = treatment[i] == 1;
    const double total = treated[s] + control[s];
    double& w = out.weights[i];
    switch (estimand) {
      case BalanceEstimand::att:
        w = is_treated ? 1 : treated[s] / control[s];
        break;
      case BalanceEstimand::atc:
        w = is_treated ? control[s] / treated[s] : 1;
        break;
      case BalanceEstimand::ate:
        w = is_treated ? total / treated[s] : total / control[s];
        break;
    }
    (is_treated ? sum1 : sum0) += w;
    ++(is_treated ? kept1 : kept0);
  }
  // Each arm's weights sum to its count of kept rows (an arm of 1s is left as it is).
  const auto scale1 = static_cast<double>(sum1), scale0 = static_cast<double>(sum0);
  for (std::size_t i = 0; i < n; ++i) {
    if (out.subclass[i] == kNoSubclass) continue;
    if (treatment[i] == 1 && estimand != BalanceEstimand::att)
      out.weights[i] = out.weights[i] * kept1 / scale1;
    if (treatment[i] == 0 && estimand != BalanceEstimand::atc)
      out.weights[i] = out.weights[i] * kept0 / scale0;
  }
  return out;
}

Estimate subclass_weighted_effect(std::string_view estimator, const Dataset& data, const EstimatorArgs& args,
                                  std::span<const double> weights) {
  const std::vector<double>& t = data.column(args.treatment).values;
  const std::vector<double>& y = data.column(args.outcome).values;
  std::vector<std::size_t> rows;
  std::size_t kept_treated = 0;
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] > 0) {
      rows.push_back(i);
      kept_treated += t[i] == 1 ? 1 : 0;
    }
  // A lone row in an arm has leverage 1, where HC3 divides by zero (R's vcovHC gives NaN).
  const std::size_t kept_control = rows.size() - kept_treated;
  if (kept_treated < 2 || kept_control < 2)
    throw InputError(fmt::format(
        "{}: the strata keep {} treated and {} control rows; the HC3 standard error needs at least 2 in "
        "each arm",
        estimator, kept_treated, kept_control));
  const auto m = static_cast<Eigen::Index>(rows.size());
  // Weighted least squares as OLS on √w-scaled rows: its residuals and bread are what
  // lm(weights = w) hands to sandwich::vcovHC (the hat values of the weighted fit included).
  Eigen::MatrixXd x(m, 2);
  Eigen::VectorXd yw(m);
  for (Eigen::Index r = 0; r < m; ++r) {
    const std::size_t i = rows[static_cast<std::size_t>(r)];
    const double root = std::sqrt(weights[i]);
    x(r, 0) = root;
    x(r, 1) = root * t[i];
    yw[r] = root * y[i];
  }
  const LeastSquaresFit fit = fit_least_squares(x, yw, {"(Intercept)", args.treatment});
  const VarianceEstimate variance = sandwich_vcov(x, fit.residuals, fit.bread, {VarianceType::hc3, {}});
  Estimate out = to_estimate(
      t_test(fit.coefficients(1), std::sqrt(variance.vcov(1, 1)), variance.df, args.confidence_level),
      rows.size());
  out.se_type = to_string(variance.type);
  out.terms =
      coefficient_terms(fit.names, fit.coefficients, variance.vcov, variance.df, args.confidence_level);
  return out;
}

void report_subclasses(Estimate& out, std::span<const double> treatment, const SubclassWeights& strata) {
  double matched_treated = 0, matched_control = 0, unmatched = 0;
  std::vector<double> subclass(strata.subclass.size());
  for (std::size_t i = 0; i < subclass.size(); ++i) {
    if (strata.weights[i] > 0)
      ++(treatment[i] == 1 ? matched_treated : matched_control);
    else
      ++unmatched;
    subclass[i] = static_cast<double>(strata.subclass[i] + 1);
  }
  out.diagnostics["n_matched_treated"] = matched_treated;
  out.diagnostics["n_matched_control"] = matched_control;
  out.diagnostics["n_unmatched"] = unmatched;
  out.row_outputs["weight"] = strata.weights;
  out.row_outputs["subclass"] = std::move(subclass);
}

}  // namespace casebook

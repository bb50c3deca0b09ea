#include "estimators/two_stage_least_squares.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <Eigen/QR>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/coefficient_table.hpp"
#include "estimators/complier_profile.hpp"
#include "inference/design_matrix.hpp"
#include "inference/least_squares.hpp"
#include "inference/sandwich_vcov.hpp"
#include "inference/t_test.hpp"
#include "inference/wald_test.hpp"

namespace casebook {

namespace {

constexpr std::string_view kName = "2sls";
// Staiger–Stock rule of thumb for a weak first stage.
constexpr double kWeakInstrumentF = 10.0;

struct FirstStage {
  Eigen::VectorXd fitted_treatment;
  double f_statistic = 0;
  double f_robust = 0;
  double partial_r2 = 0;
  double f_p_value = 1;
  double effective_f = 0;
};

// Montiel Olea & Pflueger's (2013) effective F: π̂'(Z̃'Z̃)π̂ / tr(V̂(π̂) Z̃'Z̃), with Z̃ the excluded
// instruments net of the exogenous regressors and V̂(π̂) their first-stage coefficients' robust
// (or cluster) variance. With one instrument it is the robust F itself.
double effective_f_statistic(const DesignMatrix& exogenous, const DesignMatrix& excluded,
                             const Eigen::VectorXd& pi, const Eigen::MatrixXd& pi_vcov) {
  const Eigen::MatrixXd partialled =
      excluded.x - exogenous.x * exogenous.x.colPivHouseholderQr().solve(excluded.x);
  const Eigen::MatrixXd gram = partialled.transpose() * partialled;
  return pi.dot(gram * pi) / (pi_vcov * gram).trace();
}

// D on [W, Z_excluded] against D on W: the classical F and partial R² of the excluded
// instruments, and their Wald/q with the same variance type as the second stage.
FirstStage run_first_stage(const DesignMatrix& exogenous, const DesignMatrix& excluded,
                           const Eigen::VectorXd& treatment, const std::string& treatment_name,
                           const VarianceSpec& variance_spec) {
  const Eigen::Index n = exogenous.x.rows();
  const Eigen::Index kw = exogenous.x.cols();
  const Eigen::Index q = excluded.x.cols();
  Eigen::MatrixXd instruments(n, kw + q);
  instruments << exogenous.x, excluded.x;
  std::vector<std::string> names = exogenous.names;
  names.insert(names.end(), excluded.names.begin(), excluded.names.end());

  const LeastSquaresFit full = fit_least_squares(instruments, treatment, names);
  const LeastSquaresFit restricted = fit_least_squares(exogenous.x, treatment, exogenous.names);
  FirstStage out;
  out.fitted_treatment = treatment - full.residuals;
  const double explained = restricted.residual_sum_of_squares - full.residual_sum_of_squares;
  // An instrument that does not move the treatment at all leaves D̂ collinear with the exogenous
  // regressors: say so rather than report a rank-deficiency in the second stage.
  if (!(explained > 1e-12 * restricted.residual_sum_of_squares))
    throw InputError(fmt::format(
        "{}: the instruments ('{}') do not move the treatment '{}' at all (first-stage partial R² = 0), so "
        "the IV estimate is undefined",
        kName, fmt::join(excluded.names, "', '"), treatment_name));
  const double df_residual = full.residual_df();
  out.f_statistic = (explained / static_cast<double>(q)) / (full.residual_sum_of_squares / df_residual);
  out.f_p_value = f_test_p_value(out.f_statistic, static_cast<double>(q), df_residual);
  out.partial_r2 =
      restricted.residual_sum_of_squares > 0 ? explained / restricted.residual_sum_of_squares : 0;
  const VarianceEstimate variance = sandwich_vcov(instruments, full.residuals, full.bread, variance_spec);
  std::vector<Eigen::Index> tested;
  for (Eigen::Index j = kw; j < kw + q; ++j) tested.push_back(j);
  out.f_robust = wald_f_statistic(full.coefficients, variance.vcov, tested);
  out.effective_f = effective_f_statistic(exogenous, excluded, full.coefficients.tail(q),
                                          variance.vcov.bottomRightCorner(q, q));
  return out;
}

// (E[Y|Z=1] - E[Y|Z=0]) / (E[D|Z=1] - E[D|Z=0]); NaN when the first stage difference is zero.
double wald_estimate(const std::vector<double>& y, const std::vector<double>& d,
                     const std::vector<double>& z) {
  double sums[2][2] = {{0, 0}, {0, 0}};  // [z][0: y, 1: d]
  double counts[2] = {0, 0};
  for (std::size_t i = 0; i < z.size(); ++i) {
    const auto arm = static_cast<std::size_t>(z[i]);
    sums[arm][0] += y[i];
    sums[arm][1] += d[i];
    counts[arm] += 1;
  }
  const double reduced_form = sums[1][0] / counts[1] - sums[0][0] / counts[0];
  const double first_stage = sums[1][1] / counts[1] - sums[0][1] / counts[0];
  return first_stage != 0 ? reduced_form / first_stage : std::nan("");
}

bool is_binary(const Column& column) {
  if (column.is_categorical()) return false;
  for (double v : column.values)
    if (v != 0.0 && v != 1.0) return false;
  return true;
}

}  // namespace

Estimate two_stage_least_squares(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  if (args.instruments.empty())
    throw InputError(fmt::format("{} needs at least one instrument (instruments is empty)", kName));
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  require_numeric_column(data, kName, "treatment", args.treatment);
  for (const auto& instrument : args.instruments) require_column(data, kName, "instrument", instrument);
  for (const auto& covariate : args.covariates) require_column(data, kName, "covariate", covariate);
  if (!args.cluster.empty()) require_column(data, kName, "cluster", args.cluster);
  require_complete(data, used_columns(args));
  require_not_constant(data, "treatment", args.treatment, "nothing to compare");
  for (const auto& instrument : args.instruments)
    require_not_constant(data, "instrument", instrument, "it cannot move the treatment");
  const VarianceSpec variance_spec = make_variance_spec(data, args.se_type, args.cluster);

  const DesignMatrix exogenous = build_design_matrix(data, args.covariates);
  const DesignMatrix excluded = build_design_matrix(data, args.instruments, {.intercept = false});
  constexpr Eigen::Index kEndogenous = 1;
  if (excluded.x.cols() < kEndogenous)
    throw InputError(fmt::format("{} has more endogenous regressors ({}) than excluded instruments ({})",
                                 kName, kEndogenous, excluded.x.cols()));
  const Eigen::VectorXd treatment = numeric_column(data, args.treatment, "treatment");
  const Eigen::VectorXd y = numeric_column(data, args.outcome, "outcome");
  const FirstStage first_stage =
      run_first_stage(exogenous, excluded, treatment, args.treatment, variance_spec);

  // Structural regressors X = [1, D, W]; X̂ replaces D by its first-stage fit (the exogenous
  // columns project onto themselves).
  std::vector<std::string> regressors{args.treatment};
  regressors.insert(regressors.end(), args.covariates.begin(), args.covariates.end());
  const DesignMatrix structural = build_design_matrix(data, regressors);
  constexpr Eigen::Index treatment_index = 1;
  Eigen::MatrixXd projected = structural.x;
  projected.col(treatment_index) = first_stage.fitted_treatment;

  // The second-stage fit gives β and the bread (X̂'X̂)^{-1}; its residuals y - X̂β are not the
  // structural ones, which use the actual treatment.
  const LeastSquaresFit second_stage = fit_least_squares(projected, y, structural.names);
  const Eigen::VectorXd& coefficients = second_stage.coefficients;
  const Eigen::VectorXd residuals = y - structural.x * coefficients;
  const VarianceEstimate variance = sandwich_vcov(projected, residuals, second_stage.bread, variance_spec);

  Estimate out = to_estimate(
      t_test(coefficients(treatment_index), std::sqrt(variance.vcov(treatment_index, treatment_index)),
             variance.df, args.confidence_level),
      data.rows());
  out.se_type = to_string(variance.type);
  // The second stage's terms, named by the structural regressors (the treatment, not its fit), as ivreg.
  out.terms =
      coefficient_terms(structural.names, coefficients, variance.vcov, variance.df, args.confidence_level);
  out.diagnostics["first_stage_F"] = first_stage.f_statistic;
  out.diagnostics["first_stage_F_p"] = first_stage.f_p_value;
  out.diagnostics["first_stage_F_robust"] = first_stage.f_robust;
  out.diagnostics["effective_F"] = first_stage.effective_f;
  out.diagnostics["partial_r2"] = first_stage.partial_r2;
  out.diagnostics["excluded_instruments"] = static_cast<double>(excluded.x.cols());
  out.diagnostics["params"] = static_cast<double>(coefficients.size());
  if (variance.clusters > 0) out.diagnostics["clusters"] = static_cast<double>(variance.clusters);

  const bool binary_instrument =
      args.instruments.size() == 1 && is_binary(data.column(args.instruments.front()));
  if (binary_instrument) {
    const double wald = wald_estimate(data.column(args.outcome).values, data.column(args.treatment).values,
                                      data.column(args.instruments.front()).values);
    if (std::isfinite(wald))
      out.diagnostics["wald_estimate"] = wald;
    else
      out.notes.push_back(
          fmt::format("the treatment has the same mean at both values of instrument '{}', "
                      "so the Wald estimate is undefined",
                      args.instruments.front()));
  }
  if (binary_instrument && is_binary(data.column(args.treatment)))
    report_compliers(out, data, args.outcome, args.treatment, args.instruments.front(), args.covariates);
  if (first_stage.f_statistic < kWeakInstrumentF)
    out.notes.push_back(fmt::format("weak instrument: first-stage F {:.1f} < {:.0f}", first_stage.f_statistic,
                                    kWeakInstrumentF));
  else if (first_stage.f_robust < kWeakInstrumentF)
    out.notes.push_back(
        fmt::format("weak instrument: robust first-stage F {:.1f} < {:.0f} (classical F {:.1f})",
                    first_stage.f_robust, kWeakInstrumentF, first_stage.f_statistic));
  return out;
}

}  // namespace casebook

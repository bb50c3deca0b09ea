#pragma once
// `synthetic-control`: Abadie, Diamond & Hainmueller's (2010, JASA 105(490)) synthetic control
// method as the R package Synth fits it, on a block design read as synthdid reads it (options unit
// and time; block_design_panel.hpp). Several treated units adopting at once are averaged into one
// treated series (outcomes and predictors), which is then matched as one unit.
//
// - Predictors X (K rows): by default every pre-period outcome ("y(2001)", …); with option
//   predictors, each column's mean over the pre-periods per unit (missing values skipped, as
//   Synth's na.rm), plus the pre-period outcomes listed in option outcome_lags. Each is divided by
//   its SD over the donors and the treated series (Synth's standardisation).
// - Donor weights W on the simplex minimise (X1 − X0 W)' V (X1 − X0 W), solved exactly by an
//   active-set method (simplex_least_squares).
// - Predictor weights V (diagonal, on the simplex) minimise the pre-period MSPE of the outcome,
//   (Z1 − Z0 W(V))'(Z1 − Z0 W(V)) / T0 — ADH's nested optimisation — by Nelder–Mead over
//   V = softmax(θ) from Synth's two starts, equal weights and the regression-based ones (diag of
//   ββ', β the coefficients of the pre-period outcomes on the scaled predictors, when that
//   regression is identified), each restarted once from its end point; the better one is kept.
//   Deterministic.
// - Estimate: the mean post-period gap Y1 − Y0 W. Inference: ADH's in-space placebos, each donor
//   in turn fitted as the treated unit from the other donors (the treated units left out), the
//   same way; p_value is the share of the J + 1 units whose post/pre RMSPE ratio is at least the
//   treated one's (rank / (J + 1)). se ("placebo"): the SD of the placebo estimates (divisor J, as
//   synthdid's placebo SE), with a normal CI from it — a rough scale, not a design-based SE.
//
// Outputs: tables unit_weights (W), predictor_weights (V), predictor_balance (treated, synthetic,
// donor mean, unscaled) and placebos; diagnostics pre_rmspe, post_rmspe, rmspe_ratio,
// p_value_placebo, donors_with_weight, pre_mspe_loss, treated_units, donors, pre_periods,
// post_periods; plots synthetic_control (treated vs synthetic), gap and placebo_gaps.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// w ≥ 0 with Σw = 1 minimising ‖A w − b‖², exactly (an active-set method: Lawson & Hanson's NNLS
// with the equality constraint, from the best single column). With ties (A rank-deficient on the
// simplex) it returns one minimiser, deterministically.
Eigen::VectorXd simplex_least_squares(const Eigen::MatrixXd& a, const Eigen::VectorXd& b);

// Synth's inner problem: W minimising (x1 − X0 W)' diag(v) (x1 − X0 W) on the simplex; x0 is K × J.
Eigen::VectorXd synthetic_control_weights(const Eigen::MatrixXd& x0, const Eigen::VectorXd& x1,
                                          const Eigen::VectorXd& v);

struct SyntheticControlUnitFit {
  Eigen::VectorXd v, w;  // predictor weights (Σ = 1) and donor weights
  double loss = 0;       // pre-period MSPE of the outcome
  Eigen::VectorXd gap;   // treated minus synthetic, every period
  double estimate = 0, pre_rmspe = 0, post_rmspe = 0;
};

struct SyntheticControlFit {
  std::vector<std::string> donors, treated, predictors;
  std::vector<double> times;
  Eigen::Index pre_periods = 0;
  Eigen::MatrixXd x0;                             // K × J predictors of the donors, unscaled
  Eigen::VectorXd x1;                             // K: the treated (average) series' predictors
  Eigen::VectorXd scale;                          // K: the SDs the predictors are divided by
  Eigen::MatrixXd y0;                             // T × J donors' outcomes
  Eigen::VectorXd y1;                             // T: the treated (average) outcome
  SyntheticControlUnitFit fit;                    // of the treated series
  std::vector<SyntheticControlUnitFit> placebos;  // donor j as the treated unit
  double p_value = 1, se = 0;
};

// The nested optimisation for one treated series: x0 K × J, x1 K (both scaled), z0 T × J and z1 T
// outcomes over every period, of which the first t0 are pre-periods.
SyntheticControlUnitFit fit_synthetic_control(const Eigen::MatrixXd& x0, const Eigen::VectorXd& x1,
                                              const Eigen::MatrixXd& z0, const Eigen::VectorXd& z1,
                                              Eigen::Index t0);

// Throws InputError (one line) for a bad panel (see read_block_design_panel), a predictor that is
// constant across units or missing in every pre-period, an outcome lag that is not a pre-period,
// or an exact pre-period fit (the RMSPE ratio is then undefined).
SyntheticControlFit synthetic_control_fit(const Dataset& data, const EstimatorArgs& args);

Estimate synthetic_control(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

#pragma once
// `sun-abraham`: the interaction-weighted (IW) event-study estimator of Sun & Abraham (2021),
// robust to effects that differ across adoption cohorts, where naive TWFE and the pooled event
// study mix in comparisons with already-treated units (Goodman-Bacon 2021).
//
// 1. Saturated regression: the outcome on one dummy per (cohort e, relative period l = t − e)
//    cell of the treated cohorts, leaving out the reference period (option `reference`, default
//    −1), with unit and time effects absorbed (panel_structure.hpp) and CR1 standard errors by
//    unit (or the cluster column), exactly as estimatr::lm_robust(y ~ cells, fixed_effects =
//    ~ unit + time, clusters = unit, se_type = "stata").
// 2. Controls (option `control`): "never" (default) — the never-treated units; "last" — the
//    cohort that adopts last (and any never-treated units), using only the periods before it
//    adopts. Cohorts treated from the first period on (no pre-period) are dropped, with a note.
// 3. IW coefficient of relative period l: Σ_e w_{e,l} δ_{e,l}, with w_{e,l} the share of cohort e
//    among the units observed at relative period l (rows of cell (e,l) over rows at l: the sample
//    cohort shares of the paper; fixest::sunab's weights). The headline estimate is the ATT over
//    the treated post-adoption cells (l >= 0): the cell coefficients weighted by their rows,
//    fixest's aggregate(…, "att"). Standard errors by the delta method, w' V w with the CR1 vcov
//    of step 1, taking the weights as fixed (as fixest does).
//
// Diagnostics: coef_<l>, se_<l> (IW coefficients), twfe_estimate, twfe_se and twfe_minus_robust
// (static TWFE on the same rows), pretrend_F / pretrend_p / pretrend_df1 (joint Wald test that the
// IW lead coefficients are zero), cohorts, cells, clusters, units, df. Plots: "sun-abraham" (IW
// coefficients with CIs, kind "points"). Terms: the saturated regression's. Tables: "sun-abraham"
// (IW coefficients by relative period) and "cells" (δ_{e,l} by cohort and relative period).
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// The saturated regression and the weights, for tests and for the estimator below.
struct SunAbrahamFit {
  std::vector<double> cohorts;      // adoption periods of the treated cohorts with dummies
  std::vector<double> cell_cohort;  // per cell (regressor), sorted by cohort then relative period
  std::vector<double> cell_relative;
  std::vector<double> cell_rows;               // rows in the cell
  Eigen::VectorXd coefficients;                // δ_{e,l}, then any covariates
  std::vector<std::string> coefficient_names;  // "relative::<l>:cohort::<e>" (fixest's sunab), covariates
  Eigen::MatrixXd vcov;                        // CR1
  double df = 0;                               // G − 1
  Eigen::Index clusters = 0;
  std::vector<double> relative_periods;  // with an IW coefficient (the reference excluded)
  Eigen::MatrixXd iw_weights;            // relative periods × coefficients
  Eigen::VectorXd att_weights;           // coefficients: the post-period cell shares
  std::size_t rows = 0;                  // of the estimation sample
  std::size_t units = 0;
  std::size_t dropped_always_treated = 0;  // units
  double twfe_estimate = 0, twfe_se = 0;   // static TWFE on the estimation sample
  std::string control;                     // "never" or "last"
  double reference = -1;
};

// Throws InputError as twfe does (non-integer times, a unit twice in a period, a treatment that is
// not 0/1 or switches off), for no control units, and for a cohort with no row at the reference.
SunAbrahamFit sun_abraham_fit(const Dataset& data, const EstimatorArgs& args);

Estimate sun_abraham(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

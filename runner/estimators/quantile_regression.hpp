#pragma once
// `quantile-regression`: linear quantile regression as quantreg::rq(method = "br") and
// summary.rq's standard errors (nid, iid, ker, xy-pair bootstrap), and with option
// effect=unconditional the unconditional quantile treatment effect of a binary treatment
// (Firpo 2007): the difference of the arms' inverse-propensity-weighted marginal quantiles.
//
// The fit is an exact solution of the linear programme min Σ ρ_τ(y − Xb): a vertex, where p rows
// are fitted exactly. A Frisch–Newton interior-point method (Portnoy & Koenker 1997) gets close;
// the p rows with the smallest residuals then form a basis and simplex pivots (the
// Barrodale–Roberts descent: free one basic row, line-search along the edge by a weighted median)
// move to an optimal vertex. When the optimum is unique — the usual case with a continuous
// covariate — that vertex is rq's solution to rounding. When it is not (a whole edge is optimal:
// e.g. τ·n of a dummy's group is a whole number), every point of that edge minimises the loss;
// rq's choice depends on its pivoting path, ours on its own, so the coefficients can differ from
// rq's while the minimum (diagnostic `objective`) is the same. Both flag it: rq warns "Solution
// may be nonunique", we set diagnostic `nonunique` to 1 and add a note.
#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

struct QuantileFit {
  Eigen::VectorXd coefficients;
  Eigen::VectorXd residuals;        // y − X b; exactly 0 on the basis rows
  double objective = 0;             // Σ ρ_τ(residual), the minimum
  std::vector<Eigen::Index> basis;  // the p rows fitted exactly
  bool nonunique = false;           // another vertex attains the same minimum
};

// The τ-quantile regression of y on x (which holds the intercept if any). Throws InputError when
// x has no more rows than columns or its columns are linearly dependent (naming no column: the
// estimator checks the design's rank first, by name).
QuantileFit fit_quantile_regression(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double tau);

// quantreg::bandwidth.rq: the Hall–Sheather (1988) bandwidth at α = 0.05, or Bofinger's (1975).
double quantile_bandwidth(double tau, std::size_t n, bool hall_sheather);

// The smallest y whose cumulative weight reaches τ of the total (the weighted inverse empirical
// CDF; R's quantile(type = 1) with equal weights), over the rows listed in `rows` (repeats count).
double weighted_quantile(const std::vector<double>& y, const std::vector<double>& weight,
                         const std::vector<std::size_t>& rows, double tau);

// Estimate: the treatment's coefficient at the first τ of option tau (terms: all its coefficients;
// table "coefficients": every τ's), or with effect=unconditional the quantile treatment effect at
// the first τ (table "quantile_treatment_effects", bootstrap SE and percentile interval).
// Plot "quantile_process": the treatment's coefficient (or effect) across τ with its intervals.
Estimate quantile_regression(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

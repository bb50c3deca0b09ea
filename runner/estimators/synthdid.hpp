#pragma once
// `synthdid`: synthetic difference in differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager
// 2021, AER 111(12)) on a balanced block design — N0 donor units never treated, N1 treated units all
// adopting at the same period and staying treated, T0 pre-periods and T1 post-periods — with the
// defaults of the authors' R package synthdid:
//
// - noise level σ̂: the sample SD of the first differences over time of the donors' pre-period
//   outcomes; ζ_ω = (N1·T1)^(1/4)·σ̂ (sdid), ζ_λ = 1e-6·σ̂.
// - unit weights ω (simplex over donors): minimise ζ_ω²·T0·‖ω‖² + ‖ω0 + Y_co,pre'ω − ȳ_tr,pre‖²
//   with an intercept ω0 (solved by centring each series over time); time weights λ (simplex over
//   pre-periods): the same with rows and columns exchanged (the donors' pre-period outcomes against
//   their post-period means), ζ_λ, N0 rows and an intercept.
// - solver: Frank–Wolfe on the simplex with exact line search, from uniform weights, 100
//   iterations, then sparsified (weights ≤ max/4 set to 0, renormalised) and solved again from
//   there for up to 10,000 iterations; it stops when the objective falls by less than
//   (1e-5·σ̂)² in an iteration.
// - estimate: (ȳ_tr,post − ω'Y_co,post) − λ'(ȳ_tr,pre − ω'Y_co,pre), averaged over post-periods.
// - method sc: ω with ζ = 1e-6·σ̂ and no intercept, λ = 0 (synthdid's sc_estimate); method did:
//   uniform ω and λ (did_estimate).
// - SE: jackknife over units with the weights held fixed (ω renormalised over the donors left in,
//   uniform if none has weight), as synthdid's vcov(method = "jackknife"); it needs at least two
//   treated units and two donors with weight, as there.
//
// Diagnostics: zeta, zeta_lambda, noise_level, n_donors_with_weight, n_periods_with_weight,
// pre_rmse (root mean square of treated average minus counterfactual over the pre-periods),
// treated_units, donors, pre_periods, post_periods. Tables "unit_weights" (ω per donor) and
// "time_weights" (λ per pre-period). Plot "synthdid" (kind "lines"): the treated average and its
// counterfactual (the synthetic control shifted by the λ-weighted pre-period gap) over time.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

struct SynthdidFit {
  std::string method;                     // sdid, sc or did
  std::vector<std::string> donors;        // unit names, in order of first appearance
  std::vector<std::string> treated;       // unit names
  std::vector<double> times;              // all periods, increasing
  Eigen::Index pre_periods = 0;           // T0
  Eigen::MatrixXd y;                      // (N0 + N1) × T: donors then treated units
  Eigen::VectorXd omega, lambda;          // N0 unit weights, T0 time weights
  double estimate = 0, jackknife_se = 0;  // jackknife_se: the weights held fixed
  double noise_level = 0, zeta_omega = 0, zeta_lambda = 0;
};

// Frank–Wolfe for min ζ²·rows·‖w‖² + ‖A w − b‖² over the simplex, y = [A b] (rows × (k+1)), with the
// columns centred first when `intercept`; from `start`, at most `max_iterations`, stopping when the
// objective ζ²‖w‖² + ‖·‖²/rows falls by no more than `min_decrease`² in an iteration.
Eigen::VectorXd simplex_weights(const Eigen::MatrixXd& y, double zeta, bool intercept, Eigen::VectorXd start,
                                double min_decrease, int max_iterations);

// Throws InputError (one line, naming the unit or period) for a panel that is not a balanced block
// design, a missing outcome, fewer than two donors or pre-periods, or a jackknife that is undefined.
SynthdidFit synthdid_fit(const Dataset& data, const EstimatorArgs& args);

Estimate synthdid(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

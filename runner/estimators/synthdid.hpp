#pragma once
// `synthdid`: synthetic difference in differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager
// 2021, AER 111(12)) on a balanced panel of N0 donor units never treated and N1 treated units that
// stay treated once they adopt, with the defaults of the authors' R package synthdid. In a block
// design every treated unit adopts at the same period (T0 pre-periods, T1 post-periods):
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
//
// Staggered adoption (several adoption periods), as Arkhangelsky et al. (2021, appendix A) and
// Clarke, Pailañir, Athey & Imbens's Stata sdid do it: each cohort a (the units adopting at one
// period) is a block design of its own against the never-treated donors, over every period, with
// its own T0, σ̂, ζ and weights (units adopting later are not used as controls); the estimate is
// Σ_a w_a τ_a with w_a = N1_a·T1_a / Σ_b N1_b·T1_b, each cohort weighted by its share of the
// treated unit-periods. A block design is the case of one cohort.
//
// SE (option se), over the whole estimate: jackknife over units with the weights held fixed (ω
// renormalised over the donors left in, uniform if none has weight), as synthdid's
// vcov(method = "jackknife"); it needs at least two treated units in every cohort and two donors
// with weight, as there and in sdid. placebo: synthdid's Algorithm 4 (placebo_se) — each replication
// shuffles the donors, lets the last N1 play the treated units (cohort by cohort, with the real
// cohorts' sizes and adoption periods) and re-estimates on the donors alone (weights re-fitted from
// the original ones, renormalised, with the original ζ), the only choice with one treated unit; it
// needs N0 > N1. bootstrap: units resampled with replacement, draws without a treated or a donor
// unit redrawn, re-estimated the same way, a cohort no draw reaches left out (bootstrap_se); it
// needs two treated units. Both are sqrt((R−1)/R)·sd of the R replicates, with replication r drawn
// from pcg64 seeded by derive_seed(seed, r): the same on any thread count.
//
// Diagnostics: cohorts, treated_units, donors, and, for a block design, zeta, zeta_lambda,
// noise_level, n_donors_with_weight, n_periods_with_weight, pre_rmse (root mean square of treated
// average minus counterfactual over the pre-periods), pre_periods, post_periods. Tables
// "unit_weights" (ω per donor) and "time_weights" (λ per pre-period), with a first column
// "adoption" under staggered adoption, which adds the table "cohorts" (each cohort's adoption, size,
// post-periods, weight, estimate, ζ, σ̂ and pre_rmse). Plot "synthdid" (kind "lines"): each
// cohort's treated average and its counterfactual (the synthetic control shifted by the λ-weighted
// pre-period gap) over time.
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// One adoption cohort fitted as a block design against the donors.
struct SynthdidCohort {
  double adoption = 0;               // its first treated period
  Eigen::Index first = 0, size = 0;  // its rows in SynthdidFit::y
  Eigen::Index pre_periods = 0;      // T0
  Eigen::VectorXd omega, lambda;     // N0 unit weights, T0 time weights
  double estimate = 0;               // τ_a
  double weight = 0;                 // w_a: its share of the treated unit-periods
  double noise_level = 0, zeta_omega = 0, zeta_lambda = 0;
};

struct SynthdidFit {
  std::string method;                     // sdid, sc or did
  std::vector<std::string> donors;        // unit names, in order of first appearance
  std::vector<std::string> treated;       // unit names, cohort by cohort
  std::vector<double> times;              // all periods, increasing
  Eigen::MatrixXd y;                      // (N0 + N1) × T: donors, then the cohorts' units
  std::vector<SynthdidCohort> cohorts;    // in order of adoption; one in a block design
  double estimate = 0, jackknife_se = 0;  // jackknife_se: the weights held fixed
  std::string se_method;                  // jackknife, placebo or bootstrap
  double se = 0;                          // by se_method
  std::vector<double> replicates;         // placebo or bootstrap estimates, by replication
};

// Frank–Wolfe for min ζ²·rows·‖w‖² + ‖A w − b‖² over the simplex, y = [A b] (rows × (k+1)), with the
// columns centred first when `intercept`; from `start`, at most `max_iterations`, stopping when the
// objective ζ²‖w‖² + ‖·‖²/rows falls by no more than `min_decrease`² in an iteration.
Eigen::VectorXd simplex_weights(const Eigen::MatrixXd& y, double zeta, bool intercept, Eigen::VectorXd start,
                                double min_decrease, int max_iterations);

// Replication r of the placebo: the donors' indices in a random order (Fisher–Yates); the last N1
// play the treated units, the first cohort's first.
std::vector<Eigen::Index> synthdid_placebo_draw(std::uint64_t seed, std::size_t replication,
                                                Eigen::Index donors);
// Replication r of the bootstrap: `units` indices into fit.y drawn with replacement and sorted,
// drawn again until both donors (index < `donors`) and treated units are among them.
std::vector<Eigen::Index> synthdid_bootstrap_draw(std::uint64_t seed, std::size_t replication,
                                                  Eigen::Index donors, Eigen::Index units);
// The estimate re-fitted on a placebo or bootstrap draw, as synthdid's placebo_se and bootstrap_se
// do: ω and λ re-solved from the fit's (ω restricted to the draw's donors and renormalised) with
// the fit's ζ and stopping rule; did keeps its uniform weights, sc its λ = 0.
double synthdid_placebo_estimate(const SynthdidFit& fit, const std::vector<Eigen::Index>& draw);
double synthdid_bootstrap_estimate(const SynthdidFit& fit, const std::vector<Eigen::Index>& draw);

// Throws InputError (one line, naming the unit or period) for a panel that is not balanced, a
// treatment that switches off, a missing outcome, fewer than two donors or pre-periods, or an SE that
// is undefined.
SynthdidFit synthdid_fit(const Dataset& data, const EstimatorArgs& args);

Estimate synthdid(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

#pragma once
// Uplift-model evaluation on a randomized sample: rank rows by predicted effect (CATE score),
// then compare the observed outcomes of treated and control rows among the top k. Definitions
// follow CausalML (causalml.metrics: get_cumlift, get_cumgain, get_qini, auuc_score, qini_score;
// Chen et al. 2020, "CausalML: Python Package for Causal Machine Learning", arXiv:2002.11631).
// With rows sorted by score, descending (ties keep their data order), and for the top k rows
//   N_T(k), N_C(k)   treated / control rows,   Y_T(k), Y_C(k)   their outcome sums:
//   lift(k) = Y_T(k)/N_T(k) − Y_C(k)/N_C(k)                        (get_cumlift)
//   gain(k) = lift(k) · k                                          (get_cumgain, unnormalised)
//   qini(k) = Y_T(k) − Y_C(k) · N_T(k)/N_C(k)                      (get_qini, unnormalised)
// with gain(0) = qini(0) = 0. Where lift or qini is undefined (an arm still empty among the top k)
// it is interpolated linearly from 0 at k = 0, as CausalML's pandas interpolate() does.
// Normalised curves divide by |gain(n)| and |qini(n)| (CausalML's normalize=True). Random
// targeting is its expectation, the straight line from 0 to the curve's end: random(k) =
// (k/n)·curve(n) (CausalML averages random permutations, which converge to this line).
//   AUUC        = Σ_{k=0..n} gain_norm(k) / (n + 1)                  (auuc_score)
//   AUUC random = Σ_{k=0..n} (k/n)·sign(gain(n)) / (n + 1) = ±1/2
//   Qini coeff. = Σ_{k=0..n} [qini_norm(k) − (k/n)·sign(qini(n))] / (n + 1)   (qini_score)
//   top-q share = gain(round(q·n)) / gain(n): the share of the total incremental outcome (the
//                 estimated effect of treating everyone) captured by treating the top q only;
//                 random targeting captures q.
// Uplift by decile: rows ranked by score cut into ten groups of ⌊(d+1)n/10⌋ − ⌊dn/10⌋ rows; each
// group's mean(Y | T=1) − mean(Y | T=0) (NaN-free: a group with an empty arm reports 0 and a note).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "estimators/estimator.hpp"

namespace casebook {

struct UpliftCurves {
  std::vector<double> gain;  // unnormalised, k = 0..n
  std::vector<double> qini;  // unnormalised, k = 0..n
};

struct DecileUplift {
  std::size_t rows = 0;
  double mean_score = 0;
  double observed_uplift = 0;
  bool defined = true;  // false when a decile has no treated or no control row
};

struct UpliftEvaluation {
  double auuc = 0;
  double auuc_random = 0;
  double qini_coefficient = 0;
  double top_share = 0;  // at the requested share
  std::vector<DecileUplift> deciles;
  UpliftCurves curves;
};

// Throws InputError when sizes differ, n < 2, or treatment is not 0/1.
UpliftCurves uplift_curves(std::span<const double> y, std::span<const double> treatment,
                           std::span<const double> score);
UpliftEvaluation evaluate_uplift(std::span<const double> y, std::span<const double> treatment,
                                 std::span<const double> score, double top_share = 0.3);

// sqrt(mean((estimate − truth)²)): the precision in estimating heterogeneous effects (Hill 2011),
// and the Pearson correlation of estimate and truth (0 when either is constant).
double pehe(std::span<const double> estimate, std::span<const double> truth);
double pearson_correlation(std::span<const double> a, std::span<const double> b);

// Plots for an Estimate: normalised gain and Qini curves against random (≈ 100 points each) and
// the uplift by decile. `label` names the learner.
std::vector<Plot> uplift_plots(const UpliftEvaluation& evaluation, const std::string& label);

}  // namespace casebook

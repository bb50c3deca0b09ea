#pragma once
// The truth of an estimand, computed from potential outcomes of the structural model.
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {

struct EstimandSpec {
  std::string id;    // e.g. "late"
  std::string type;  // "ate", "att", "late", "cate", "rd", "qte", "acme"
  std::string treatment;
  std::string outcome;
  std::string instrument;  // for "late"
  double treated_value = 1;
  double control_value = 0;
  std::string where;       // location for error messages, e.g. "cases/x/case.json: estimands[0]"
  std::string running{};   // for "rd": the running variable
  double cutoff = 0;       // for "rd": the threshold
  double quantile = 0.5;   // for "qte": the level q in (0, 1)
  std::string mediator{};  // for "acme": the variable through which the effect passes
};

// Population quantities of the simulated sample (not of the superpopulation):
//   ate  = mean_i [Y_i(do T=1) - Y_i(do T=0)]   (cate: the same mean; its per-unit terms below)
//   att  = the same mean over units with T_i = 1 in `factual`; in a panel, over the unit-period
//          cells with T = treated_value (the treated post-adoption cells), as the mean of
//          Y_it - Y_it(do T=0 in every period): the ATT of difference in differences
//   late = the same mean over compliers, T_i(do Z=1) = treated_value and T_i(do Z=0) =
//          control_value; the treatment must take only those two values under do(Z=1), do(Z=0)
//   rd   = the effect at the cutoff of a regression discontinuity, E[Y(1) - Y(0) | X = c] among
//          the units the threshold moves (compliers: T_i(do X=c) = treated_value and
//          T_i(do X=c-ε) = control_value; every unit in a sharp design). The limit X → c is taken
//          as the intercept at c of a local linear fit (triangular kernel) of the compliers' unit
//          effects on X over the tenth of them nearest the cutoff: exact when the effect is linear
//          in X near c, with an O(h²) error otherwise. Cross-sections only.
//   qte  = the quantile treatment effect at level q, F⁻¹_{Y(1)}(q) - F⁻¹_{Y(0)}(q) over the sample's
//          potential outcomes (a difference of quantiles, not a quantile of differences; F⁻¹ is
//          the inverse of the empirical distribution, R's quantile type 1: the value a quantile
//          regression on a binary treatment returns for each arm). Cross-sections only.
//   acme = the average causal mediation effect through mediator M (Imai, Keele & Tingley 2010),
//          averaged over the two arms as mediation's ACME (average):
//          mean_i ½[(Y_i(1, M_i(1)) - Y_i(1, M_i(0))) + (Y_i(0, M_i(1)) - Y_i(0, M_i(0)))], where
//          Y_i(t, M_i(t')) sets T to t and holds M at unit i's value under do(T = t').
// Y_i(do T=t) sets T to treated_value / control_value and reuses unit i's noise, so the
// truth is exact for the sample. `factual` is model.simulate(seed, n) with no interventions.
// Throws InputError when the estimand is undefined (no treated units, no compliers, an
// unknown variable or type, a treatment that is not binary for late).
// `threads` as in StructuralModel::simulate (1 inside parallel Monte Carlo replications).
double estimand_truth(const StructuralModel& model, const Dataset& factual, const EstimandSpec& estimand,
                      std::uint64_t seed, unsigned threads = 0);

// cate: the unit-level effect Y_i(do T=1) - Y_i(do T=0) of every unit (same noise, as above), the
// truth a CATE learner's per-row predictions are judged against (PEHE, correlation). It is handed
// to the evaluation step only, never to the estimators. estimand_truth of a "cate" estimand is its
// mean (the sample ATE). Throws InputError for any other estimand type.
std::vector<double> estimand_row_truth(const StructuralModel& model, const Dataset& factual,
                                       const EstimandSpec& estimand, std::uint64_t seed,
                                       unsigned threads = 0);

}  // namespace casebook

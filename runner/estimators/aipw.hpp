#pragma once
// `aipw`: augmented inverse probability weighting (Robins, Rotnitzky & Zhao 1994), doubly robust:
// linear outcome models per arm (OLS on the covariates) and a logistic propensity model.
//   ate: mean of ψ = μ̂₁ − μ̂₀ + T(Y − μ̂₁)/ê − (1 − T)(Y − μ̂₀)/(1 − ê)
//   att: Σ [T(Y − μ̂₀) − (1 − T) ê/(1 − ê) (Y − μ̂₀)] / Σ T  (Hahn 1998; Moodie et al. 2018)
// SE = sd of the efficient influence function / √n. Options: estimand (ate), folds (1: no
// cross-fitting; k ≥ 2: each row's nuisances fitted on the other folds, Chernozhukov et al.
// 2018), seed (of the fold assignment).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// The fold of each row: all 0 for folds = 1, else from a permutation seeded by `seed`.
std::vector<std::size_t> aipw_folds(std::size_t rows, std::size_t folds, std::uint64_t seed);

// aipw with the given fold of each row (0 … k − 1); aipw calls it with aipw_folds.
Estimate aipw_with_folds(const Dataset& data, const EstimatorArgs& args, std::span<const std::size_t> fold);

// Diagnostics: min_propensity, max_propensity, ess_treated, ess_control, max_weight (of the
// inverse-probability part), df; row outputs propensity, mu1, mu0, score.
Estimate aipw(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

#pragma once
// The refuters in the registry, one file each.
#include "refute/refutation.hpp"

namespace casebook {

// Permute the treatment (with the instruments, so an IV keeps its first stage): the effect
// should vanish.
RefutationResult placebo_treatment(const RefuterInput& input);
// Add an independent N(0, 1) covariate: the estimate should not move.
RefutationResult random_common_cause(const RefuterInput& input);
// Rerun on random subsets of the rows (or units): the estimates should stay close.
RefutationResult data_subsets(const RefuterInput& input);
// Replace the outcome by one the treatment cannot affect: the effect should be zero.
RefutationResult dummy_outcome(const RefuterInput& input);
// Resample with replacement: the bootstrap spread should match the reported SE.
RefutationResult bootstrap_stability(const RefuterInput& input);
// Panels: pretend adoption happened earlier and use only the real pre-periods: no effect expected.
RefutationResult placebo_date(const RefuterInput& input);
// Regression discontinuity: fit at cutoffs where nothing happens, each side on its own: no jump.
RefutationResult placebo_cutoff(const RefuterInput& input);

}  // namespace casebook

#pragma once
// `did`: the 2×2 difference in differences. Options `group` (0/1: the unit is in the treated
// group) and `post` (0/1: the row is after the change) name columns; the estimate is the
// coefficient of group×post in y ~ 1 + group + post + group×post, that is
// (ȳ_treated,post − ȳ_treated,pre) − (ȳ_control,post − ȳ_control,pre), with HC1 standard errors
// (args.se_type) or CR1 with args.cluster, as estimatr::lm_robust(y ~ group * post).
// The `treatment` argument must be the group column or equal group×post on every row.
//
// Option `comparison` picks one contrast of the same 2×2 table instead, to show what the naive
// analyses get: "post-difference" (treated vs control after the change: y on group among post
// rows) or "before-after" (the treated group after vs before: y on post among group rows).
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Diagnostics: mean_treated_pre, mean_treated_post, mean_control_pre, mean_control_post, rows of
// each cell (n_treated_pre, …), df, clusters (when clustered). Throws InputError for a missing
// option, a group or post that is not 0/1, an empty cell, or a treatment that is neither.
Estimate difference_in_differences(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

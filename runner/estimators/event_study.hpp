#pragma once
// `event-study`: the outcome on dummies for each period relative to a unit's adoption (leads
// k < 0, lags k >= 0; adoption = the first period with treatment 1), with unit and time effects
// absorbed as in `twfe`, CR1 standard errors by unit, df G-1. Never-treated units have every
// dummy 0. Option `adoption` names a column with each unit's adoption period (0: never), needed
// when an unbalanced panel lacks some unit's first treated period. The reference period (option `reference`,
// default -1) has no dummy: each coefficient is the change relative to it. Options `min_relative` /
// `max_relative` bin the endpoints: rows further out are pooled into the end dummies (the window's default is
// every relative period seen).
//
// The headline estimate is the average of the post-period coefficients (k >= 0), with the SE of
// that linear combination. Diagnostics: coef_<k> and se_<k> per relative period, pretrend_F /
// pretrend_p (joint Wald test, F(q, G-1), that all lead coefficients are zero: a test of parallel
// pre-trends and no anticipation), pretrend_df1. Plots: "event-study" (coefficients with CIs)
// and "group-means" (mean outcome by period for each adoption cohort and the never treated).
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Throws InputError as twfe does, and for a reference period that no treated row has.
Estimate event_study(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

#pragma once
// `twfe`: the outcome on the treatment (and numeric covariates) with unit and time fixed effects
// absorbed by the two-way within transformation (alternating projections, not dummies), CR1
// standard errors clustered by unit (or args.cluster) with df G-1, exactly as
// estimatr::lm_robust(y ~ d, fixed_effects = ~ unit + time, clusters = unit, se_type = "stata").
// Options `unit` (default "unit") and `time` (default "period") name the panel's columns.
//
// With staggered adoption the TWFE coefficient is a weighted average of 2×2 comparisons, some of
// which use already-treated units as controls (Goodman-Bacon 2021); it is the ATT only when the
// effect is the same for every cohort and period.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// The treatment must be 0/1 and stay on once on. Throws InputError for a time column that is not
// integer, a unit observed twice in one period, no never-treated unit, or no pre-periods.
// Diagnostics: df, clusters, units, periods, treated_cells, fixed_effect_rank.
Estimate two_way_fixed_effects(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

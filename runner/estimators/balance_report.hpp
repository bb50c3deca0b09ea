#pragma once
// The balance an adjustment achieves, reported on an estimate the same way by every matching and
// weighting estimator: diagnostics max_abs_smd (after), max_abs_smd_before, ess_treated and
// ess_control, and a "balance" table (MatchIt's summary: SMD, variance ratio, eCDF max, before and
// after) and its Love plot, computed by effect_summaries/balance over every covariate, text ones one dummy
// per level.
#include <span>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "effect_summaries/balance.hpp"
#include "estimators/estimate.hpp"
#include "inference/design_matrix.hpp"

namespace casebook {

// Every level of each text covariate as its own 0/1 column (levels that never occur dropped, no
// intercept): the covariates as MatchIt's balance table and its Mahalanobis distance take them.
DesignMatrix every_level_design(const Dataset& data, const std::vector<std::string>& covariates);

void report_balance(Estimate& out, const Dataset& data, const std::vector<std::string>& covariates,
                    std::span<const double> treatment, std::span<const double> weights,
                    BalanceEstimand estimand, const std::string& adjustment);

}  // namespace casebook

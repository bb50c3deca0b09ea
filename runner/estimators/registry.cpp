// The estimator registry: the one place that maps a case's `estimator` name to the code.
#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/causal_forest.hpp"
#include "estimators/difference_in_differences.hpp"
#include "estimators/difference_in_means.hpp"
#include "estimators/estimator.hpp"
#include "estimators/event_study.hpp"
#include "estimators/meta_learners.hpp"
#include "estimators/ordinary_least_squares.hpp"
#include "estimators/regression_forest.hpp"
#include "estimators/sun_abraham.hpp"
#include "estimators/two_stage_least_squares.hpp"
#include "estimators/two_way_fixed_effects.hpp"

namespace casebook {

// Options every meta-learner reads (meta_learner.hpp).
const std::vector<std::string> kMetaLearnerOptions = {
    "base_learner", "trees", "seed", "threads", "min_node_size", "mtry", "honesty", "folds", "top_share"};

const std::vector<EstimatorInfo>& estimator_registry() {
  static const std::vector<EstimatorInfo> registry = {
      {"difference-in-means",
       "Difference in mean outcome between treated and control, Neyman SE with Welch df (estimatr)",
       {"outcome", "treatment"},
       difference_in_means},
      {"ols",
       "Linear regression of the outcome on the treatment and covariates; HC1 (Stata robust) or CR1 "
       "cluster-robust SE",
       {"outcome", "treatment"},
       ordinary_least_squares},
      {"2sls",
       "Two-stage least squares with one endogenous treatment and one or more instruments; HC1 or CR1 SE, "
       "first-stage F",
       {"outcome", "treatment", "instruments"},
       two_stage_least_squares},
      {"did",
       "2×2 difference in differences: the group×post coefficient (options group, post; comparison "
       "post-difference or before-after for the naive contrasts); HC1 or CR1 SE",
       {"outcome", "treatment"},
       difference_in_differences,
       {"group", "post", "comparison"}},
      {"twfe",
       "Two-way fixed effects: outcome on the treatment with unit and time effects absorbed (options unit, "
       "time); "
       "CR1 SE by unit",
       {"outcome", "treatment"},
       two_way_fixed_effects,
       {"unit", "time", "adoption"}},
      {"event-study",
       "Event study: effects by period relative to adoption with unit and time effects, CR1 SE, pre-trend "
       "Wald test; "
       "estimate = average post-period effect",
       {"outcome", "treatment"},
       event_study,
       {"unit", "time", "adoption", "reference", "min_relative", "max_relative"}},
      {"sun-abraham",
       "Sun & Abraham interaction-weighted event study, robust to effects that differ by adoption cohort "
       "(options unit, "
       "time, adoption, reference, control never|last); estimate = post-period ATT; CR1 SE by the delta "
       "method; "
       "naive TWFE beside it",
       {"outcome", "treatment"},
       sun_abraham,
       {"unit", "time", "adoption", "reference", "control"}},
      {"s-learner",
       "S-learner: one outcome model with the treatment as a feature; per-row CATE (options base_learner "
       "forest|linear, "
       "trees, seed, threads); uplift diagnostics auuc, qini, top30_share; AIPW-score SE",
       {"outcome", "treatment", "covariates"},
       s_learner,
       kMetaLearnerOptions},
      {"t-learner",
       "T-learner: one outcome model per arm, CATE = difference (options base_learner forest|linear, trees, "
       "seed, "
       "threads); uplift diagnostics; AIPW-score SE",
       {"outcome", "treatment", "covariates"},
       t_learner,
       kMetaLearnerOptions},
      {"x-learner",
       "X-learner: imputed effects per arm blended by the propensity (options base_learner forest|linear, "
       "trees, seed, "
       "threads); uplift diagnostics; AIPW-score SE",
       {"outcome", "treatment", "covariates"},
       x_learner,
       kMetaLearnerOptions},
      {"dr-learner",
       "DR-learner: cross-fitted AIPW scores regressed on the covariates; estimate = AIPW ATE with "
       "influence-function "
       "SE (options base_learner, trees, seed, threads, folds); uplift diagnostics",
       {"outcome", "treatment", "covariates"},
       dr_learner,
       kMetaLearnerOptions},
      {"causal-forest",
       "Causal forest (grf's causal_forest defaults): out-of-bag CATE and its little-bag variance per row; "
       "estimate = "
       "doubly robust (AIPW) ATE, cluster-robust with --cluster; ATT, effects by CATE quantile and by "
       "subgroup, best "
       "linear projection, RATE/TOC",
       {"outcome", "treatment", "covariates"},
       causal_forest_estimate,
       {"trees", "seed", "threads", "min_node_size", "mtry", "honesty", "ci_group_size", "groups",
        "subgroups", "blp", "rate_reps"}},
      {"regression-forest",
       "Regression forest (grf's regression_forest defaults): the outcome predicted from the covariates, out "
       "of bag per "
       "row with its little-bag variance (no treatment); estimate = mean of the outcome (not causal); "
       "oob_r2, oob_mse",
       {"outcome", "covariates"},
       regression_forest_estimate,
       {"trees", "seed", "threads", "min_node_size", "mtry", "honesty", "ci_group_size"}},
  };
  return registry;
}

const EstimatorInfo& find_estimator(std::string_view name) {
  const auto& registry = estimator_registry();
  for (const auto& info : registry)
    if (info.name == name) return info;
  std::vector<std::string> known;
  for (const auto& info : registry) known.push_back(info.name);
  throw InputError(fmt::format("unknown estimator '{}' (known: {})", name, fmt::join(known, ", ")));
}

}  // namespace casebook

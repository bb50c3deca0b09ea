// The estimator registry: the one place that maps a case's `estimator` name to the code.
#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/difference_in_means.hpp"
#include "estimators/estimator.hpp"
#include "estimators/ordinary_least_squares.hpp"
#include "estimators/two_stage_least_squares.hpp"

namespace casebook {

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

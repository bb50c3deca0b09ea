#pragma once
// The estimator interface: plain arguments in, an Estimate out. Estimators never read JSON
// or files; the registry maps a name ("ols", "2sls", …) to one.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "estimators/estimate.hpp"

namespace casebook {

struct EstimatorInfo {
  std::string name;
  std::string summary;                // one line for `--help` and the site
  std::vector<std::string> required;  // argument names it needs: "treatment", "instruments", …
  std::function<Estimate(const Dataset&, const EstimatorArgs&)> run;
  // Keys of EstimatorArgs::options it reads; `casebook estimate` forwards --seed, --threads,
  // --trees and --base-learner only to estimators that list them.
  std::vector<std::string> options = {};
};

const std::vector<EstimatorInfo>& estimator_registry();
// Throws InputError "unknown estimator 'x' (known: …)".
const EstimatorInfo& find_estimator(std::string_view name);

}  // namespace casebook

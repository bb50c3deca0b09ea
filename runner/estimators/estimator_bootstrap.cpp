#include "estimators/estimator_bootstrap.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace casebook {
namespace {

// The columns an estimator can read: its named arguments and any option naming a column.
std::vector<std::string> used_columns(const Dataset& data, const EstimatorArgs& args) {
  std::vector<std::string> columns;
  auto add = [&](const std::string& name) {
    if (!name.empty() && data.has(name) && std::find(columns.begin(), columns.end(), name) == columns.end())
      columns.push_back(name);
  };
  add(args.outcome);
  add(args.treatment);
  for (const auto& c : args.instruments) add(c);
  for (const auto& c : args.covariates) add(c);
  for (const auto& [key, value] : args.options) add(value);
  return columns;
}

}  // namespace

BootstrapResult bootstrap(const EstimatorFunction& estimator, const Dataset& data, const EstimatorArgs& args,
                          BootstrapOptions options) {
  options.columns = used_columns(data, args);
  EstimatorArgs replicate_args = args;
  if (!replicate_args.cluster.empty()) {
    // A resample repeats clusters, so its cluster-robust SE would be meaningless; the point
    // estimate, all a replicate contributes, does not depend on the variance type.
    replicate_args.cluster.clear();
    replicate_args.se_type = "hc1";
  }
  return bootstrap([&](const Dataset& sample) { return estimator(sample, replicate_args).estimate; }, data,
                   options, [&] { return estimator(data, args).estimate; });
}

}  // namespace casebook

// The refuter registry: the one place that maps a refutation's `refuter` name to the code.
#include <algorithm>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "refute/refuters.hpp"

namespace casebook {

const std::vector<RefuterInfo>& refuter_registry() {
  static const std::vector<RefuterInfo> registry = {
      {"placebo-treatment",
       "Shuffle the treatment (with the instruments; whole units in panels): the effect should vanish",
       20,
       {"cluster"},
       placebo_treatment},
      {"random-common-cause",
       "Add an independent N(0,1) covariate: the estimate should not move beyond a fraction of its SE",
       5,
       {"tolerance_se"},
       random_common_cause},
      {"data-subsets",
       "Rerun on random 80% subsets (of rows, or of units/clusters): estimates should stay within the "
       "sampling band",
       10,
       {"fraction", "band_se", "cluster"},
       data_subsets},
      {"dummy-outcome",
       "Replace the outcome by noise (or by a negative-control column, option outcome): the effect should be "
       "zero",
       20,
       {"outcome", "confidence"},
       dummy_outcome},
      {"bootstrap",
       "Resample rows (or whole units/clusters): the bootstrap SE should match the reported SE",
       30,
       {"ratio", "cluster"},
       bootstrap_stability},
      {"placebo-date",
       "Panels: pretend adoption happened earlier, on pre-adoption periods only: no effect expected",
       1,
       {"date", "time", "cluster", "confidence"},
       placebo_date},
  };
  return registry;
}

const RefuterInfo& find_refuter(std::string_view name) {
  const auto& registry = refuter_registry();
  for (const auto& info : registry)
    if (info.name == name) return info;
  std::vector<std::string> known;
  for (const auto& info : registry) known.push_back(info.name);
  throw InputError(fmt::format("unknown refuter '{}' (known: {})", name, fmt::join(known, ", ")));
}

RefutationResult run_refuter(const RefuterInfo& refuter, const RefuterInput& input) {
  for (const auto& [key, value] : input.options)
    if (std::find(refuter.options.begin(), refuter.options.end(), key) == refuter.options.end())
      throw InputError(fmt::format(
          "refuter {}: unknown option '{}' (known: {})", refuter.name, key,
          refuter.options.empty() ? "none" : fmt::format("{}", fmt::join(refuter.options, ", "))));
  RefuterInput filled = input;
  if (filled.reps == 0) filled.reps = refuter.default_reps;
  RefutationResult r;
  try {
    r = refuter.run(filled);
  } catch (const std::invalid_argument&) {  // std::stod on an option that is not a number
    throw InputError(fmt::format("refuter {}: an option that should be a number is not", refuter.name));
  } catch (const std::out_of_range&) {
    throw InputError(fmt::format("refuter {}: an option is out of range", refuter.name));
  }
  r.name = refuter.name;
  r.analysis = input.analysis;
  if (r.id.empty()) r.id = fmt::format("{}-{}", refuter.name, input.analysis);
  r.original_estimate = input.original.estimate;
  r.seed = input.seed;
  if (r.reps == 0) r.reps = filled.reps;
  return r;
}

std::vector<std::string> default_refuters(const std::string& estimator) {
  std::vector<std::string> names{"placebo-treatment", "data-subsets"};
  // Estimators that adjust for covariates can take a random one.
  if (estimator == "ols" || estimator == "2sls" || estimator == "twfe" || estimator == "event-study")
    names.push_back("random-common-cause");
  return names;
}

}  // namespace casebook

namespace casebook {

std::size_t default_refutation_reps(const std::string& estimator, const std::string& refuter) {
  static const std::vector<std::string> closed_form = {"ols", "2sls", "difference-in-means",
                                                       "did", "twfe", "event-study"};
  if (std::find(closed_form.begin(), closed_form.end(), estimator) != closed_form.end())
    return find_refuter(refuter).default_reps;
  return std::min<std::size_t>(4, find_refuter(refuter).default_reps);
}

}  // namespace casebook

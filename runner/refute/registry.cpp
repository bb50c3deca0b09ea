// The refuter registry: the one place that maps a refutation's `refuter` name to the code, with
// the options each refuter reads.
#include <algorithm>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "refute/refuters.hpp"

namespace casebook {
namespace {

using Type = OptionType;

const OptionSpec kCluster{"cluster", Type::column, "",
                          "the column whose groups are kept whole (default: the analysis's cluster or unit)"};

}  // namespace

const std::vector<RefuterInfo>& refuter_registry() {
  static const std::vector<RefuterInfo> registry = {
      {"placebo-treatment",
       "Shuffle the treatment (with the instruments; whole units in panels): the effect should vanish",
       20,
       {kCluster},
       placebo_treatment},
      {"random-common-cause",
       "Add an independent N(0,1) covariate: the estimate should not move beyond a fraction of its SE (χ² "
       "test "
       "of the root mean square move, level 0.01)",
       5,
       {{"tolerance_se", Type::number, "0.1",
         "the root mean square move the null allows, as a fraction of the SE"}},
       random_common_cause},
      {"data-subsets",
       "Rerun on random 80% subsets (of rows, or of units/clusters): estimates should stay within the "
       "sampling band",
       10,
       {{"fraction", Type::share, "0.8", "share of rows (or units, clusters) kept in each subset"},
        {"band_se", Type::number, "",
         "the band's half-width in units of the expected subsampling spread (default: 4, or the Bonferroni "
         "normal quantile for level 0.01 over the subsets when larger)"},
        kCluster},
       data_subsets},
      {"dummy-outcome",
       "Replace the outcome by noise (or by a negative-control column, option outcome): the effect should be "
       "zero",
       20,
       {{"outcome", Type::column, "", "a negative-control column the treatment cannot affect"},
        {"confidence", Type::share, "0.99", "confidence level of the negative control's interval"}},
       dummy_outcome},
      {"bootstrap",
       "Resample rows (or whole units/clusters): the bootstrap SE should match the reported SE (χ² interval "
       "of "
       "their ratio, level 0.01)",
       30,
       {{"ratio", Type::number, "1.5", "the null: the two SEs differ by at most this factor (above 1)"},
        kCluster},
       bootstrap_stability},
      {"placebo-date",
       "Panels and time series: pretend adoption happened earlier, on pre-adoption periods only: no effect "
       "expected",
       1,
       {{"date", Type::number, "",
         "the placebo adoption period (default: the middle pre-period; for a time series, the date that "
         "leaves a placebo post-period as long as the real one, when the pre-period holds two of them)"},
        {"time", Type::column, "", "the column of periods (default: the analysis's, else 'period')"},
        kCluster,
        {"confidence", Type::share, "0.99", "confidence level of the placebo estimate's interval"}},
       placebo_date},
      {"placebo-cutoff",
       "Regression discontinuity: refit at placebo cutoffs, each on its own side of the real one: no jump "
       "expected",
       1,
       {{"cutoffs", Type::text, "",
         "comma-separated placebo cutoffs (default: the running variable's median on each side)"},
        {"confidence", Type::share, "0.99", "joint confidence level of the placebo intervals (Bonferroni)"}},
       placebo_cutoff},
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

OptionValues read_options(std::string_view refuter, const RefuterInput& input) {
  return OptionValues(fmt::format("refuter {}", refuter), find_refuter(refuter).options, input.options);
}

RefutationResult run_refuter(const RefuterInfo& refuter, const RefuterInput& input) {
  check_options(fmt::format("refuter {}", refuter.name), refuter.options, input.options);
  RefuterInput filled = input;
  if (filled.reps == 0) filled.reps = refuter.default_reps;
  RefutationResult r = refuter.run(filled);
  r.name = refuter.name;
  r.analysis = input.analysis;
  if (r.id.empty()) r.id = fmt::format("{}-{}", refuter.name, input.analysis);
  r.original_estimate = input.original.estimate;
  r.seed = input.seed;
  if (r.reps == 0) r.reps = filled.reps;
  return r;
}

std::size_t default_refutation_reps(const EstimatorInfo& estimator, const RefuterInfo& refuter) {
  return estimator.quick_refit ? refuter.default_reps : std::min<std::size_t>(4, refuter.default_reps);
}

}  // namespace casebook

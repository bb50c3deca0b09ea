// Data subsets: the analysis is rerun on random subsets (80% of the rows, or of the units or
// clusters where rows group). Subsampling alone moves an estimate by about SE·√(1/f − 1); a
// subset estimate far outside that band means a few rows drive the result.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <boost/random/uniform_int_distribution.hpp>

#include "core/input_error.hpp"
#include "data/dataset.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

namespace {

// A uniformly random k-subset of 0..n-1, in increasing order (partial Fisher–Yates).
std::vector<std::size_t> random_subset(std::size_t n, std::size_t k, pcg64& generator) {
  std::vector<std::size_t> index(n);
  for (std::size_t i = 0; i < n; ++i) index[i] = i;
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t j = boost::random::uniform_int_distribution<std::size_t>(i, n - 1)(generator);
    std::swap(index[i], index[j]);
  }
  index.resize(k);
  std::sort(index.begin(), index.end());
  return index;
}

}  // namespace

RefutationResult data_subsets(const RefuterInput& input) {
  const OptionValues options = read_options("data-subsets", input);
  const double fraction = options.number("fraction");
  const std::string group_column = grouping_column(input);
  const Dataset base = narrow_to_used(
      *input.data, input.args,
      group_column.empty() ? std::vector<std::string>{} : std::vector<std::string>{group_column});
  std::vector<std::vector<std::size_t>> groups;
  if (!group_column.empty()) groups = rows_by_group(base, group_column);
  const std::size_t units = groups.empty() ? base.rows() : groups.size();
  const auto kept = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(units)));
  if (kept < 2)
    throw InputError(
        fmt::format("data-subsets: {} of {} leaves fewer than 2 to estimate on", fraction, units));

  // Tuning chosen from the full data (rdd's bandwidths) is held: the band below is the spread of a
  // smooth estimator, and reselecting it on each subset would add a step the SE does not describe.
  EstimatorArgs args = input.args;
  for (const auto& [name, value] : input.original.refit_options) args.options.emplace(name, value);
  const std::vector<double> estimates =
      run_repetitions(input.reps, input.seed, input.threads, [&](pcg64& g, std::size_t) {
        const std::vector<std::size_t> chosen = random_subset(units, kept, g);
        std::vector<std::size_t> rows;
        if (groups.empty()) {
          rows = chosen;
        } else {
          for (std::size_t unit : chosen) rows.insert(rows.end(), groups[unit].begin(), groups[unit].end());
          std::sort(rows.begin(), rows.end());  // keep the data's order (panels: unit then period)
        }
        return input.estimator->run(select_rows(base, rows), args).estimate;
      });
  const Finite finite = finite_values(estimates);
  if (!finite.assessable())
    return not_assessable("data-subsets", finite.attempted(), finite.failed, finite.values);

  // Null: the reported SE is right, so each subset estimate differs from the full-data one by about
  // N(0, SE²(1/f − 1)). Test: every one of the k within a band of 4 such SDs, widened to the
  // Bonferroni multiple when k is large (above 158), so a sound analysis fails at most kRefuterLevel
  // of the time; 4 rather than the Bonferroni 3.3 for 10 subsets leaves room for estimators (IV)
  // whose subset estimates have heavier tails than the normal. Nearest-neighbour matching re-pairs
  // units in each subset, so its spread exceeds this band: not a default refuter there. band_se, when set,
  // replaces the multiple and the rule becomes a tolerance.
  constexpr double kBandSes = 4;
  const double band_se = options.has("band_se")
                             ? options.number("band_se")
                             : std::max(kBandSes, bonferroni_normal_critical_value(finite.values.size()));
  RefutationResult r;
  if (!options.has("band_se")) r.level = kRefuterLevel;
  add_repetition_counts(r, finite.attempted(), finite.failed);
  r.estimate = mean_of(finite.values);
  r.interval_low = *std::min_element(finite.values.begin(), finite.values.end());
  r.interval_high = *std::max_element(finite.values.begin(), finite.values.end());
  r.interval_label = "smallest and largest subset estimate";
  const double expected_spread = input.original.se * std::sqrt(1 / fraction - 1);
  const double half_width = band_se * expected_spread;
  double largest_move = 0;
  for (double e : finite.values) largest_move = std::max(largest_move, std::abs(e - input.original.estimate));
  r.pass = largest_move <= half_width;
  r.details.insert({{"largest_move", largest_move},
                    {"band_half_width", half_width},
                    {"band_se", band_se},
                    {"fraction", fraction},
                    {"subset_sd", sd_of(finite.values)},
                    {"expected_sd", expected_spread}});
  const std::string unit_word = groups.empty() ? "rows" : fmt::format("'{}' groups", group_column);
  const std::string test =
      r.level
          ? fmt::format("null: the reported SE is right; level {:g} (at least Bonferroni over {} subsets)",
                        kRefuterLevel, finite.values.size())
          : std::string("a tolerance set by band_se");
  r.rule = fmt::format(
      "{}: pass when every estimate on a random {:.0f}% of the {} ({} of {} succeeded) lies within {:.3g} × "
      "SE × "
      "√(1/f − 1) = {} of the full-data {} (largest move {})",
      test, 100 * fraction, unit_word, finite.values.size(), finite.attempted(), band_se,
      number_text(half_width), number_text(input.original.estimate), number_text(largest_move));
  if (r.pass) {
    r.reading_en = fmt::format(
        "On random {:.0f}% subsets the estimate stays between {} and {}, as close to the full-data "
        "{} as sampling alone would put it: no small part of the data drives the result.",
        100 * fraction, number_text(*r.interval_low), number_text(*r.interval_high),
        number_text(input.original.estimate));
    r.reading_ko = fmt::format(
        "무작위 {:.0f}% 부분 표본에서도 추정치가 {}에서 {} 사이로, 전체 데이터의 {}에 표본 추출 "
        "오차만큼만 떨어져 있습니다. 데이터의 일부가 결과를 좌우하지 않습니다.",
        100 * fraction, number_text(*r.interval_low), number_text(*r.interval_high),
        number_text(input.original.estimate));
  } else {
    r.reading_en = fmt::format(
        "On random {:.0f}% subsets the estimate moves by up to {}, more than sampling alone "
        "explains: a few rows or groups carry the result, or the standard error is too small.",
        100 * fraction, number_text(largest_move));
    r.reading_ko = fmt::format(
        "무작위 {:.0f}% 부분 표본에서 추정치가 최대 {}만큼 움직여 표본 추출 오차로 설명되지 "
        "않습니다. 일부 행이나 묶음이 결과를 좌우하거나 표준오차가 너무 작습니다.",
        100 * fraction, number_text(largest_move));
  }
  return r;
}

}  // namespace casebook

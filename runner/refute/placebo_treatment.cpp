// Placebo treatment: the treatment (and the instruments with it, rows kept together so an IV's
// first stage survives) is shuffled, which cuts any link to the outcome. A sound analysis then
// finds no effect on average. Where rows group into units or clusters the shuffle respects them:
// whole units trade their treatment paths in a panel or when treatment is set per group, and
// rows are shuffled within groups otherwise.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <boost/random/uniform_int_distribution.hpp>

#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {
namespace {

using namespace refute_detail;

// Fisher–Yates with Boost's uniform_int (identical on every standard library).
template <class T>
void shuffle(std::vector<T>& v, pcg64& generator) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = boost::random::uniform_int_distribution<std::size_t>(0, i - 1)(generator);
    std::swap(v[i - 1], v[j]);
  }
}

bool constant_within_groups(const std::vector<double>& values,
                            const std::vector<std::vector<std::size_t>>& groups) {
  for (const auto& rows : groups)
    for (std::size_t row : rows)
      if (values[row] != values[rows.front()]) return false;
  return true;
}

// The row each row takes its placebo values from.
std::vector<std::size_t> placebo_sources(std::size_t rows,
                                         const std::vector<std::vector<std::size_t>>& groups,
                                         bool whole_groups, pcg64& generator) {
  std::vector<std::size_t> source(rows);
  for (std::size_t i = 0; i < rows; ++i) source[i] = i;
  if (groups.empty()) {
    shuffle(source, generator);
  } else if (!whole_groups) {
    for (const auto& group : groups) {
      std::vector<std::size_t> shuffled = group;
      shuffle(shuffled, generator);
      for (std::size_t k = 0; k < group.size(); ++k) source[group[k]] = shuffled[k];
    }
  } else {
    // Groups trade their paths with groups of the same size: the k-th row of one takes the k-th
    // row of the other (rows of a panel unit are in period order).
    std::map<std::size_t, std::vector<std::size_t>> by_size;
    for (std::size_t g = 0; g < groups.size(); ++g) by_size[groups[g].size()].push_back(g);
    for (auto& [size, members] : by_size) {
      std::vector<std::size_t> partners = members;
      shuffle(partners, generator);
      for (std::size_t m = 0; m < members.size(); ++m)
        for (std::size_t k = 0; k < size; ++k) source[groups[members[m]][k]] = groups[partners[m]][k];
    }
  }
  return source;
}

}  // namespace

RefutationResult placebo_treatment(const RefuterInput& input) {
  const EstimatorArgs& args = input.args;
  std::vector<std::string> shuffled_columns{args.treatment};
  shuffled_columns.insert(shuffled_columns.end(), args.instruments.begin(), args.instruments.end());
  for (const ColumnRole role : {ColumnRole::group, ColumnRole::adoption})  // they carry the treatment too
    if (const std::string column = analysis_column(input, role); input.data->has(column))
      shuffled_columns.push_back(column);

  const std::string group_column = grouping_column(input);
  const Dataset base = narrow_to_used(
      *input.data, args,
      group_column.empty() ? std::vector<std::string>{} : std::vector<std::string>{group_column});
  std::vector<std::vector<std::size_t>> groups;
  bool whole_groups = false;
  std::string mode = "rows shuffled";
  if (!group_column.empty()) {
    groups = rows_by_group(base, group_column);
    whole_groups = input.estimator->family == EstimatorFamily::panel ||
                   constant_within_groups(base.column(args.treatment).values, groups);
    mode = whole_groups ? fmt::format("whole '{}' groups trade their treatment", group_column)
                        : fmt::format("rows shuffled within '{}'", group_column);
  }

  const std::vector<double> estimates =
      run_repetitions(input.reps, input.seed, input.threads, [&](pcg64& g, std::size_t) {
        const std::vector<std::size_t> source = placebo_sources(base.rows(), groups, whole_groups, g);
        Dataset placebo = base;
        for (const auto& name : shuffled_columns) {
          const auto& original = base.column(name).values;
          auto& values = placebo.column(name).values;
          for (std::size_t i = 0; i < values.size(); ++i) values[i] = original[source[i]];
        }
        return input.estimator->run(placebo, args).estimate;
      });
  const Finite finite = finite_values(estimates);
  if (!finite.assessable())
    return not_assessable("placebo-treatment", finite.attempted(), finite.failed, finite.values);

  // Null: with the treatment reassigned at random the analysis finds no effect on average. Test:
  // a t-test of the placebo estimates' mean at level kRefuterLevel, on the successful repetitions.
  RefutationResult r = mean_zero_t_test(finite);
  const double sd = sd_of(finite.values);
  r.interval_low = quantile_of(finite.values, 0.025);
  r.interval_high = quantile_of(finite.values, 0.975);
  r.interval_label = "2.5% and 97.5% quantiles of the placebo estimates";
  // How often a placebo is at least as far from zero as the real estimate (permutation p-value of
  // the real estimate: a description, not the refuter's test).
  std::size_t as_extreme = 0;
  for (double e : finite.values)
    if (std::abs(e) >= std::abs(input.original.estimate)) ++as_extreme;
  r.details["placebo_sd"] = sd;
  r.details["permutation_p"] =
      static_cast<double>(as_extreme + 1) / static_cast<double>(finite.values.size() + 1);
  r.rule = fmt::format(
      "null: the placebo estimates average 0; t-test at level {:g} on {} of {} placebos: pass when |t| = "
      "|{}| / {} ≤ {:.3g}, the t({}) critical value (p = {:.2g}); {}",
      kRefuterLevel, finite.values.size(), finite.attempted(), number_text(r.estimate),
      number_text(r.details["monte_carlo_se"]), r.details["t_critical"], finite.values.size() - 1, *r.p_value,
      mode);
  if (r.pass) {
    r.reading_en = fmt::format(
        "With the treatment shuffled at random, the analysis finds no effect (mean {}, against {} on the "
        "real data): "
        "it does not manufacture an effect out of the data's structure. {} of {} placebos were as far from "
        "zero "
        "as the real estimate.",
        number_text(r.estimate), number_text(input.original.estimate), as_extreme, finite.values.size());
    r.reading_ko = fmt::format(
        "처치를 무작위로 섞으면 효과가 사라집니다(평균 {}, 실제 데이터에서는 {}). 분석이 데이터 구조만으로 "
        "효과를 "
        "만들어내지 않는다는 뜻입니다. 위약 추정치 {}개 중 실제 추정치만큼 0에서 먼 것은 {}개였습니다.",
        number_text(r.estimate), number_text(input.original.estimate), finite.values.size(), as_extreme);
  } else {
    r.reading_en = fmt::format(
        "Even with the treatment shuffled at random the analysis finds an effect (mean {}): something other "
        "than the "
        "treatment (the model, a leaked variable, the grouping) produces it, so the real estimate cannot be "
        "read as causal.",
        number_text(r.estimate));
    r.reading_ko = fmt::format(
        "처치를 무작위로 섞어도 효과가 나타납니다(평균 {}). 처치가 아닌 다른 무언가(모형, 새어 들어간 변수, "
        "묶음 "
        "구조)가 효과를 만들고 있으므로 실제 추정치를 인과 효과로 읽을 수 없습니다.",
        number_text(r.estimate));
  }
  return r;
}

}  // namespace casebook

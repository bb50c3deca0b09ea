// Placebo adoption date (panels: did, twfe, event-study; time series whose intervention is an
// option: its): only the periods before the real adoption are kept, and the units that were later
// treated are pretended to adopt at a date in the middle of them (a series' intervention is moved
// there). Nothing happened then, so a design whose assumptions hold finds no effect; treated units
// already pulling away before adoption, or a trend the model misses, show up as a "placebo effect".
// A series' counterfactual is an extrapolation whose error grows with its horizon, so its placebo
// repeats the real analysis one window earlier: the placebo post-period is as long as the real one
// (the middle when the pre-period is shorter than two such windows). A longer placebo horizon tests
// an extrapolation the analysis never makes: CausalImpact's local level covers the QANDA case's 60
// days at its nominal rate but drifts over half a year, where its placebo failed 3.5% of valid runs
// at a 1% level (bench/README.md).
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "data/dataset.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

namespace {

// A time series whose intervention time is an option (its): the periods before it, with the
// intervention moved to the placebo date.
Estimate refit_series_at(const RefuterInput& input, const std::string& time, double date, double intervention,
                         double confidence) {
  const Dataset& data = *input.data;
  const auto& t = data.column(time).values;
  std::vector<std::size_t> pre_rows;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] < intervention) pre_rows.push_back(i);
  EstimatorArgs args = input.args;
  args.confidence_level = confidence;
  args.options[input.estimator->treatment_option] = fmt::format("{}", date);
  return input.estimator->run(select_rows(narrow_to_used(data, input.args, {time}), pre_rows), args);
}

// A panel: the periods before the first adoption, with the later-treated units pretending to
// adopt at the placebo date.
Estimate refit_panel_at(const RefuterInput& input, const std::string& time, const std::string& unit,
                        const std::vector<double>& d, double date, double first_adoption, double confidence) {
  const Dataset& data = *input.data;
  const auto& t = data.column(time).values;
  // Units that are ever treated: on the full data, before any row is dropped.
  std::set<double> treated_units;
  const auto& u = data.column(unit).values;
  for (std::size_t i = 0; i < u.size(); ++i)
    if (d[i] != 0) treated_units.insert(u[i]);
  std::vector<std::size_t> pre_rows;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] < first_adoption) pre_rows.push_back(i);
  Dataset pre = select_rows(narrow_to_used(data, input.args, {unit, time}), pre_rows);

  EstimatorArgs args = input.args;
  args.confidence_level = confidence;
  // The real adoption column no longer describes the placebo.
  args.options.erase(option_with_role(*input.estimator, ColumnRole::adoption));
  auto fresh_name = [&](std::string name) {
    while (pre.has(name)) name += "_";
    return name;
  };
  Column placebo_treatment{fresh_name("placebo_treatment"), std::vector<double>(pre.rows()), {}};
  Column placebo_post{fresh_name("placebo_post"), std::vector<double>(pre.rows()), {}};
  const auto& pre_t = pre.column(time).values;
  const auto& pre_u = pre.column(unit).values;
  for (std::size_t i = 0; i < pre.rows(); ++i) {
    placebo_post.values[i] = pre_t[i] >= date ? 1 : 0;
    placebo_treatment.values[i] = treated_units.count(pre_u[i]) ? placebo_post.values[i] : 0;
  }
  args.treatment = placebo_treatment.name;
  // A design that reads the post period from a column of its own (did) reads the placebo's.
  if (const std::string post = option_with_role(*input.estimator, ColumnRole::post); !post.empty())
    args.options[post] = placebo_post.name;
  pre.add_column(std::move(placebo_treatment));
  pre.add_column(std::move(placebo_post));
  return input.estimator->run(pre, args);
}

}  // namespace

RefutationResult placebo_date(const RefuterInput& input) {
  const std::string& estimator = input.estimator->name;
  const std::string& intervention_option = input.estimator->treatment_option;
  if (input.estimator->family != EstimatorFamily::panel && intervention_option.empty())
    throw InputError(fmt::format(
        "placebo-date applies to panel estimators and time series with an intervention time, not '{}'",
        estimator));
  const Dataset& data = *input.data;
  const OptionValues options = read_options("placebo-date", input);
  std::string time = options.text("time");
  if (time.empty()) time = analysis_column(input, ColumnRole::time);
  if (time.empty()) time = "period";
  if (!data.has(time))
    throw InputError(fmt::format("placebo-date: no time column '{}' (set the option time)", time));
  const bool series = !intervention_option.empty();
  const std::string unit = series ? std::string() : grouping_column(input);
  if (!series && (unit.empty() || !data.has(unit)))
    throw InputError("placebo-date: no unit column (set the option cluster)");
  const double confidence = options.number("confidence");

  const auto& t = data.column(time).values;
  double first_adoption = INFINITY;
  std::vector<double> d;
  if (series) {
    const auto it = input.args.options.find(intervention_option);
    if (it == input.args.options.end())
      throw InputError(fmt::format("placebo-date: the analysis gives no {} to move", intervention_option));
    first_adoption = read_options(estimator, input.args).number(intervention_option);
  } else {
    // Treated rows: the treatment, or, where the design reads the post period from a column of its
    // own (did, whose treatment may be the group column), the treatment in post-period rows only.
    d = data.column(input.args.treatment).values;
    if (const std::string post = analysis_column(input, ColumnRole::post); data.has(post)) {
      const auto& p = data.column(post).values;
      for (std::size_t i = 0; i < d.size(); ++i) d[i] *= p[i];
    }
    for (std::size_t i = 0; i < t.size(); ++i)
      if (d[i] != 0) first_adoption = std::min(first_adoption, t[i]);
    if (!std::isfinite(first_adoption))
      throw InputError("placebo-date: no row is treated, so there is no adoption date");
  }
  std::set<double> pre_periods;
  for (double v : t)
    if (v < first_adoption) pre_periods.insert(v);
  if (pre_periods.size() < 2)
    throw InputError(
        fmt::format("placebo-date: needs at least 2 periods before the first adoption ({}), found {}",
                    first_adoption, pre_periods.size()));
  const std::vector<double> periods(pre_periods.begin(), pre_periods.end());
  double date = periods[periods.size() / 2];
  if (series) {
    const auto post_periods = static_cast<std::size_t>(
        std::count_if(t.begin(), t.end(), [&](double v) { return v >= first_adoption; }));
    if (post_periods > 0 && 2 * post_periods <= periods.size()) date = periods[periods.size() - post_periods];
  }
  if (options.has("date")) {
    date = options.number("date");
    if (!(date > periods.front() && date <= periods.back()))
      throw InputError(
          fmt::format("placebo-date: date {} must lie after the first and within the pre-adoption periods "
                      "({} to {})",
                      date, periods.front(), periods.back()));
  }

  const Estimate e = series ? refit_series_at(input, time, date, first_adoption, confidence)
                            : refit_panel_at(input, time, unit, d, date, first_adoption, confidence);

  RefutationResult r = single_refit_covering_zero(
      e, confidence, fmt::format("{:g}% CI of the placebo-date effect", 100 * confidence));
  r.details = {{"placebo_date", date},
               {"first_adoption", first_adoption},
               {"se", e.se},
               {"pre_periods", static_cast<double>(periods.size())}};
  r.rule = fmt::format(
      "null: no effect at a date when nothing happened; level {:g}: pass when, on the {} periods before "
      "adoption ({} = {} to {}) with a pretend adoption at {} = {}, "
      "the {:g}% CI of the effect covers 0 ([{}, {}])",
      1 - confidence, periods.size(), time, periods.front(), periods.back(), time, date, 100 * confidence,
      number_text(e.ci_low), number_text(e.ci_high));
  if (series && r.pass) {
    r.reading_en = fmt::format(
        "Pretending the change came at {} {}, before it really did, shows no effect ({}, p = {:.2g}): "
        "before the intervention the model's counterfactual followed the series.",
        time, date, number_text(e.estimate), e.p_value);
    r.reading_ko = fmt::format(
        "실제보다 이른 {} {}에 변화가 있었다고 가정하면 효과가 없습니다({}, p = {:.2g}). 개입 "
        "전에는 모형의 반사실 경로가 시계열을 잘 따라갔다는 뜻입니다.",
        time, date, number_text(e.estimate), e.p_value);
  } else if (series) {
    r.reading_en = fmt::format(
        "Pretending the change came at {} {}, before it really did, already shows an 'effect' of {}: "
        "the series moves in ways the model's counterfactual misses, so the real estimate mixes them "
        "with the effect.",
        time, date, number_text(e.estimate));
    r.reading_ko = fmt::format(
        "실제보다 이른 {} {}에 변화가 있었다고 가정해도 {}의 '효과'가 나타납니다. 시계열이 모형의 "
        "반사실 경로가 놓치는 방식으로 움직이므로, 실제 추정치에는 그 움직임이 효과와 섞여 있습니다.",
        time, date, number_text(e.estimate));
  } else if (r.pass) {
    r.reading_en = fmt::format(
        "Pretending the change came at {} {}, before it really did, shows no effect ({}, p = {:.2g}): "
        "before adoption the treated units moved like the others, as parallel trends require.",
        time, date, number_text(e.estimate), e.p_value);
    r.reading_ko = fmt::format(
        "실제보다 이른 {} {}에 변화가 있었다고 가정하면 효과가 없습니다({}, p = {:.2g}). 도입 "
        "전에는 처치 집단이 다른 집단과 나란히 움직였다는 뜻으로, 평행 추세 가정과 맞습니다.",
        time, date, number_text(e.estimate), e.p_value);
  } else {
    r.reading_en = fmt::format(
        "Pretending the change came at {} {}, before it really did, already shows an 'effect' of {}: "
        "the treated units were pulling away before adoption, so parallel trends fail and the real "
        "estimate mixes that trend with the effect.",
        time, date, number_text(e.estimate));
    r.reading_ko = fmt::format(
        "실제보다 이른 {} {}에 변화가 있었다고 가정해도 {}의 '효과'가 나타납니다. 처치 집단이 도입 "
        "전부터 달리 움직이고 있었으므로 평행 추세가 깨지고, 실제 추정치에는 그 추세가 섞여 있습니다.",
        time, date, number_text(e.estimate));
  }
  return r;
}

}  // namespace casebook

// Placebo cutoffs (regression discontinuity): the same local-polynomial fit at cutoffs where
// nothing happens, one inside each side of the real cutoff, using only that side's rows so the
// real jump cannot leak in (Cattaneo, Idrobo & Titiunik 2020, "A Practical Introduction to
// Regression Discontinuity Designs: Foundations", section 5.3). The default placebo is the median
// of the running variable on each side. A fuzzy design's treatment does not jump there, so the
// placebo fits the outcome alone (the reduced form). The outcome's regression function should be
// continuous at every placebo cutoff; a jump means the fit, not the treatment, drives the estimate.
// Null: no jump at any placebo; test: every robust CI covers 0, Bonferroni at level 1 - confidence.
#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "data/dataset.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

namespace {

struct Placebo {
  double cutoff = 0;
  Estimate fit;
};

// Rows on the cutoff's side of the real cutoff (left: running < cutoff, right: running >= cutoff).
std::vector<std::size_t> rows_on_side(const std::vector<double>& x, double real_cutoff, bool right) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < x.size(); ++i)
    if ((x[i] >= real_cutoff) == right) rows.push_back(i);
  return rows;
}

double median_of(const std::vector<double>& x, const std::vector<std::size_t>& rows) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (std::size_t i : rows) v.push_back(x[i]);
  return quantile_of(std::move(v), 0.5);
}

}  // namespace

RefutationResult placebo_cutoff(const RefuterInput& input) {
  const EstimatorInfo& estimator = *input.estimator;
  const OptionValues analysis_options = read_options(estimator.name, input.args);
  const std::string running = analysis_options.column_with_role(ColumnRole::running);
  if (running.empty() || !analysis_options.declares("cutoff"))
    throw InputError(fmt::format(
        "placebo-cutoff applies to regression discontinuity estimators (a running variable and a cutoff), "
        "not '{}'",
        estimator.name));
  const Dataset& data = *input.data;
  if (!data.has(running)) throw InputError(fmt::format("placebo-cutoff: no running column '{}'", running));
  const OptionValues options = read_options("placebo-cutoff", input);
  const double confidence = options.number("confidence");
  const double real_cutoff = analysis_options.number("cutoff");
  const auto& x = data.column(running).values;
  const std::vector<std::size_t> left = rows_on_side(x, real_cutoff, false);
  const std::vector<std::size_t> right = rows_on_side(x, real_cutoff, true);

  std::vector<double> cutoffs;
  if (options.given("cutoffs")) {
    for (const std::string& text : options.list("cutoffs")) {
      double value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw InputError(fmt::format("refuter placebo-cutoff: option cutoffs: '{}' is not a number", text));
      if (value == real_cutoff)
        throw InputError(fmt::format(
            "refuter placebo-cutoff: option cutoffs: {} is the real cutoff, not a placebo", text));
      cutoffs.push_back(value);
    }
  } else {
    if (left.empty() || right.empty())
      throw InputError(fmt::format("placebo-cutoff: '{}' has rows on one side of the cutoff {} only", running,
                                   real_cutoff));
    cutoffs = {median_of(x, left), median_of(x, right)};
  }

  std::vector<std::string> cutoff_texts;
  for (double cutoff : cutoffs) cutoff_texts.push_back(number_text(cutoff));

  // Each placebo is a separate test; Bonferroni keeps the family's false-alarm rate at 1 - confidence.
  const double each_confidence = 1 - (1 - confidence) / static_cast<double>(cutoffs.size());
  const Dataset narrow = narrow_to_used(data, input.args);
  std::vector<Placebo> placebos;
  for (double cutoff : cutoffs) {
    const bool right_side = cutoff > real_cutoff;
    EstimatorArgs args = input.args;
    args.confidence_level = each_confidence;
    args.treatment.clear();
    args.options["cutoff"] = fmt::format("{}", cutoff);
    // Bandwidths are selected afresh at the placebo; pictures are not needed.
    args.options.erase("h");
    args.options.erase("b");
    if (analysis_options.declares("bandwidth_plot")) args.options["bandwidth_plot"] = "false";
    Estimate fit;
    try {
      fit = estimator.run(select_rows(narrow, right_side ? right : left), args);
    } catch (const InputError& e) {
      throw InputError(fmt::format("placebo-cutoff at {} = {}: {}", running, cutoff, e.what()));
    }
    placebos.push_back({cutoff, std::move(fit)});
  }

  // The report leads with the placebo furthest from zero in its own units (smallest p-value).
  const Placebo& worst =
      *std::min_element(placebos.begin(), placebos.end(),
                        [](const auto& a, const auto& b) { return a.fit.p_value < b.fit.p_value; });
  RefutationResult r = single_refit_covering_zero(
      worst.fit, each_confidence,
      fmt::format("{:g}% CI at the placebo cutoff {} (Bonferroni over {})", 100 * each_confidence,
                  number_text(worst.cutoff), placebos.size()));
  r.reps = placebos.size();
  r.p_value = std::min(1.0, worst.fit.p_value * static_cast<double>(placebos.size()));
  r.level = 1 - confidence;  // the family's, by Bonferroni
  r.pass = std::all_of(placebos.begin(), placebos.end(),
                       [](const Placebo& p) { return p.fit.ci_low <= 0 && 0 <= p.fit.ci_high; });
  r.details = {{"confidence_level", confidence}, {"real_cutoff", real_cutoff}};
  std::vector<std::string> shown;
  for (std::size_t k = 0; k < placebos.size(); ++k) {
    const Placebo& p = placebos[k];
    r.details[fmt::format("cutoff_{}", k + 1)] = p.cutoff;
    r.details[fmt::format("estimate_{}", k + 1)] = p.fit.estimate;
    r.details[fmt::format("p_value_{}", k + 1)] = p.fit.p_value;
    shown.push_back(fmt::format("{} at {} [{}, {}]", number_text(p.fit.estimate), number_text(p.cutoff),
                                number_text(p.fit.ci_low), number_text(p.fit.ci_high)));
  }
  r.rule = fmt::format(
      "pass when, at each placebo cutoff of {} fitted on its own side of {} only, the {:g}% robust CI of "
      "the jump covers 0 (Bonferroni: {:g}% together): {}",
      running, real_cutoff, 100 * each_confidence, 100 * confidence, fmt::join(shown, "; "));
  if (r.pass) {
    r.reading_en = fmt::format(
        "Where nothing happens ({} = {}), the same fit finds no jump in the outcome: the jump at {} is not "
        "an artefact of the local fit.",
        running, fmt::join(cutoff_texts, ", "), real_cutoff);
    r.reading_ko = fmt::format(
        "아무 일도 일어나지 않는 지점({} = {})에서는 같은 적합이 결과의 불연속을 찾지 못합니다. {}에서의 "
        "불연속은 국소 적합이 만든 인공물이 아닙니다.",
        running, fmt::join(cutoff_texts, ", "), real_cutoff);
  } else {
    r.reading_en = fmt::format(
        "The fit finds a 'jump' of {} at {} = {}, where nothing happens: the outcome bends or breaks away "
        "from the cutoff too, so the jump at {} may not be the treatment's.",
        number_text(worst.fit.estimate), running, number_text(worst.cutoff), real_cutoff);
    r.reading_ko = fmt::format(
        "아무 일도 일어나지 않는 {} = {}에서도 {}의 '불연속'이 나타납니다. 결과가 컷오프가 아닌 곳에서도 "
        "꺾이거나 끊기므로, {}에서의 불연속이 처치 때문이라고 단정할 수 없습니다.",
        running, number_text(worst.cutoff), number_text(worst.fit.estimate), real_cutoff);
  }
  return r;
}

}  // namespace casebook

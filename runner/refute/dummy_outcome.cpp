// Dummy outcome: the outcome is replaced by one the treatment cannot have caused. Either pure
// noise, N(0, SD of the real outcome) drawn afresh in each repetition (the estimator must then
// find nothing on average), or, with the option "outcome", a negative-control column from the
// data such as a pre-treatment measure: a confounded analysis "finds" an effect of the treatment
// on the past, which is how this variant catches hidden confounding.
#include <cmath>

#include <fmt/format.h>
#include <boost/random/normal_distribution.hpp>

#include "core/input_error.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

namespace {

RefutationResult negative_control(const RefuterInput& input, const std::string& column) {
  const double confidence = read_options("dummy-outcome", input).number("confidence");
  if (!input.data->has(column))
    throw InputError(fmt::format("dummy-outcome: no column '{}' for the option outcome", column));
  EstimatorArgs args = input.args;
  args.outcome = column;
  args.confidence_level = confidence;
  const Estimate e = input.estimator->run(*input.data, args);
  RefutationResult r = single_refit_covering_zero(
      e, confidence, fmt::format("{:g}% CI of the effect on '{}'", 100 * confidence, column));
  r.details = {{"se", e.se}, {"confidence_level", confidence}};
  r.rule = fmt::format(
      "null: the treatment has no effect on the negative control; level {:g}: pass when the {:g}% CI of the "
      "'effect' on the negative-control outcome '{}' covers 0 "
      "([{}, {}])",
      1 - confidence, 100 * confidence, column, number_text(e.ci_low), number_text(e.ci_high));
  if (r.pass) {
    r.reading_en = fmt::format(
        "The analysis finds no effect on '{}', which the treatment cannot have changed "
        "(estimate {}, p = {:.2g}): no sign of confounding through it.",
        column, number_text(e.estimate), e.p_value);
    r.reading_ko = fmt::format(
        "처치가 바꿀 수 없는 '{}'에 대해서는 효과가 나타나지 않습니다(추정치 {}, p = {:.2g}). "
        "이를 통한 교란의 흔적은 없습니다.",
        column, number_text(e.estimate), e.p_value);
  } else {
    r.reading_en = fmt::format(
        "The analysis 'finds' an effect of {} on '{}', which the treatment cannot have changed: "
        "the treated and untreated differed already, so the real estimate is confounded.",
        number_text(e.estimate), column);
    r.reading_ko = fmt::format(
        "처치가 바꿀 수 없는 '{}'에 대해 {}의 '효과'가 나타납니다. 처치 집단과 비처치 집단이 "
        "처음부터 달랐다는 뜻이므로 실제 추정치는 교란되어 있습니다.",
        column, number_text(e.estimate));
  }
  return r;
}

}  // namespace

RefutationResult dummy_outcome(const RefuterInput& input) {
  if (const OptionValues options = read_options("dummy-outcome", input); options.has("outcome"))
    return negative_control(input, options.text("outcome"));
  const Dataset base = narrow_to_used(*input.data, input.args);
  const auto& y = base.column(input.args.outcome).values;
  std::vector<double> outcome(y.begin(), y.end());
  const double sd = sd_of(outcome) > 0 ? sd_of(outcome) : 1.0;

  const std::vector<double> estimates =
      run_repetitions(input.reps, input.seed, input.threads, [&](pcg64& g, std::size_t) {
        Dataset dummy = base;
        boost::random::normal_distribution<double> normal(0, sd);
        for (double& v : dummy.column(input.args.outcome).values) v = normal(g);
        return input.estimator->run(dummy, input.args).estimate;
      });
  const Finite finite = finite_values(estimates);
  if (!finite.assessable())
    return not_assessable("dummy-outcome", finite.attempted(), finite.failed, finite.values);
  // Null: on outcomes of pure noise the analysis finds nothing on average. Test: a t-test of the
  // estimates' mean at level kRefuterLevel, on the successful repetitions.
  RefutationResult r = mean_zero_t_test(finite);
  r.interval_low = quantile_of(finite.values, 0.025);
  r.interval_high = quantile_of(finite.values, 0.975);
  r.interval_label = "2.5% and 97.5% quantiles of the estimates on noise outcomes";
  r.details["outcome_sd"] = sd;
  r.rule = fmt::format(
      "null: estimates on pure-noise outcomes average 0; t-test at level {:g} on {} of {} repetitions: pass "
      "when |t| = |{}| / {} ≤ {:.3g}, the t({}) critical value (p = {:.2g})",
      kRefuterLevel, finite.values.size(), finite.attempted(), number_text(r.estimate),
      number_text(r.details["monte_carlo_se"]), r.details["t_critical"], finite.values.size() - 1,
      *r.p_value);
  r.reading_en =
      r.pass
          ? fmt::format("On outcomes of pure noise the analysis finds nothing on average ({}), as it should.",
                        number_text(r.estimate))
          : fmt::format(
                "On outcomes of pure noise the analysis still finds an effect ({}): the method "
                "itself produces it.",
                number_text(r.estimate));
  r.reading_ko =
      r.pass ? fmt::format(
                   "순수한 잡음을 결과 변수로 쓰면 평균적으로 아무 효과도 나타나지 않습니다({}). 그래야 "
                   "합니다.",
                   number_text(r.estimate))
             : fmt::format(
                   "순수한 잡음을 결과 변수로 써도 효과가 나타납니다({}). 방법 자체가 효과를 만들어냅니다.",
                   number_text(r.estimate));
  return r;
}

}  // namespace casebook

// Random common cause: a covariate drawn N(0, 1) independently of everything is added to the
// analysis. It confounds nothing, so adjusting for it should leave the estimate where it was;
// a sizeable move means the estimate rests on noise in the model rather than on the data.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/random/normal_distribution.hpp>

#include "core/input_error.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

RefutationResult random_common_cause(const RefuterInput& input) {
  // The root mean square move the null allows, as a fraction of the analysis's SE.
  const double tolerance_se = read_options("random-common-cause", input).number("tolerance_se");
  std::string name = "random_common_cause";
  while (input.data->has(name)) name += "_";
  EstimatorArgs args = input.args;
  args.covariates.push_back(name);
  const Dataset base = narrow_to_used(*input.data, input.args);

  const std::vector<double> estimates =
      run_repetitions(input.reps, input.seed, input.threads, [&](pcg64& g, std::size_t) {
        Dataset augmented = base;
        Column noise{name, std::vector<double>(base.rows()), {}};
        boost::random::normal_distribution<double> normal(0, 1);
        for (double& v : noise.values) v = normal(g);
        augmented.add_column(std::move(noise));
        return input.estimator->run(augmented, args).estimate;
      });
  const Finite finite = finite_values(estimates);
  if (!finite.assessable())
    return not_assessable("random-common-cause", finite.attempted(), finite.failed, finite.values);

  // The null: the random covariate moves the estimate by a root mean square of at most
  // tolerance_se × SE. With normal moves, k · mean(move²) / bound² is at most a χ²(k) under it
  // (a shift of every move only shrinks that statistic's spread), so failing above χ²(k)'s
  // 1 − level quantile holds the level.
  RefutationResult r;
  add_repetition_counts(r, finite.attempted(), finite.failed);
  r.estimate = mean_of(finite.values);
  r.interval_low = *std::min_element(finite.values.begin(), finite.values.end());
  r.interval_high = *std::max_element(finite.values.begin(), finite.values.end());
  r.interval_label = "smallest and largest estimate with the random covariate";
  double largest_move = 0, sum_of_squares = 0;
  for (double e : finite.values) {
    const double move = e - input.original.estimate;
    largest_move = std::max(largest_move, std::abs(move));
    sum_of_squares += move * move;
  }
  const auto k = static_cast<double>(finite.values.size());
  const double rms_move = std::sqrt(sum_of_squares / k);
  const double bound = tolerance_se * input.original.se;
  const double chi_square_critical = boost::math::quantile(boost::math::chi_squared(k), 1 - kRefuterLevel);
  const double allowed = bound * std::sqrt(chi_square_critical / k);  // the largest RMS move that passes
  r.level = kRefuterLevel;
  r.pass = rms_move <= allowed;
  r.p_value = bound > 0 ? boost::math::cdf(boost::math::complement(boost::math::chi_squared(k),
                                                                   sum_of_squares / (bound * bound)))
                        : (rms_move > 0 ? 0.0 : 1.0);
  r.details.insert({{"largest_move", largest_move},
                    {"rms_move", rms_move},
                    {"allowed_rms_move", allowed},
                    {"tolerance_se", tolerance_se},
                    {"chi_square_critical", chi_square_critical},
                    {"level", kRefuterLevel}});
  r.rule = fmt::format(
      "null: the random covariate moves the estimate by a root mean square (RMS) of at most {} × SE = {}; "
      "χ² test at level {:g} over {} repetitions: pass when the RMS move from {} is at most {} (RMS move "
      "{}, largest {})",
      tolerance_se, number_text(bound), kRefuterLevel, finite.values.size(),
      number_text(input.original.estimate), number_text(allowed), number_text(rms_move),
      number_text(largest_move));
  if (r.pass) {
    r.reading_en = fmt::format(
        "Adding a made-up covariate that confounds nothing leaves the estimate in place (it moves "
        "at most {}, {:.2g} of a standard error), as it should.",
        number_text(largest_move), input.original.se > 0 ? largest_move / input.original.se : 0.0);
    r.reading_ko = fmt::format(
        "아무것도 교란하지 않는 가짜 공변량을 넣어도 추정치가 그대로입니다(최대 {} 이동, 표준오차의 "
        "{:.2g}배). 건전한 분석이라면 그래야 합니다.",
        number_text(largest_move), input.original.se > 0 ? largest_move / input.original.se : 0.0);
  } else {
    const double rms_in_se = input.original.se > 0 ? rms_move / input.original.se : HUGE_VAL;
    r.reading_en = fmt::format(
        "A made-up covariate that confounds nothing moves the estimate by {} in root mean square ({:.2g} of "
        "a standard error, beyond the {} the test allows): the estimate is fragile to the model's "
        "specification.",
        number_text(rms_move), rms_in_se, tolerance_se);
    r.reading_ko = fmt::format(
        "아무것도 교란하지 않는 가짜 공변량 하나가 추정치를 제곱평균제곱근으로 {}만큼(표준오차의 {:.2g}배, "
        "검정이 허용하는 {}배 초과) 움직입니다. 추정치가 모형 설정에 취약합니다.",
        number_text(rms_move), rms_in_se, tolerance_se);
  }
  return r;
}

}  // namespace casebook

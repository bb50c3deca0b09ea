// Random common cause: a covariate drawn N(0, 1) independently of everything is added to the
// analysis. It confounds nothing, so adjusting for it should leave the estimate where it was;
// a sizeable move means the estimate rests on noise in the model rather than on the data.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <boost/random/normal_distribution.hpp>

#include "core/input_error.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

RefutationResult random_common_cause(const RefuterInput& input) {
  // The largest move allowed, as a fraction of the analysis's SE.
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

  // A tolerance rule, not a test: how often it fails a sound analysis is measured by Monte Carlo.
  RefutationResult r;
  add_repetition_counts(r, finite.attempted(), finite.failed);
  r.estimate = mean_of(finite.values);
  r.interval_low = *std::min_element(finite.values.begin(), finite.values.end());
  r.interval_high = *std::max_element(finite.values.begin(), finite.values.end());
  r.interval_label = "smallest and largest estimate with the random covariate";
  double largest_move = 0;
  for (double e : finite.values) largest_move = std::max(largest_move, std::abs(e - input.original.estimate));
  const double allowed = tolerance_se * input.original.se;
  r.pass = largest_move <= allowed;
  r.details.insert(
      {{"largest_move", largest_move}, {"allowed_move", allowed}, {"tolerance_se", tolerance_se}});
  r.rule = fmt::format(
      "a tolerance rule (its false-alarm rate is measured, not set): pass when no estimate with the added "
      "random covariate moves more than {} × SE = {} from {} "
      "(largest move {})",
      tolerance_se, number_text(allowed), number_text(input.original.estimate), number_text(largest_move));
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
    r.reading_en = fmt::format(
        "A made-up covariate that confounds nothing moves the estimate by {} (more than {} of a "
        "standard error): the estimate is fragile to the model's specification.",
        number_text(largest_move), tolerance_se);
    r.reading_ko = fmt::format(
        "아무것도 교란하지 않는 가짜 공변량 하나가 추정치를 {}만큼(표준오차의 {}배 이상) 움직입니다. "
        "추정치가 모형 설정에 취약합니다.",
        number_text(largest_move), tolerance_se);
  }
  return r;
}

}  // namespace casebook

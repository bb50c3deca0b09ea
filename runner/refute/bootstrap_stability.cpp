// Bootstrap stability: resampling rows (or whole units / clusters) with replacement shows how
// much the estimate really varies. When that spread disagrees with the reported standard error,
// the interval the analysis reports cannot be trusted, whatever the point estimate.
#include <cmath>

#include <fmt/format.h>
#include <boost/math/distributions/chi_squared.hpp>

#include "core/input_error.hpp"
#include "estimators/estimator_bootstrap.hpp"
#include "refute/refuters.hpp"
#include "refute/repetitions.hpp"

namespace casebook {

using namespace refute_detail;

RefutationResult bootstrap_stability(const RefuterInput& input) {
  const double ratio_limit = read_options("bootstrap", input).number("ratio");
  if (!(ratio_limit > 1))
    throw InputError(fmt::format("bootstrap: ratio must be above 1, got {}", ratio_limit));
  BootstrapOptions options;
  options.reps = input.reps;
  options.seed = input.seed;
  options.threads = input.threads;
  options.cluster = grouping_column(input);
  options.confidence_level = input.args.confidence_level;
  const BootstrapResult b = bootstrap(input.estimator->run, *input.data, input.args, options);

  const std::size_t attempted = b.replicates.size() + b.failed;
  if (static_cast<double>(b.failed) > kMaxFailedShare * static_cast<double>(attempted) ||
      b.replicates.size() < 2)
    return not_assessable("bootstrap", attempted, b.failed, b.replicates);

  // The null: the bootstrap SE the data imply (with endless replicates) is within a factor
  // ratio_limit of the reported SE. Its estimate from B normal replicates has
  // (B − 1) · (estimate / truth)² ~ χ²(B − 1), so the 1 − level interval of the ratio misses the
  // allowed band only with probability level under the null: fail only then.
  RefutationResult r;
  add_repetition_counts(r, attempted, b.failed);
  r.estimate = mean_of(b.replicates);
  r.interval_low = b.percentile_low;
  r.interval_high = b.percentile_high;
  r.interval_label = fmt::format("{:g}% bootstrap percentile interval", 100 * b.confidence_level);
  const double ratio = input.original.se > 0 ? b.se / input.original.se : std::nan("");
  const auto df = static_cast<double>(b.replicates.size() - 1);
  const boost::math::chi_squared chi_square(df);
  const double ratio_low = ratio * std::sqrt(df / boost::math::quantile(chi_square, 1 - kRefuterLevel / 2));
  const double ratio_high = ratio * std::sqrt(df / boost::math::quantile(chi_square, kRefuterLevel / 2));
  r.level = kRefuterLevel;
  r.pass = std::isfinite(ratio) && ratio_low <= ratio_limit && ratio_high >= 1 / ratio_limit;
  r.details.insert({{"bootstrap_se", b.se},
                    {"analytic_se", input.original.se},
                    {"se_ratio", ratio},
                    {"se_ratio_low", ratio_low},
                    {"se_ratio_high", ratio_high},
                    {"level", kRefuterLevel}});
  r.rule = fmt::format(
      "null: the {} bootstrap SE is within a factor {} of the reported SE ({}); ratio {:.3g} with {:g}% "
      "interval [{:.3g}, {:.3g}] from {} replicates (χ², level {:g}): pass when the interval meets [{:.3g}, "
      "{:.3g}]",
      b.kind, ratio_limit, number_text(input.original.se), ratio, 100 * (1 - kRefuterLevel), ratio_low,
      ratio_high, b.replicates.size(), kRefuterLevel, 1 / ratio_limit, ratio_limit);
  if (r.pass) {
    r.reading_en = fmt::format(
        "Resampling the data gives a spread ({}) close to the reported standard error ({}): "
        "the confidence interval means what it says.",
        number_text(b.se), number_text(input.original.se));
    r.reading_ko = fmt::format(
        "데이터를 재표집한 추정치의 퍼짐({})이 보고된 표준오차({})와 비슷합니다. 신뢰구간을 "
        "액면 그대로 읽어도 됩니다.",
        number_text(b.se), number_text(input.original.se));
  } else {
    r.reading_en = fmt::format(
        "Resampling the data gives a spread ({}) far from the reported standard error ({}): the "
        "reported interval is {} and should not be trusted as stated.",
        number_text(b.se), number_text(input.original.se), ratio > 1 ? "too narrow" : "too wide");
    r.reading_ko = fmt::format(
        "데이터를 재표집한 추정치의 퍼짐({})이 보고된 표준오차({})와 크게 다릅니다. 보고된 "
        "신뢰구간은 {} 그대로 믿을 수 없습니다.",
        number_text(b.se), number_text(input.original.se), ratio > 1 ? "너무 좁아" : "너무 넓어");
  }
  return r;
}

}  // namespace casebook

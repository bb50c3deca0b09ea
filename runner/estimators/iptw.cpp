#include "estimators/iptw.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/propensity_score.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "iptw";

struct Weighting {
  PropensityData d;
  PropensityFit fit;
  WeightTarget target = WeightTarget::ate;
  std::vector<char> truncated;
  PropensityWeights weights;
};

Weighting weighting(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  Weighting w;
  w.d = propensity_data(kName, data, args);
  w.target = parse_weight_target(options.text("estimand"));
  w.fit = fit_propensity(kName, args.treatment, w.d, w.d.all);
  const std::size_t n = w.d.y.size();
  w.weights.propensity = w.fit.e;
  w.truncated.assign(n, 0);
  if (options.has("trim")) {
    const double trim = options.number("trim");
    if (trim >= 0.5)
      throw InputError(
          fmt::format("{}: option 'trim' must be below 0.5, got {} (propensities are truncated to "
                      "[trim, 1 - trim])",
                      kName, options.text("trim")));
    for (std::size_t i = 0; i < n; ++i) {
      double& e = w.weights.propensity[i];
      if (e < trim || e > 1 - trim) {
        e = std::clamp(e, trim, 1 - trim);
        w.truncated[i] = 1;
        ++w.weights.truncated;
      }
    }
  }
  // Stabilized: times P(T = t) / P(T in the target population), so each arm's weights average
  // about 1 (the Hajek estimate is unchanged by a constant per arm).
  const double share = std::accumulate(w.d.t.begin(), w.d.t.end(), 0.0) / static_cast<double>(n);
  const double target_share =
      w.target == WeightTarget::att ? share : (w.target == WeightTarget::atc ? 1 - share : 1);
  const bool stabilize = options.flag("stabilize");
  w.weights.weight.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double scale = stabilize ? (w.d.t[i] == 1 ? share : 1 - share) / target_share : 1;
    w.weights.weight[i] = scale * balancing_weight(w.target, w.d.t[i], w.weights.propensity[i]);
  }
  return w;
}

}  // namespace

PropensityWeights iptw_weights(const Dataset& data, const EstimatorArgs& args) {
  return weighting(data, args).weights;
}

Estimate iptw(const Dataset& data, const EstimatorArgs& args) {
  Weighting w = weighting(data, args);
  const WeightedContrast contrast =
      weighted_contrast(w.d, w.fit, w.weights.propensity, w.truncated, w.target);
  Estimate out = to_estimate(z_test(contrast.estimate, contrast.se, args.confidence_level), w.d.y.size());
  out.se_type = "influence";
  out.diagnostics["se_ignoring_ps"] = contrast.se_ignoring_ps;
  out.diagnostics["n_trimmed"] = static_cast<double>(w.weights.truncated);
  report_weights(out, data, args, w.d.t, w.weights.propensity, w.weights.weight, w.target);
  out.notes.push_back(
      "estimate = weighted difference in means with normalised (Hajek) inverse-probability weights from a "
      "logistic propensity model; SE from the stacked estimating equations of the propensity model and the "
      "weighted means (M-estimation sandwich), so it accounts for the estimated propensity");
  if (w.weights.truncated > 0)
    out.notes.push_back(
        fmt::format("{} propensities were truncated (option trim); the estimand is then the "
                    "effect in a reweighted population, not exactly the one named",
                    w.weights.truncated));
  out.row_outputs["weight"] = std::move(w.weights.weight);
  out.row_outputs["propensity"] = std::move(w.weights.propensity);
  return out;
}

}  // namespace casebook

#include "estimators/overlap_weights.hpp"

#include "estimators/argument_checks.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "overlap-weights";

struct Weighting {
  PropensityData d;
  PropensityFit fit;
  PropensityWeights weights;
};

Weighting weighting(const Dataset& data, const EstimatorArgs& args) {
  Weighting w;
  w.d = propensity_data(kName, data, args);
  w.fit = fit_propensity(kName, args.treatment, w.d, w.d.all);
  w.weights.propensity = w.fit.e;
  w.weights.weight.resize(w.d.y.size());
  for (std::size_t i = 0; i < w.d.y.size(); ++i)
    w.weights.weight[i] = balancing_weight(WeightTarget::ato, w.d.t[i], w.fit.e[i]);
  return w;
}

}  // namespace

PropensityWeights overlap_weights(const Dataset& data, const EstimatorArgs& args) {
  return weighting(data, args).weights;
}

Estimate overlap_weights_estimate(const Dataset& data, const EstimatorArgs& args) {
  Weighting w = weighting(data, args);
  const std::vector<char> truncated(w.d.y.size(), 0);
  const WeightedContrast contrast = weighted_contrast(w.d, w.fit, w.fit.e, truncated, WeightTarget::ato);
  Estimate out = to_estimate(z_test(contrast.estimate, contrast.se, args.confidence_level), w.d.y.size());
  out.se_type = "influence";
  out.diagnostics["se_ignoring_ps"] = contrast.se_ignoring_ps;
  // Overlap weights balance every covariate's mean exactly; the balance table shows it.
  report_weights(out, data, args, w.d.t, w.weights.propensity, w.weights.weight, WeightTarget::ato);
  out.notes.push_back(
      "estimate = the average effect in the overlap population (ATO): weighted difference in means with "
      "overlap weights 1 - e (treated) and e (control) from a logistic propensity model (Li, Morgan & "
      "Zaslavsky 2018); SE from the stacked estimating equations (M-estimation sandwich)");
  out.row_outputs["weight"] = std::move(w.weights.weight);
  out.row_outputs["propensity"] = std::move(w.weights.propensity);
  return out;
}

}  // namespace casebook

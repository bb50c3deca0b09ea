#include "estimators/causal_forest.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "effect_summaries/doubly_robust_ate.hpp"
#include "effect_summaries/targeted_average_effect.hpp"
#include "effect_summaries/test_calibration.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/causal_forest_targeting.hpp"
#include "estimators/meta_learner.hpp"
#include "forest/causal_forest.hpp"
#include "forest/out_of_bag_effect.hpp"
#include "inference/cluster_index.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "causal-forest";

// Clusters whose rows are all treated or all control: the forest still runs (Ŵ comes from other
// clusters), but such a cluster says nothing about the effect by itself; the reader should know.
std::string clusters_without_variation(const Dataset& data, const std::string& name,
                                       const ClusterCodes& codes, std::span<const double> w) {
  std::vector<int> seen(codes.count, 0);  // bit 1: a control row, bit 2: a treated row
  for (std::size_t i = 0; i < w.size(); ++i) seen[codes.code[i]] |= w[i] == 1 ? 2 : 1;
  std::size_t count = 0, example = 0;
  for (std::size_t i = 0; i < w.size(); ++i)
    if (seen[codes.code[i]] != 3 && seen[codes.code[i]] != 0) {
      if (count == 0) example = i;
      ++count;
      seen[codes.code[i]] = 0;  // count each cluster once
    }
  if (count == 0) return "";
  const Column& column = data.column(name);
  const std::string id = column.is_categorical()
                             ? column.levels[static_cast<std::size_t>(column.values[example])]
                             : fmt::format("{:g}", column.values[example]);
  return fmt::format(
      "{} of {} clusters of '{}' (e.g. {}) are all treated or all control: their effects rest on "
      "comparisons with other clusters",
      count, codes.count, name, id);
}

}  // namespace

Estimate causal_forest_estimate(const Dataset& data, const EstimatorArgs& args) {
  const MetaLearnerSettings s = meta_learner_settings(kName, args);
  EstimatorArgs unclustered = args;  // the meta-learners refuse clusters; the causal forest subsamples them
  unclustered.cluster.clear();
  const MetaLearnerData d = meta_learner_data(kName, data, unclustered, s);

  CausalForestOptions options;
  options.forest = s.forest_options;
  std::span<const double> cluster_ids;
  std::vector<std::uint32_t> cluster_codes;
  std::string variation_note;
  if (!args.cluster.empty()) {
    require_column(data, kName, "cluster", args.cluster);
    require_complete(data, {args.cluster});
    cluster_ids = data.column(args.cluster).values;
    const ClusterCodes codes =
        make_cluster_codes(cluster_ids, d.y.size(), fmt::format("{}: cluster '{}'", kName, args.cluster));
    cluster_codes.assign(codes.code.begin(), codes.code.end());
    options.forest.clusters = cluster_codes;
    variation_note = clusters_without_variation(data, args.cluster, codes, d.t);
  }
  CausalForestFit fit = fit_causal_forest(d.binned, d.y, d.t, options);
  const DoublyRobustEffect scores = doubly_robust_ate(d.y, d.t, fit.y_hat, fit.w_hat, fit.cate);
  AverageEffectOptions all;
  all.clusters = cluster_ids;
  const AverageEffect ate = average_treatment_effect(d.y, d.t, fit.y_hat, fit.w_hat, fit.cate, all);

  Estimate out = meta_learner_estimate(d, s, args, fit.cate, ate.estimate, scores.scores, "Causal forest");
  // grf reports a normal interval for the ATE; meta_learner_estimate's is a t interval.
  const CoefficientTest test = z_test(ate.estimate, ate.se, args.confidence_level);
  out.estimate = test.estimate;
  out.se = test.se;
  out.ci_low = test.ci_low;
  out.ci_high = test.ci_high;
  out.p_value = test.p_value;
  out.se_type = args.cluster.empty() ? "influence" : "influence-cr";
  out.diagnostics.erase("df");
  out.diagnostics["cate_mean"] =
      std::accumulate(fit.cate.begin(), fit.cate.end(), 0.0) / static_cast<double>(fit.cate.size());
  const auto [low, high] = std::minmax_element(fit.w_hat.begin(), fit.w_hat.end());
  out.diagnostics["propensity_min"] = *low;
  out.diagnostics["propensity_max"] = *high;
  const CalibrationTest calibration = test_calibration(d.y, d.t, fit.y_hat, fit.w_hat, fit.cate, cluster_ids);
  out.diagnostics["calibration_mean"] = calibration.mean_prediction.estimate;
  out.diagnostics["calibration_mean_p"] = calibration.mean_prediction.p_value;
  out.diagnostics["calibration_differential"] = calibration.differential_prediction.estimate;
  out.diagnostics["calibration_differential_p"] = calibration.differential_prediction.p_value;
  out.notes.clear();
  out.notes.push_back(
      fmt::format("causal forest (grf's causal_forest: {} trees, honest, subsample 0.5, gradient-based "
                  "splits on Y − Ŷ and "
                  "W − Ŵ from regression forests of {} trees); CATE out of bag",
                  options.forest.trees, std::max<std::size_t>(50, options.forest.trees / 4)));
  out.notes.push_back(
      "estimate = the doubly robust (AIPW) ATE mean(Γ), Γ = τ̂(X) + (W − Ŵ)/(Ŵ(1 − Ŵ))·(Y − Ŷ − (W − Ŵ)τ̂(X)); "
      "SE = sd(Γ)/√n with a normal interval (grf's average_treatment_effect)");
  if (!args.cluster.empty()) {
    out.notes.push_back(
        fmt::format("clusters '{}' ({} of them): the forests subsample whole clusters and the ATE's "
                    "SE is cluster-robust, as grf's causal_forest(clusters = …)",
                    args.cluster, ate.clusters));
    if (!variation_note.empty()) out.notes.push_back(variation_note);
  }
  out.notes.push_back(
      "calibration test (grf's test_calibration): calibration_mean near 1 says the average effect is right; "
      "calibration_differential above 0 with a small one-sided calibration_differential_p says the forest "
      "found real heterogeneity");
  if (*low < 0.05 || *high > 0.95)
    out.notes.push_back(
        fmt::format("estimated propensities range from {:.3f} to {:.3f}: near 0 or 1 the AIPW weights are "
                    "large and the ATE is "
                    "fragile",
                    *low, *high));
  out.notes.insert(out.notes.end(), d.notes.begin(), d.notes.end());
  add_out_of_bag_notes(out.notes, fit.fallback_points, fit.variance_missing);
  if (!fit.cate_variance.empty()) out.row_outputs["cate_variance"] = std::move(fit.cate_variance);
  TargetingInputs targeting{d.y,
                            d.t,
                            fit.y_hat,
                            fit.w_hat,
                            fit.cate,
                            scores.scores,
                            cluster_ids,
                            options.forest.seed,
                            options.forest.threads};
  add_targeting_summaries(data, args, targeting, out);
  out.row_outputs["y_hat"] = std::move(fit.y_hat);
  out.row_outputs["w_hat"] = std::move(fit.w_hat);
  return out;
}

}  // namespace casebook

#include "estimators/instrumental_forest.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/causal_forest_targeting.hpp"
#include "estimators/meta_learner.hpp"
#include "forest/causal_forest.hpp"
#include "forest/instrumental_forest.hpp"
#include "forest/out_of_bag_effect.hpp"
#include "inference/cluster_index.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "instrumental-forest";
constexpr std::uint64_t kComplianceStream = 0x434f4d50;  // "COMP"
constexpr double kWeakF = 10;

// The first stage on the residualised data: W − Ŵ on Z − Ẑ through the origin, F = β² / Var(β) with
// the cluster-robust (HC0 · G/(G − 1)) variance; one instrument, so this is the robust (effective) F.
double first_stage_f(std::span<const double> w_residual, std::span<const double> z_residual,
                     const ClusterCodes& clusters) {
  double zz = 0, zw = 0;
  for (std::size_t i = 0; i < z_residual.size(); ++i) {
    zz += z_residual[i] * z_residual[i];
    zw += z_residual[i] * w_residual[i];
  }
  const double beta = zw / zz;
  std::vector<double> sums(clusters.count, 0.0);
  for (std::size_t i = 0; i < z_residual.size(); ++i)
    sums[clusters.code[i]] += z_residual[i] * (w_residual[i] - beta * z_residual[i]);
  double meat = 0;
  for (const double s : sums) meat += s * s;
  const auto g = static_cast<double>(clusters.count);
  const double variance = meat / (zz * zz) * g / (g - 1);
  return beta * beta / variance;
}

double standard_deviation(std::span<const double> v) {
  const auto n = static_cast<double>(v.size());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double squares = 0;
  for (const double x : v) squares += (x - mean) * (x - mean);
  return std::sqrt(squares / (n - 1));
}

}  // namespace

Estimate instrumental_forest_estimate(const Dataset& data, const EstimatorArgs& args) {
  if (args.instruments.empty())
    throw InputError(
        fmt::format("{} needs an instrument (--instruments): the forest estimates Cov[Y, Z | x] / "
                    "Cov[W, Z | x]",
                    kName));
  if (args.instruments.size() > 1)
    throw InputError(fmt::format("{} takes one instrument (got {}: {})", kName, args.instruments.size(),
                                 fmt::join(args.instruments, ", ")));
  const std::string& instrument = args.instruments.front();
  require_distinct_roles(args);
  require_binary_column(data, kName, "instrument", instrument);
  require_not_constant(data, "instrument", instrument,
                       "it cannot move the treatment, so no effect is identified");
  const MetaLearnerSettings s = meta_learner_settings(kName, args);
  const OptionValues options = read_options(kName, args);
  EstimatorArgs plain = args;  // the shared checks refuse instruments and clusters; both are handled here
  plain.instruments.clear();
  plain.cluster.clear();
  const MetaLearnerData d = meta_learner_data(kName, data, plain, s);
  const std::vector<double>& z = data.column(instrument).values;
  const std::size_t n = d.y.size();

  std::span<const double> cluster_ids;
  std::vector<std::uint32_t> cluster_codes;
  if (!args.cluster.empty()) {
    require_column(data, kName, "cluster", args.cluster);
    require_complete(data, {args.cluster});
    cluster_ids = data.column(args.cluster).values;
  }
  const ClusterCodes clusters =
      make_cluster_codes(cluster_ids, n, fmt::format("{}: cluster '{}'", kName, args.cluster));
  if (!cluster_ids.empty()) cluster_codes.assign(clusters.code.begin(), clusters.code.end());

  InstrumentalForestOptions forest_options;
  forest_options.forest = s.forest_options;
  forest_options.forest.clusters = cluster_codes;
  InstrumentalForestFit fit = fit_instrumental_forest(d.binned, d.y, d.t, z, forest_options);

  // grf's get_scores.instrumental_forest: the compliance score Δ̂(x), the effect of Z on W, from a causal
  // forest given Ŵ and Ẑ (num.trees.for.weights trees, grf's other defaults), out of bag.
  CausalForestOptions compliance_options;
  compliance_options.forest.trees = options.count("compliance_trees");
  compliance_options.forest.seed = derive_seed(s.forest_options.seed, kComplianceStream);
  compliance_options.forest.threads = s.forest_options.threads;
  compliance_options.forest.clusters = cluster_codes;
  const std::vector<double> compliance =
      fit_causal_forest(d.binned, d.t, z, compliance_options, fit.w_hat, fit.z_hat).cate;

  const auto [z_low, z_high] = std::minmax_element(fit.z_hat.begin(), fit.z_hat.end());
  if (!(*z_low > 0 && *z_high < 1))
    throw InputError(
        data.source(),
        fmt::format("{}: the estimated probability of instrument '{}' reaches {:g}: the doubly "
                    "robust scores divide by Ẑ(1 − Ẑ), so some covariate values never (or always) "
                    "see the instrument",
                    kName, instrument, *z_low > 0 ? *z_high : *z_low));
  std::vector<double> scores(n), w_residual(n), z_residual(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (compliance[i] == 0)
      throw InputError(data.source(),
                       fmt::format("{}: the compliance score of row {} is exactly 0: instrument "
                                   "'{}' does not move treatment '{}' there",
                                   kName, i + 1, instrument, args.treatment));
    w_residual[i] = d.t[i] - fit.w_hat[i];
    z_residual[i] = z[i] - fit.z_hat[i];
    const double weight = z_residual[i] / (fit.z_hat[i] * (1 - fit.z_hat[i])) / compliance[i];
    scores[i] = fit.cate[i] + weight * (d.y[i] - fit.y_hat[i] - fit.cate[i] * w_residual[i]);
  }
  const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(n);
  std::vector<double> centred(n);
  for (std::size_t i = 0; i < n; ++i) centred[i] = scores[i] - mean;
  const CoefficientTest test =
      z_test(mean, std::sqrt(clustered_variance_of_mean(centred, clusters)), args.confidence_level);

  Estimate out;
  out.estimate = test.estimate;
  out.se = test.se;
  out.ci_low = test.ci_low;
  out.ci_high = test.ci_high;
  out.p_value = test.p_value;
  out.n = n;
  out.se_type = args.cluster.empty() ? "influence" : "influence-cr";
  if (!args.cluster.empty()) out.diagnostics["clusters"] = static_cast<double>(clusters.count);
  out.diagnostics["cate_mean"] =
      std::accumulate(fit.cate.begin(), fit.cate.end(), 0.0) / static_cast<double>(n);
  out.diagnostics["cate_sd"] = standard_deviation(fit.cate);
  const double f = first_stage_f(w_residual, z_residual, clusters);
  out.diagnostics["first_stage_F"] = f;
  const auto [c_low, c_high] = std::minmax_element(compliance.begin(), compliance.end());
  out.diagnostics["compliance_min"] = *c_low;
  out.diagnostics["compliance_max"] = *c_high;
  out.diagnostics["compliance_mean"] =
      std::accumulate(compliance.begin(), compliance.end(), 0.0) / static_cast<double>(n);
  out.diagnostics["instrument_propensity_min"] = *z_low;
  out.diagnostics["instrument_propensity_max"] = *z_high;

  out.notes.push_back(fmt::format(
      "instrumental forest (grf's instrumental_forest: {} trees, honest, subsample {:g}, splits on the local "
      "IV "
      "moment of Y − Ŷ, W − Ŵ and Z − Ẑ from regression forests of {} trees, stabilised on the instrument, "
      "reduced_form_weight 0); τ̂(x) = Cov[Y, Z | x] / Cov[W, Z | x] out of bag",
      forest_options.forest.trees, forest_options.forest.sample_fraction,
      std::min<std::size_t>(500, forest_options.forest.trees)));
  out.notes.push_back(
      "estimate = grf's average_treatment_effect for an instrumental forest: mean(Γ), Γ = τ̂(X) + (Z − "
      "Ẑ)/(Ẑ(1 − "
      "Ẑ)Δ̂(X))·(Y − Ŷ − τ̂(X)(W − Ŵ)), Δ̂(X) the compliance score (a causal forest of W on Z); the average "
      "conditional LATE, E[τ(X)], with a normal interval");
  if (!args.cluster.empty())
    out.notes.push_back(
        fmt::format("clusters '{}' ({} of them): the forests subsample whole clusters and the "
                    "SE is cluster-robust, as grf's instrumental_forest(clusters = …)",
                    args.cluster, clusters.count));
  if (f < kWeakF)
    out.notes.push_back(fmt::format(
        "warning: weak instrument: the robust first-stage F of '{}' on '{}' (after removing what the "
        "covariates "
        "predict) is {:.2f}, below {:g}; τ̂(x) and the average effect divide by a first stage near zero and "
        "their intervals are not to be trusted",
        args.treatment, instrument, f, kWeakF));
  const double treatment_sd = standard_deviation(d.t);
  if (std::abs(*c_low) <= 0.01 * treatment_sd)
    out.notes.push_back(
        fmt::format("warning: the instrument appears weak for some rows: compliance scores go as "
                    "low as {:.4f} (grf's warning below 1% of sd(W) = {:.4f})",
                    *c_low, 0.01 * treatment_sd));
  if (*z_low <= 0.01 || *z_high >= 0.99)
    out.notes.push_back(
        fmt::format("warning: estimated instrument propensities range from {:.3f} to {:.3f}: "
                    "near 0 or 1 the doubly robust weights are large (grf warns too)",
                    *z_low, *z_high));
  out.notes.push_back(
      "no calibration test: grf defines test_calibration for regression and causal forests only");
  out.notes.insert(out.notes.end(), d.notes.begin(), d.notes.end());
  add_out_of_bag_notes(out.notes, fit.fallback_points, fit.variance_missing);

  if (options.has("blp"))
    add_best_linear_projection(data, kName, options.list("blp"), scores, cluster_ids, args.confidence_level,
                               out);
  out.row_outputs["cate"] = std::move(fit.cate);
  if (!fit.cate_variance.empty()) out.row_outputs["cate_variance"] = std::move(fit.cate_variance);
  out.row_outputs["y_hat"] = std::move(fit.y_hat);
  out.row_outputs["w_hat"] = std::move(fit.w_hat);
  out.row_outputs["z_hat"] = std::move(fit.z_hat);
  out.row_outputs["compliance_score"] = compliance;
  return out;
}

}  // namespace casebook

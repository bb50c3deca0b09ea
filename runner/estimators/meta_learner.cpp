#include "estimators/meta_learner.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "core/derived_seed.hpp"
#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/uplift_metrics.hpp"
#include "forest/causal_forest.hpp"
#include "inference/design_matrix.hpp"
#include "inference/t_test.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {

MetaLearnerSettings meta_learner_settings(std::string_view estimator, const EstimatorArgs& args) {
  const OptionValues options = read_options(estimator, args);
  MetaLearnerSettings s;
  s.forest_options.trees = options.count("trees");
  s.forest_options.seed = static_cast<std::uint64_t>(options.count("seed"));
  s.forest_options.threads = static_cast<unsigned>(options.count("threads"));
  s.forest_options.min_node_size = options.count("min_node_size");
  s.forest_options.mtry = options.count("mtry");
  s.forest_options.honesty = options.flag("honesty");
  // The grf forests have no base learner, folds or top share of their own.
  if (options.declares("ci_group_size")) s.forest_options.ci_group_size = options.count("ci_group_size");
  if (!options.declares("base_learner")) return s;
  s.forest = options.text("base_learner") == "forest";
  s.folds = options.count("folds");
  if (s.folds < 2) throw InputError(fmt::format("{}: folds must be at least 2 (got {})", estimator, s.folds));
  s.top_share = options.number("top_share");
  return s;
}

ForestFeatures forest_features(const Dataset& data, const std::vector<std::string>& covariates) {
  // A text covariate's level codes have no order, so a forest must not split on them as numbers:
  // it gets one 0/1 column per level instead (grf's advice for categorical covariates).
  ForestFeatures out;
  std::vector<std::vector<double>> features;
  for (const auto& name : covariates) {
    const Column& column = data.column(name);
    if (!column.is_categorical()) {
      features.push_back(column.values);
      out.names.push_back(name);
      continue;
    }
    for (std::size_t level = 0; level < column.levels.size(); ++level) {
      std::vector<double> indicator(column.values.size());
      for (std::size_t i = 0; i < indicator.size(); ++i)
        indicator[i] = column.values[i] == static_cast<double>(level) ? 1 : 0;
      features.push_back(std::move(indicator));
      out.names.push_back(fmt::format("{}={}", name, column.levels[level]));
    }
    out.notes.push_back(
        fmt::format("covariate '{}' is text: the forests split on one 0/1 column per level ({})", name,
                    fmt::join(column.levels, ", ")));
  }
  const auto n = static_cast<Eigen::Index>(data.rows());
  out.matrix.resize(n, static_cast<Eigen::Index>(features.size()));
  for (std::size_t j = 0; j < features.size(); ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      out.matrix(i, static_cast<Eigen::Index>(j)) = features[j][static_cast<std::size_t>(i)];
  return out;
}

MetaLearnerData meta_learner_data(std::string_view estimator, const Dataset& data, const EstimatorArgs& args,
                                  const MetaLearnerSettings& settings) {
  check_confidence_level(args.confidence_level);
  reject_argument(estimator, "instruments", !args.instruments.empty(),
                  "meta-learners assume a randomized or unconfounded treatment");
  reject_argument(estimator, "a cluster column", !args.cluster.empty(),
                  "its standard error assumes independent rows");
  if (args.covariates.empty())
    throw InputError(
        fmt::format("{} needs covariates: the effect is learned as a function of them", estimator));
  require_distinct_roles(args);
  require_numeric_column(data, estimator, "outcome", args.outcome);
  require_binary_column(data, estimator, "treatment", args.treatment);
  for (const auto& c : args.covariates) require_column(data, estimator, "covariate", c);
  require_complete(data, args.covariates);

  MetaLearnerData d;
  d.y = data.column(args.outcome).values;
  d.t = data.column(args.treatment).values;
  require_not_constant(data, "treatment", args.treatment, "one arm is empty, so no effect can be learned");
  for (const auto& c : args.covariates)
    require_not_constant(data, "covariate", c, "it cannot explain differences in the effect; drop it");
  for (std::size_t i = 0; i < d.t.size(); ++i) {
    (d.t[i] == 1 ? d.treated : d.control).push_back(static_cast<std::uint32_t>(i));
    d.all.push_back(static_cast<std::uint32_t>(i));
  }
  const std::size_t minimum =
      std::max<std::size_t>(2, settings.forest ? settings.forest_options.min_node_size : 2);
  for (const auto* arm : {&d.control, &d.treated})
    if (arm->size() < 2 * minimum)
      throw InputError(
          data.source(),
          fmt::format("treatment '{}' has only {} rows with {} = {}; {} needs at least {}", args.treatment,
                      arm->size(), args.treatment, arm == &d.treated ? 1 : 0, estimator, 2 * minimum));

  ForestFeatures features = forest_features(data, args.covariates);
  d.covariates = std::move(features.matrix);
  d.feature_names = std::move(features.names);
  if (settings.forest) d.notes.insert(d.notes.end(), features.notes.begin(), features.notes.end());
  if (settings.forest) d.binned = BinnedMatrix::fit(d.covariates);
  d.design = build_design_matrix(data, args.covariates).x;
  return d;
}

std::vector<double> outcome_model(const MetaLearnerData& d, const MetaLearnerSettings& s,
                                  std::span<const double> target, std::span<const std::uint32_t> rows,
                                  std::uint64_t stream) {
  if (s.forest) {
    ForestOptions options = s.forest_options;
    options.seed = derive_seed(s.forest_options.seed, stream);
    return regression_forest_predictions(d.binned, target, rows, options);
  }
  return linear_predictions(d.design, target, rows, false, s.folds,
                            derive_seed(s.forest_options.seed, stream));
}

std::vector<double> propensity_model(const MetaLearnerData& d, const MetaLearnerSettings& s) {
  return linear_predictions(d.design, d.t, d.all, true, s.folds,
                            derive_seed(s.forest_options.seed, 0x70726f70));
}

std::vector<double> aipw_scores(const MetaLearnerData& d, std::span<const double> mu1,
                                std::span<const double> mu0, std::span<const double> propensity) {
  std::vector<double> psi(d.y.size());
  for (std::size_t i = 0; i < psi.size(); ++i) {
    const double e = propensity[i];
    psi[i] = mu1[i] - mu0[i] + (d.t[i] == 1 ? (d.y[i] - mu1[i]) / e : -(d.y[i] - mu0[i]) / (1 - e));
  }
  return psi;
}

Estimate meta_learner_estimate(const MetaLearnerData& d, const MetaLearnerSettings& s,
                               const EstimatorArgs& args, std::vector<double> cate, double ate,
                               std::span<const double> scores, const std::string& label) {
  const double n = static_cast<double>(scores.size());
  const double mean_score = std::accumulate(scores.begin(), scores.end(), 0.0) / n;
  double squares = 0;
  for (const double psi : scores) squares += (psi - mean_score) * (psi - mean_score);
  const double se = std::sqrt(squares / (n - 1) / n);
  Estimate out = to_estimate(t_test(ate, se, n - 1, args.confidence_level), scores.size());
  out.se_type = "influence";

  const UpliftEvaluation evaluation = evaluate_uplift(d.y, d.t, cate, s.top_share);
  out.diagnostics["ate_aipw"] = mean_score;
  out.diagnostics["auuc"] = evaluation.auuc;
  out.diagnostics["auuc_random"] = evaluation.auuc_random;
  out.diagnostics["qini"] = evaluation.qini_coefficient;
  out.diagnostics[fmt::format("top{}_share", std::lround(100 * s.top_share))] = evaluation.top_share;
  const double mean_cate = std::accumulate(cate.begin(), cate.end(), 0.0) / n;
  double cate_squares = 0;
  for (const double c : cate) cate_squares += (c - mean_cate) * (c - mean_cate);
  out.diagnostics["cate_sd"] = std::sqrt(cate_squares / (n - 1));
  for (const auto& decile : evaluation.deciles)
    if (!decile.defined) {
      out.notes.push_back(
          "a decile of predicted effect has no treated or no control row; its uplift is shown as 0");
      break;
    }
  out.plots = uplift_plots(evaluation, label);
  out.notes.push_back(
      fmt::format("{} base learners; uplift metrics (AUUC, Qini, top-{:g}% share) on out-of-sample CATE "
                  "scores of the same data "
                  "(out of bag or cross-fitted)",
                  s.forest ? fmt::format("regression forest ({} trees, honest)", s.forest_options.trees)
                           : std::string("linear"),
                  100 * s.top_share));
  out.notes.insert(out.notes.end(), d.notes.begin(), d.notes.end());
  out.row_outputs["cate"] = std::move(cate);
  return out;
}

}  // namespace casebook

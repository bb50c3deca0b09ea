#include "estimators/regression_forest.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "data/dataset.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/meta_learner.hpp"
#include "forest/forest.hpp"
#include "inference/cluster_index.hpp"
#include "inference/t_test.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "regression-forest";

void check_arguments(const Dataset& data, const EstimatorArgs& args) {
  check_confidence_level(args.confidence_level);
  if (!args.treatment.empty())
    throw InputError(
        fmt::format("{} predicts the outcome from the covariates and takes no --treatment "
                    "(causal-forest estimates effects)",
                    kName));
  reject_argument(kName, "instruments", !args.instruments.empty(),
                  "it predicts the outcome from the covariates");
  if (args.covariates.empty())
    throw InputError(fmt::format("{} needs covariates: the outcome is predicted from them", kName));
  require_distinct_roles(args);
  require_numeric_column(data, kName, "outcome", args.outcome);
  for (const auto& c : args.covariates) require_column(data, kName, "covariate", c);
  require_complete(data, args.covariates);
  require_not_constant(data, "outcome", args.outcome, "there is nothing to predict");
  for (const auto& c : args.covariates)
    require_not_constant(data, "covariate", c, "it cannot explain differences in the outcome; drop it");
  if (!args.cluster.empty()) {
    require_column(data, kName, "cluster", args.cluster);
    if (args.cluster == args.outcome)
      throw InputError(fmt::format("cluster column '{}' is the outcome itself", args.cluster));
  }
}

double mean_of(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

Estimate regression_forest_estimate(const Dataset& data, const EstimatorArgs& args) {
  ForestOptions options = meta_learner_settings(kName, args).forest_options;
  check_arguments(data, args);
  const std::vector<double>& y = data.column(args.outcome).values;
  const std::size_t n = y.size();

  // Trees subsample whole clusters: the forest takes a code per row.
  std::vector<std::uint32_t> cluster_of_row;
  if (!args.cluster.empty()) {
    const ClusterCodes codes = make_cluster_codes(data.column(args.cluster).values, n,
                                                  fmt::format("cluster column '{}'", args.cluster));
    cluster_of_row.assign(codes.code.begin(), codes.code.end());
    options.clusters = cluster_of_row;
  }
  const ForestFeatures features = forest_features(data, args.covariates);
  const BinnedMatrix x = BinnedMatrix::fit(features.matrix);
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::uint32_t{0});

  const RegressionRule rule(y);
  const bool with_variance = options.ci_group_size >= 2;
  const ForestQuery query{&x, true, with_variance};
  std::size_t fallback_points = 0;
  QueryPredictions p =
      predict_while_growing(x, rows, rule, options, std::span(&query, 1), &fallback_points).front();

  // The estimate summarises the outcome; the forest's quality is in the diagnostics.
  const double y_mean = mean_of(y);
  double y_squares = 0, errors = 0;
  for (std::size_t i = 0; i < n; ++i) {
    y_squares += (y[i] - y_mean) * (y[i] - y_mean);
    errors += (y[i] - p.estimates[i]) * (y[i] - p.estimates[i]);
  }
  const double rows_count = static_cast<double>(n);
  const double se = std::sqrt(y_squares / (rows_count - 1) / rows_count);
  Estimate out = to_estimate(t_test(y_mean, se, rows_count - 1, args.confidence_level), n);
  out.se_type = "iid";  // of the mean outcome
  out.diagnostics["oob_mse"] = errors / rows_count;
  out.diagnostics["oob_r2"] = 1 - errors / y_squares;
  if (with_variance) {
    double sum = 0;
    std::size_t counted = 0;
    for (const double v : p.variances)
      if (!std::isnan(v)) {
        sum += v;
        ++counted;
      }
    out.diagnostics["variance_mean"] =
        counted > 0 ? sum / static_cast<double>(counted) : std::numeric_limits<double>::quiet_NaN();
    out.diagnostics["rows_without_variance"] = static_cast<double>(p.variance_missing);
  }

  const std::size_t grown = options.trees / options.ci_group_size * options.ci_group_size;
  out.notes.push_back(fmt::format(
      "regression forest (grf's regression_forest: {} trees{}, {}subsample 0.5, min_node_size {}{}); "
      "prediction{} out of bag for every row",
      grown, with_variance ? fmt::format(" in little bags of {}", options.ci_group_size) : std::string(),
      options.honesty ? "honest, " : "", options.min_node_size,
      args.cluster.empty() ? std::string()
                           : fmt::format(", whole clusters of '{}' per subsample", args.cluster),
      with_variance ? " and its little-bag variance" : ""));
  out.notes.push_back(
      "estimate = the mean of the outcome with SE sd(y)/√n (t interval, n − 1 df; p tests a zero mean): a "
      "summary of the data, not a "
      "causal quantity; the forest's fit is oob_r2 = 1 − oob_mse/Var(y) and its per-row predictions are "
      "written by "
      "--predictions");
  out.notes.insert(out.notes.end(), features.notes.begin(), features.notes.end());
  if (fallback_points > 0)
    out.notes.push_back(fmt::format("{} rows had no out-of-bag tree; their prediction is the outcome's mean",
                                    fallback_points));
  if (!with_variance)
    out.notes.push_back("ci_group_size = 1: no little bags, so no variances (grf's default is 2)");
  else if (p.variance_missing > 0)
    out.notes.push_back(fmt::format(
        "{} rows had fewer than two little bags out of bag; their variance is NA (more trees help)",
        p.variance_missing));
  out.row_outputs["prediction"] = std::move(p.estimates);
  if (with_variance) out.row_outputs["variance"] = std::move(p.variances);
  return out;
}

}  // namespace casebook

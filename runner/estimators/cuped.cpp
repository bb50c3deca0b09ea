#include "estimators/cuped.hpp"

#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/input_error.hpp"
#include "estimators/argument_checks.hpp"
#include "estimators/difference_in_means.hpp"
#include "estimators/estimator.hpp"
#include "inference/design_matrix.hpp"
#include "learners/linear_learners.hpp"

namespace casebook {
namespace {

constexpr std::string_view kName = "cuped";

std::vector<std::uint32_t> all_rows(std::size_t n) {
  std::vector<std::uint32_t> rows(n);
  std::iota(rows.begin(), rows.end(), 0u);
  return rows;
}

std::vector<std::uint32_t> rows_of_arm(const Eigen::VectorXd& t, double arm) {
  std::vector<std::uint32_t> rows;
  for (Eigen::Index i = 0; i < t.size(); ++i)
    if (t[i] == arm) rows.push_back(static_cast<std::uint32_t>(i));
  return rows;
}

// The pre-period metrics, centred at their overall means (CUPAC: one cross-fitted prediction).
Eigen::MatrixXd centred_covariates(const Dataset& data, const EstimatorArgs& args,
                                   const OptionValues& options, const Eigen::VectorXd& y) {
  DesignMatrix design =
      build_design_matrix(data, args.covariates, {.intercept = options.text("adjustment") == "cupac"});
  Eigen::MatrixXd x = std::move(design.x);
  if (options.text("adjustment") == "cupac") {
    const std::vector<double> prediction =
        linear_predictions(x, std::span(y.data(), static_cast<std::size_t>(y.size())), all_rows(y.size()),
                           false, options.count("folds"), options.count("seed"));
    x = Eigen::Map<const Eigen::VectorXd>(prediction.data(), static_cast<Eigen::Index>(prediction.size()));
  }
  x.rowwise() -= x.colwise().mean();
  return x;
}

// Least squares of y on [1, t?, x] over the rows: the coefficients and the residual sum of squares.
struct SlopeFit {
  Eigen::VectorXd slopes;  // on x
  double rss = 0;
};
SlopeFit fit_slopes(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd* t,
                    std::span<const std::uint32_t> rows) {
  const Eigen::Index extra = t ? 2 : 1;
  Eigen::MatrixXd regressors(x.rows(), x.cols() + extra);
  regressors.col(0).setOnes();
  if (t) regressors.col(1) = *t;
  regressors.rightCols(x.cols()) = x;
  const Eigen::VectorXd beta =
      fit_linear(regressors, std::span(y.data(), static_cast<std::size_t>(y.size())), rows);
  double rss = 0;
  for (const auto row : rows) rss += std::pow(y[row] - regressors.row(row).dot(beta), 2);
  return {beta.tail(x.cols()), rss};
}

}  // namespace

Estimate cuped(const Dataset& data, const EstimatorArgs& args) {
  const OptionValues options = read_options(kName, args);
  reject_argument(kName, "instruments", !args.instruments.empty(), "use 2sls for instruments");
  reject_argument(kName, "a cluster column", !args.cluster.empty(),
                  "cluster-randomised tests need a clustered SE, which cuped does not compute");
  if (args.covariates.empty())
    throw InputError(fmt::format("{}: needs the pre-period metric(s) as covariates", kName));
  require_distinct_roles(args);
  require_binary_column(data, kName, "treatment", args.treatment);
  const Eigen::VectorXd y = numeric_column(data, args.outcome, "outcome");
  const Eigen::VectorXd t = numeric_column(data, args.treatment, "treatment");

  const Eigen::MatrixXd x = centred_covariates(data, args, options, y);
  Eigen::VectorXd adjusted = y;
  std::optional<SlopeFit> pooled;
  if (options.text("slope") == "pooled") {
    pooled = fit_slopes(x, y, &t, all_rows(y.size()));
    adjusted -= x * pooled->slopes;
  } else {
    for (const double arm : {0.0, 1.0}) {
      const auto rows = rows_of_arm(t, arm);
      const Eigen::VectorXd theta = fit_slopes(x, y, nullptr, rows).slopes;
      for (const auto row : rows) adjusted[row] -= x.row(row).dot(theta);
    }
  }

  Dataset adjusted_data(data.source());
  adjusted_data.add_column({"y_cuped", {adjusted.data(), adjusted.data() + adjusted.size()}, {}});
  adjusted_data.add_column({args.treatment, {t.data(), t.data() + t.size()}, {}});
  EstimatorArgs comparison;
  comparison.outcome = "y_cuped";
  comparison.treatment = args.treatment;
  comparison.confidence_level = args.confidence_level;
  Estimate out = difference_in_means(adjusted_data, comparison);
  EstimatorArgs plain = comparison;
  plain.outcome = args.outcome;
  const Estimate unadjusted = difference_in_means(data, plain);

  out.diagnostics["estimate_unadjusted"] = unadjusted.estimate;
  out.diagnostics["se_unadjusted"] = unadjusted.se;
  // The share of the difference in means' variance the adjustment removes (Deng et al.'s 1 - ρ²).
  out.diagnostics["variance_reduction"] = 1 - (out.se * out.se) / (unadjusted.se * unadjusted.se);
  if (pooled) {
    // The share of the outcome's within-arm variance the metrics explain: 1 - RSS(y ~ t + x) /
    // RSS(y ~ t); the variance reduction approaches it in large samples.
    const Eigen::MatrixXd none(y.size(), 0);
    out.diagnostics["r2_covariates"] = 1 - pooled->rss / fit_slopes(none, y, &t, all_rows(y.size())).rss;
    if (pooled->slopes.size() == 1) out.diagnostics["theta"] = pooled->slopes[0];
  }
  out.notes.push_back(fmt::format("variance {:.0f}% below the unadjusted difference in means",
                                  100 * out.diagnostics["variance_reduction"]));
  return out;
}

}  // namespace casebook

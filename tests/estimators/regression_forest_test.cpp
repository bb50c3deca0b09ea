// The `regression-forest` estimator (grf's regression_forest): out-of-bag predictions follow a
// known smooth function, little-bag variances are positive and about the size of the squared
// errors, clusters keep a cluster's rows out of its own predictions, and results do not depend on
// the thread count.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/uplift_metrics.hpp"

namespace casebook {
namespace {

const testing::RegisterExample kExample{
    "regression-forest",
    {"estimators_data.csv", testing::example_args("y", "", {"x1", "x2"}, testing::kSmallForest)}};

double smooth(double x1, double x2) { return std::sin(6 * x1) + 2 * x2; }

// y = sin(6·x1) + 2·x2 + N(0, 1), x1, x2, x3 uniform; x3 is irrelevant. Also the truth f.
struct Simulated {
  Dataset data{"smooth.csv"};
  std::vector<double> truth;
};
Simulated smooth_data(std::size_t n, std::uint64_t seed) {
  pcg32 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng()) + 0.5) * 0x1p-32; };
  std::vector<double> x1(n), x2(n), x3(n), y(n);
  Simulated s;
  s.truth.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = uniform();
    x2[i] = uniform();
    x3[i] = uniform();
    const double noise = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform());
    s.truth[i] = smooth(x1[i], x2[i]);
    y[i] = s.truth[i] + noise;
  }
  s.data.add_column({"x1", x1, {}});
  s.data.add_column({"x2", x2, {}});
  s.data.add_column({"x3", x3, {}});
  s.data.add_column({"y", y, {}});
  return s;
}

EstimatorArgs arguments(std::map<std::string, std::string> options) {
  EstimatorArgs args;
  args.outcome = "y";
  args.covariates = {"x1", "x2", "x3"};
  args.options = std::move(options);
  return args;
}

TEST(RegressionForest, OutOfBagPredictionsTrackTheSmoothFunctionWithCalibratedVariances) {
  const Simulated s = smooth_data(2000, 11);
  const Estimate e =
      find_estimator("regression-forest").run(s.data, arguments({{"trees", "400"}, {"seed", "5"}}));
  const auto& prediction = e.row_outputs.at("prediction");
  const auto& variance = e.row_outputs.at("variance");
  ASSERT_EQ(prediction.size(), 2000u);
  ASSERT_EQ(variance.size(), 2000u);
  const double r = pearson_correlation(prediction, s.truth);
  double ratio_sum = 0, variance_sum = 0, squared_error_sum = 0;
  std::size_t with_variance = 0;
  for (std::size_t i = 0; i < variance.size(); ++i) {
    if (std::isnan(variance[i])) continue;
    ASSERT_GT(variance[i], 0) << "row " << i + 1;
    const double error = prediction[i] - s.truth[i];
    ratio_sum += error * error / variance[i];
    variance_sum += variance[i];
    squared_error_sum += error * error;
    ++with_variance;
  }
  const double ratio = ratio_sum / static_cast<double>(with_variance);
  std::printf("correlation with f %.4f, mean (prediction - f)^2 / variance %.3f, oob_r2 %.4f\n", r, ratio,
              e.diagnostics.at("oob_r2"));
  // Measured with this seed: correlation 0.982, ratio 1.09; over data seeds 1–12 (forest seed 101–112)
  // the correlation was 0.977–0.986 and the ratio 0.82–1.43 (a calibrated variance gives 1; forest
  // bias, which the little bags do not see, pushes it up).
  EXPECT_GT(r, 0.95);
  EXPECT_GT(ratio, 0.6);
  EXPECT_LT(ratio, 1.8);
  EXPECT_EQ(with_variance, 2000u);
  EXPECT_EQ(e.diagnostics.at("rows_without_variance"), 0);
  EXPECT_NEAR(e.diagnostics.at("variance_mean"), variance_sum / 2000, 1e-12);
  // The out-of-bag fit: noise variance 1 against Var(f) ≈ 0.8, so R² ≈ 0.8 / 1.8 minus the forest's error.
  double mse = 0, y_mean = 0, y_variance = 0;
  const auto& y = s.data.column("y").values;
  for (std::size_t i = 0; i < 2000; ++i) {
    mse += (y[i] - prediction[i]) * (y[i] - prediction[i]) / 2000;
    y_mean += y[i] / 2000;
  }
  for (const double v : y) y_variance += (v - y_mean) * (v - y_mean) / 2000;
  EXPECT_NEAR(e.diagnostics.at("oob_mse"), mse, 1e-12);
  EXPECT_NEAR(e.diagnostics.at("oob_r2"), 1 - mse / y_variance, 1e-12);
  EXPECT_GT(e.diagnostics.at("oob_r2"), 0.35);
  // The estimate is the outcome's mean with SE sd(y)/√n.
  EXPECT_NEAR(e.estimate, y_mean, 1e-12);
  EXPECT_NEAR(e.se, std::sqrt(y_variance * 2000 / 1999 / 2000), 1e-12);
  EXPECT_EQ(e.n, 2000u);
}

TEST(RegressionForest, OutOfBagAccuracyOnFriedman1NearScikitLearn) {
  // tests/fixtures/make_regression_forest_fixture.py: scikit-learn's RandomForestRegressor (500 trees)
  // out-of-bag MSE on the same 2,000 rows. Different algorithms, so this compares accuracy: adaptive
  // trees (honesty=false) within 10% of scikit-learn's out-of-bag MSE (measured: +6%), honest trees
  // (grf's default) within 60% (measured: +42%; honest leaves are filled from a quarter of the rows).
  std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/regression_forest_reference.json");
  const auto reference = nlohmann::json::parse(in);
  const Dataset full = read_csv(std::string(CASEBOOK_FIXTURES) + "/forest_friedman1.csv");
  Dataset data("forest_friedman1.csv (first 2,000 rows)");
  EstimatorArgs args = arguments({{"trees", "500"}, {"ci_group_size", "1"}});
  args.covariates.clear();
  for (const Column& column : full.columns()) {
    data.add_column(
        {column.name, std::vector<double>(column.values.begin(), column.values.begin() + 2000), {}});
    if (column.name != "y") args.covariates.push_back(column.name);
  }
  const double sklearn_mse = reference.at("sklearn_oob_mse").get<double>();
  for (const bool honest : {true, false}) {
    args.options["honesty"] = honest ? "true" : "false";
    const double mse = find_estimator("regression-forest").run(data, args).diagnostics.at("oob_mse");
    std::printf("%s forest out-of-bag MSE %.4f vs scikit-learn %.4f (ratio %.3f)\n",
                honest ? "honest" : "adaptive", mse, sklearn_mse, mse / sklearn_mse);
    EXPECT_LT(mse, sklearn_mse * (honest ? 1.60 : 1.10));
  }
}

TEST(RegressionForest, ClustersKeepATwinOutOfItsTwinsPrediction) {
  // Every row appears twice (same x, same y) and y is pure noise. Without clusters a row's
  // out-of-bag trees may hold its twin, whose y leaks into the prediction (out-of-bag R² above 0);
  // with each pair as a cluster, no tree that held the pair predicts either row.
  pcg32 rng(8);
  auto uniform = [&] { return (static_cast<double>(rng()) + 0.5) * 0x1p-32; };
  std::vector<double> x1, x2, y, pair;
  for (int i = 0; i < 500; ++i) {
    const double a = uniform(), b = uniform(), noise = uniform();
    for (int copy = 0; copy < 2; ++copy) {
      x1.push_back(a);
      x2.push_back(b);
      y.push_back(noise);
      pair.push_back(i);
    }
  }
  Dataset data("twins.csv");
  data.add_column({"x1", x1, {}});
  data.add_column({"x2", x2, {}});
  data.add_column({"y", y, {}});
  data.add_column({"pair", pair, {}});
  EstimatorArgs args = arguments({{"trees", "200"}, {"seed", "4"}});
  args.covariates = {"x1", "x2"};
  const double leaked = find_estimator("regression-forest").run(data, args).diagnostics.at("oob_r2");
  args.cluster = "pair";
  const Estimate clustered = find_estimator("regression-forest").run(data, args);
  const double honest = clustered.diagnostics.at("oob_r2");
  std::printf("out-of-bag R² without clusters %.4f, with clusters %.4f\n", leaked, honest);
  EXPECT_GT(leaked, 0.05);
  EXPECT_LT(honest, 0.01);
  EXPECT_EQ(clustered.row_outputs.at("variance").size(), 1000u);
}

TEST(RegressionForest, TextCovariatesBecomeLevelColumnsAndGroupSizeOneDropsVariances) {
  Simulated s = smooth_data(300, 2);
  std::vector<double> region(300);
  for (std::size_t i = 0; i < 300; ++i) region[i] = static_cast<double>(i % 3);
  s.data.add_column({"region", region, {"east", "north", "south"}});
  EstimatorArgs args = arguments({{"trees", "50"}, {"ci_group_size", "1"}});
  args.covariates = {"x1", "x2", "region"};
  const Estimate e = find_estimator("regression-forest").run(s.data, args);
  EXPECT_EQ(e.row_outputs.count("variance"), 0u);
  EXPECT_EQ(e.diagnostics.count("variance_mean"), 0u);
  bool text_note = false;
  for (const auto& note : e.notes) text_note |= note.find("covariate 'region' is text") != std::string::npos;
  EXPECT_TRUE(text_note);
}

TEST(RegressionForest, SameResultsOnAnyThreadCount) {
  const Simulated s = smooth_data(500, 3);
  const Estimate one =
      find_estimator("regression-forest").run(s.data, arguments({{"trees", "60"}, {"threads", "1"}}));
  const Estimate two =
      find_estimator("regression-forest").run(s.data, arguments({{"trees", "60"}, {"threads", "2"}}));
  EXPECT_EQ(one.row_outputs, two.row_outputs);
  EXPECT_EQ(one.diagnostics, two.diagnostics);
}

TEST(RegressionForest, BadInputIsOneLine) {
  const Simulated s = smooth_data(100, 4);
  const auto message = [&](EstimatorArgs args) {
    try {
      find_estimator("regression-forest").run(s.data, args);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EstimatorArgs treated = arguments({});
  treated.treatment = "x3";
  EXPECT_EQ(message(treated),
            "regression-forest predicts the outcome from the covariates and takes no --treatment "
            "(causal-forest estimates effects)");
  EXPECT_NE(message(arguments({{"ci_group_size", "0"}}))
                .find("option 'ci_group_size' must be a whole number of at least 1"),
            std::string::npos);
  EXPECT_NE(message(arguments({{"ci_group_size", "3"}, {"trees", "2"}})).find("trees (2) must be at least"),
            std::string::npos);
  EXPECT_NE(message(arguments({{"folds", "3"}})).find("option 'folds' is not known"), std::string::npos);
  EstimatorArgs no_covariates = arguments({});
  no_covariates.covariates.clear();
  EXPECT_NE(message(no_covariates).find("needs covariates"), std::string::npos);
  EstimatorArgs missing_cluster = arguments({});
  missing_cluster.cluster = "nope";
  EXPECT_NE(message(missing_cluster).find("cluster column 'nope' not found"), std::string::npos);
}

}  // namespace
}  // namespace casebook

// The `causal-forest` estimator: its estimate is the doubly robust ATE of the forest's out-of-bag
// nuisances and CATE, per-row outputs line up with the data, results do not depend on the thread
// count, and bad input is one InputError line.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "effect_summaries/doubly_robust_ate.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

const testing::RegisterExample kExample{
    "causal-forest",
    {"estimators_data.csv", testing::example_args("y", "t", {"x1", "x2"}, testing::kSmallForest)}};

// A randomized experiment with τ(x) = 1 + 2·x1 (ATE 2) and a confounder-free outcome model.
Dataset experiment(std::size_t n, std::uint32_t seed, bool constant_treatment = false) {
  pcg32 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng()) + 0.5) * 0x1p-32; };
  std::vector<double> x1(n), x2(n), x3(n), t(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = uniform();
    x2[i] = uniform();
    x3[i] = uniform();
    t[i] = constant_treatment ? 1.0 : (uniform() < 0.5 ? 1.0 : 0.0);
    const double noise = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform());
    y[i] = x2[i] + t[i] * (1 + 2 * x1[i]) + noise;
  }
  Dataset data("experiment.csv");
  data.add_column({"x1", x1, {}});
  data.add_column({"x2", x2, {}});
  data.add_column({"x3", x3, {}});
  data.add_column({"t", t, {}});
  data.add_column({"y", y, {}});
  return data;
}

EstimatorArgs arguments(std::map<std::string, std::string> options) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "x3"};
  args.options = std::move(options);
  return args;
}

TEST(CausalForestEstimator, EstimateIsTheDoublyRobustAteOfItsOwnOutputs) {
  const Dataset data = experiment(1500, 3);
  const Estimate e = find_estimator("causal-forest").run(data, arguments({{"trees", "400"}, {"seed", "9"}}));
  ASSERT_EQ(e.row_outputs.at("cate").size(), 1500u);
  const DoublyRobustEffect ate =
      doubly_robust_ate(data.column("y").values, data.column("t").values, e.row_outputs.at("y_hat"),
                        e.row_outputs.at("w_hat"), e.row_outputs.at("cate"));
  EXPECT_DOUBLE_EQ(e.estimate, ate.estimate);
  EXPECT_DOUBLE_EQ(e.se, ate.se);
  EXPECT_NEAR(e.ci_high - e.estimate, 1.959963984540054 * e.se, 1e-9);  // a normal interval, as grf
  EXPECT_LT(std::abs(e.estimate - 2.0), 1.959963984540054 * e.se);      // covers the true ATE of 2
  // The CATE follows 1 + 2·x1: its correlation with x1 is high (measured 0.908 with seed 9; ATE 1.975, SE
  // 0.056).
  const auto& cate = e.row_outputs.at("cate");
  const auto& x1 = data.column("x1").values;
  const double n = 1500, mc = std::accumulate(cate.begin(), cate.end(), 0.0) / n,
               mx = std::accumulate(x1.begin(), x1.end(), 0.0) / n;
  double cx = 0, cc = 0, xx = 0;
  for (std::size_t i = 0; i < cate.size(); ++i) {
    cx += (cate[i] - mc) * (x1[i] - mx);
    cc += (cate[i] - mc) * (cate[i] - mc);
    xx += (x1[i] - mx) * (x1[i] - mx);
  }
  EXPECT_GT(cx / std::sqrt(cc * xx), 0.8);
  // grf's calibration test detects the heterogeneity (measured: mean 0.999, differential 0.821 with
  // one-sided p 1e-17).
  EXPECT_LT(e.diagnostics.at("calibration_differential_p"), 0.01);
  EXPECT_NEAR(e.diagnostics.at("calibration_mean"), 1.0, 0.2);
}

TEST(CausalForestEstimator, IdenticalOnAnyThreadCount) {
  const Dataset data = experiment(500, 4);
  const auto& run = find_estimator("causal-forest").run;
  const Estimate one = run(data, arguments({{"trees", "100"}, {"threads", "1"}}));
  const Estimate four = run(data, arguments({{"trees", "100"}, {"threads", "4"}}));
  EXPECT_EQ(one.estimate, four.estimate);
  EXPECT_EQ(one.se, four.se);
  EXPECT_EQ(one.row_outputs, four.row_outputs);
}

// The named tables carry the same numbers as the flat diagnostics (checked against R in tests/forest),
// with R's term names in the best linear projection.
TEST(CausalForestEstimator, TablesRepeatTheDiagnosticsWithRNames) {
  Dataset data = experiment(800, 5);
  std::vector<double> segment;
  for (const double x : data.column("x3").values) segment.push_back(std::floor(3 * x));
  data.add_column({"segment", segment, {"a", "b", "c"}});
  const Estimate e =
      find_estimator("causal-forest")
          .run(data, arguments({{"trees", "100"}, {"subgroups", "segment"}, {"blp", "x1,segment"}}));
  EXPECT_EQ(e.se_type, "influence");
  EXPECT_TRUE(e.terms.empty());  // not a regression of the outcome
  auto table = [&](const std::string& id) {
    const auto found =
        std::find_if(e.tables.begin(), e.tables.end(), [&](const Table& t) { return t.id == id; });
    if (found == e.tables.end()) throw std::runtime_error("no table " + id);
    return *found;
  };
  auto number = [](const TableCell& cell) { return std::get<double>(cell); };
  auto text = [](const TableCell& cell) { return std::get<std::string>(cell); };

  const Table quantiles = table("effect_by_cate_group");
  EXPECT_EQ(quantiles.columns,
            (std::vector<std::string>{"group", "rows", "mean_cate", "estimate", "std.error", "statistic",
                                      "p.value", "conf.low", "conf.high"}));
  ASSERT_EQ(quantiles.rows.size(), 5u);
  double rows = 0;
  for (std::size_t g = 0; g < 5; ++g) {
    const auto& row = quantiles.rows[g];
    const std::string key = "cate_q" + std::to_string(g + 1);
    EXPECT_EQ(text(row[0]), "Q" + std::to_string(g + 1));
    rows += number(row[1]);
    EXPECT_EQ(number(row[2]), e.diagnostics.at(key + "_mean_cate"));
    EXPECT_EQ(number(row[3]), e.diagnostics.at(key + "_effect"));
    EXPECT_EQ(number(row[4]), e.diagnostics.at(key + "_effect_se"));
    EXPECT_LT(number(row[7]), number(row[3]));
    EXPECT_GT(number(row[8]), number(row[3]));
  }
  EXPECT_EQ(rows, 800);

  const Table subgroups = table("effect_by_subgroup");
  ASSERT_EQ(subgroups.rows.size(), 3u);
  for (const auto& row : subgroups.rows) {
    EXPECT_EQ(text(row[0]), "segment");
    EXPECT_EQ(number(row[4]), e.diagnostics.at("effect_segment_" + text(row[1])));
    EXPECT_EQ(number(row[5]), e.diagnostics.at("effect_segment_" + text(row[1]) + "_se"));
  }

  const Table projection = table("best_linear_projection");
  const std::vector<std::pair<std::string, std::string>> terms{{"(Intercept)", "blp_intercept"},
                                                               {"x1", "blp_x1"},
                                                               {"segmentb", "blp_segment_b"},
                                                               {"segmentc", "blp_segment_c"}};
  ASSERT_EQ(projection.rows.size(), terms.size());
  for (std::size_t j = 0; j < terms.size(); ++j) {
    const auto& row = projection.rows[j];
    EXPECT_EQ(text(row[0]), terms[j].first);
    EXPECT_EQ(number(row[1]), e.diagnostics.at(terms[j].second));
    EXPECT_EQ(number(row[2]), e.diagnostics.at(terms[j].second + "_se"));
    EXPECT_EQ(number(row[4]), e.diagnostics.at(terms[j].second + "_p"));
  }
}

void expect_one_line_error(const Dataset& data, const EstimatorArgs& args, const std::string& words) {
  try {
    find_estimator("causal-forest").run(data, args);
    FAIL() << "expected an InputError containing '" << words << "'";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(CausalForestEstimator, BadInputIsOneLine) {
  const Dataset data = experiment(200, 5);
  expect_one_line_error(data, arguments({{"trees", "0"}}),
                        "option 'trees' must be a whole number of at least 1 (at most 10000000), got '0'");
  // A count that would exhaust memory is refused before any tree is grown.
  expect_one_line_error(data, arguments({{"trees", "1000000000"}}),
                        "option 'trees' must be a whole number of at least 1 (at most 10000000), got "
                        "'1000000000'");
  expect_one_line_error(data, arguments({{"base_learner", "linear"}}), "option 'base_learner' is not known");
  expect_one_line_error(experiment(200, 5, true), arguments({}), "treatment 't' is constant");
  EstimatorArgs no_covariates = arguments({});
  no_covariates.covariates.clear();
  expect_one_line_error(data, no_covariates, "needs covariates");
}

}  // namespace
}  // namespace casebook

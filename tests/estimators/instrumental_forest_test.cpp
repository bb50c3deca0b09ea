// The `instrumental-forest` estimator. Its summaries agree with an R recomputation of grf's formulas
// (tests/fixtures/make_instrumental_forest_fixture.R: get_scores.instrumental_forest,
// average_treatment_effect, best_linear_projection with HC3, and the robust first-stage F) on the
// forest's own out-of-bag predictions, with and without clusters; a weak instrument is a warning in the
// notes; bad input is one InputError line.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pcg_random.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

const std::string kFixtures = CASEBOOK_FIXTURES;

EstimatorArgs iv_arguments(const std::string& outcome, const std::string& treatment,
                           const std::string& instrument, std::vector<std::string> covariates,
                           std::map<std::string, std::string> options) {
  EstimatorArgs args = testing::example_args(outcome, treatment, std::move(covariates), std::move(options));
  args.instruments = {instrument};
  return args;
}

const testing::RegisterExample kExample{
    "instrumental-forest",
    {"estimators_data.csv", iv_arguments("y_iv", "d", "z_bin", {"x1", "x2"},
                                         {{"trees", "40"}, {"seed", "3"}, {"compliance_trees", "40"}})}};

EstimatorArgs fixture_arguments(const std::string& cluster) {
  EstimatorArgs args =
      iv_arguments("y", "w", "z", {"x1", "x2", "x3"},
                   {{"trees", "400"}, {"seed", "5"}, {"compliance_trees", "200"}, {"blp", "x1,x2"}});
  args.cluster = cluster;
  return args;
}

void expect_close(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

// The estimator's row outputs are the predictions R recomputed from (same build, same seed), and its
// summaries are R's.
void check_against_r(const std::string& cluster, const std::string& predictions_file,
                     const std::string& key) {
  const Dataset data = read_csv(kFixtures + "/instrumental_forest_data.csv");
  const Dataset predictions = read_csv(kFixtures + "/" + predictions_file);
  std::ifstream in(kFixtures + "/instrumental_forest_reference.json");
  const nlohmann::json reference = nlohmann::json::parse(in).at(key);
  const Estimate e = find_estimator("instrumental-forest").run(data, fixture_arguments(cluster));
  for (const std::string column : {"cate", "y_hat", "w_hat", "z_hat", "compliance_score"}) {
    const auto& ours = e.row_outputs.at(column);
    const auto& theirs = predictions.column(column).values;
    ASSERT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < ours.size(); ++i)
      ASSERT_NEAR(ours[i], theirs[i], 1e-9 * std::max(1.0, std::abs(theirs[i])))
          << column << " row " << i + 1
          << ": regenerate the fixture (see make_instrumental_forest_fixture.R)";
  }
  expect_close(e.estimate, reference.at("estimate"), key + " estimate");
  expect_close(e.se, reference.at("se"), key + " se");
  EXPECT_NEAR(e.ci_high - e.estimate, 1.959963984540054 * e.se, 1e-9);  // a normal interval, as grf
  expect_close(e.diagnostics.at("first_stage_F"), reference.at("first_stage_F"), key + " first-stage F");
  for (const std::string term : {"intercept", "x1", "x2"}) {
    const nlohmann::json& r = reference.at("blp").at(term);
    const std::string name = "blp_" + term;
    expect_close(e.diagnostics.at(name), r.at("estimate"), key + " " + name);
    expect_close(e.diagnostics.at(name + "_se"), r.at("se"), key + " " + name + "_se");
    expect_close(e.diagnostics.at(name + "_p"), r.at("p"), key + " " + name + "_p");
    expect_close(e.diagnostics.at(name + "_ci_low"), r.at("ci_low"), key + " " + name + "_ci_low");
    expect_close(e.diagnostics.at(name + "_ci_high"), r.at("ci_high"), key + " " + name + "_ci_high");
  }
  EXPECT_EQ(e.se_type, cluster.empty() ? "influence" : "influence-cr");
  // The data's compliers have τ(x) = 1 + 2·x1, so E[τ(X)] = 2 (x1 ~ U(0, 1)); τ̂ follows x1.
  EXPECT_LT(std::abs(e.estimate - 2.0), 1.959963984540054 * e.se);
  EXPECT_GT(e.diagnostics.at("blp_x1"), 0);
}

TEST(InstrumentalForestEstimator, SummariesAgreeWithGrfsFormulasInR) {
  check_against_r("", "instrumental_forest_predictions.csv", "unclustered");
}

TEST(InstrumentalForestEstimator, ClusteredSummariesAgreeWithGrfsFormulasInR) {
  check_against_r("g", "instrumental_forest_predictions_clustered.csv", "clustered");
}

// An instrument that barely moves the treatment: the estimate still comes back, with the warning.
TEST(InstrumentalForestEstimator, WeakInstrumentIsAWarning) {
  pcg32 rng(11);
  auto uniform = [&] { return (static_cast<double>(rng()) + 0.5) * 0x1p-32; };
  const std::size_t n = 800;
  std::vector<double> x1(n), x2(n), z(n), w(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = uniform();
    x2[i] = uniform();
    z[i] = uniform() < 0.5 ? 1 : 0;
    w[i] = uniform() < 0.4 + 0.02 * z[i] ? 1 : 0;
    y[i] = x1[i] + w[i] + uniform();
  }
  Dataset data("weak.csv");
  data.add_column({"x1", x1, {}});
  data.add_column({"x2", x2, {}});
  data.add_column({"z", z, {}});
  data.add_column({"w", w, {}});
  data.add_column({"y", y, {}});
  const Estimate e = find_estimator("instrumental-forest")
                         .run(data, iv_arguments("y", "w", "z", {"x1", "x2"},
                                                 {{"trees", "100"}, {"compliance_trees", "50"}}));
  EXPECT_LT(e.diagnostics.at("first_stage_F"), 10);
  EXPECT_TRUE(std::any_of(e.notes.begin(), e.notes.end(), [](const std::string& note) {
    return note.find("warning: weak instrument") == 0;
  }));
}

void expect_one_line_error(const Dataset& data, const EstimatorArgs& args, const std::string& words) {
  try {
    find_estimator("instrumental-forest").run(data, args);
    FAIL() << "expected an InputError containing '" << words << "'";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(InstrumentalForestEstimator, BadInputIsOneLine) {
  Dataset data = read_csv(kFixtures + "/instrumental_forest_data.csv");
  data.add_column({"always", std::vector<double>(data.rows(), 1.0), {}});
  data.add_column({"x1_copy", data.column("x1").values, {}});
  const std::map<std::string, std::string> small{{"trees", "20"}, {"compliance_trees", "20"}};
  EstimatorArgs none = iv_arguments("y", "w", "z", {"x1"}, small);
  none.instruments.clear();
  expect_one_line_error(data, none, "instrumental-forest needs an instrument");
  expect_one_line_error(data, iv_arguments("y", "w", "always", {"x1"}, small),
                        "instrument 'always' is constant");
  expect_one_line_error(data, iv_arguments("y", "w", "x1_copy", {"x2"}, small), "instrument 'x1_copy'");
  EstimatorArgs two = iv_arguments("y", "w", "z", {"x1"}, small);
  two.instruments.push_back("g");
  expect_one_line_error(data, two, "takes one instrument (got 2: z, g)");
  expect_one_line_error(data, iv_arguments("y", "w", "z", {}, small), "needs covariates");
  expect_one_line_error(data, iv_arguments("y", "w", "z", {"x1"}, {{"trees", "0"}}), "option 'trees'");
  expect_one_line_error(data, iv_arguments("y", "w", "z", {"x1"}, {{"blp", "nope"}}),
                        "option blp names column 'nope'");
}

}  // namespace
}  // namespace casebook

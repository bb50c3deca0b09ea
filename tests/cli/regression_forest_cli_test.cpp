// `casebook estimate regression-forest` end to end: --json, --predictions (prediction, variance),
// the same output for any --threads, --cluster, text covariates, and bad input exits 2 with one line.
// Also: estimators that need a treatment say so when --treatment is missing.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

namespace fs = std::filesystem;

using casebook::testing::CliTest;
using casebook::testing::Outcome;
const auto& slurp = casebook::testing::read_file;

class RegressionForestCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    // 400 rows of y = sin(6·x1) + 2·x2 + U(−0.5, 0.5) from a fixed linear congruential stream; rows
    // come in 100 clusters of 4 ("g"), a text covariate "region" and a constant column.
    std::ofstream csv(dir_ / "data.csv");
    csv << "y,x1,x2,region,g,constant,t\n";
    std::uint64_t state = 2024;
    auto uniform = [&] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return (static_cast<double>(state >> 11) + 0.5) * 0x1p-53;
    };
    const char* regions[] = {"north", "south", "east"};
    for (int i = 0; i < 400; ++i) {
      const double x1 = uniform(), x2 = uniform(), e = uniform() - 0.5;
      csv << std::sin(6 * x1) + 2 * x2 + e << ',' << x1 << ',' << x2 << ',' << regions[i % 3] << ',' << i / 4
          << ",1," << i % 2 << '\n';
    }
  }
  std::string data() const { return "'" + (dir_ / "data.csv").string() + "'"; }
  Outcome forest(const std::string& args) const {
    return CliTest::run("estimate regression-forest --data " + data() + " --outcome y " + args);
  }
};

TEST_F(RegressionForestCli, JsonAndPredictionsHoldTheFitAndEveryRow) {
  const fs::path predictions = dir_ / "predictions.csv";
  const Outcome o =
      forest("--covariates x1 x2 --trees 200 --seed 3 --json --predictions '" + predictions.string() + "'");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto json = nlohmann::json::parse(o.out);
  EXPECT_EQ(json.at("estimator"), "regression-forest");
  EXPECT_EQ(json.at("n"), 400);
  const auto& diagnostics = json.at("diagnostics");
  // Noise variance 1/12 against Var(f) ≈ 0.8; measured oob_r2 0.882, oob_mse 0.113 (seed 3).
  EXPECT_GT(diagnostics.at("oob_r2").get<double>(), 0.8);
  EXPECT_GT(diagnostics.at("oob_mse").get<double>(), 0.05);
  EXPECT_LT(diagnostics.at("oob_mse").get<double>(), 0.2);
  EXPECT_GT(diagnostics.at("variance_mean").get<double>(), 0);
  EXPECT_EQ(diagnostics.at("rows_without_variance").get<double>(), 0);
  const std::string text = slurp(predictions);
  EXPECT_EQ(text.substr(0, text.find('\n')), "prediction,variance");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 401);  // header + one row per data row
  // The mean of the outcome is the estimate, and the notes say it is not causal.
  EXPECT_NE(json.at("notes").dump().find("not a causal quantity"), std::string::npos) << json.at("notes");
}

TEST_F(RegressionForestCli, SameOutputForAnyThreadCount) {
  const fs::path one = dir_ / "one.csv", two = dir_ / "two.csv";
  const Outcome a =
      forest("--covariates x1 x2 region --trees 100 --threads 1 --json --predictions '" + one.string() + "'");
  const Outcome b =
      forest("--covariates x1 x2 region --trees 100 --threads 2 --json --predictions '" + two.string() + "'");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(slurp(one), slurp(two));
  EXPECT_NE(a.out.find("covariate 'region' is text"), std::string::npos) << a.out;
}

TEST_F(RegressionForestCli, ClusterAndOptionsAreAccepted) {
  const Outcome o = forest(
      "--covariates x1 x2 --cluster g --trees 100 --option min_node_size=10 --option "
      "ci_group_size=4 --option honesty=false --json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto json = nlohmann::json::parse(o.out);
  EXPECT_NE(json.at("notes").dump().find("whole clusters of 'g'"), std::string::npos) << json.at("notes");
  EXPECT_NE(json.at("notes").dump().find("little bags of 4"), std::string::npos) << json.at("notes");
}

TEST_F(RegressionForestCli, BadInputExitsTwoWithOneLine) {
  expect_bad_input("estimate regression-forest --data " + data() + " --outcome nope --covariates x1",
                   "outcome column 'nope' not found");
  expect_bad_input("estimate regression-forest --data " + data() + " --outcome y --covariates x1 --trees 0",
                   "--trees");
  expect_bad_input(
      "estimate regression-forest --data " + data() + " --outcome y --covariates x1 --treatment t",
      "regression-forest predicts the outcome from the covariates and takes no --treatment "
      "(causal-forest estimates effects)");
  expect_bad_input("estimate regression-forest --data " + data() + " --outcome y --covariates x1 constant",
                   "covariate 'constant' is constant");
  expect_bad_input("estimate regression-forest --data " + data() + " --outcome y", "needs covariates");
  expect_bad_input(
      "estimate regression-forest --data " + data() + " --outcome y --covariates x1 --option bins=3",
      "does not take the option 'bins'");
  expect_bad_input(
      "estimate regression-forest --data " + data() + " --outcome y --covariates x1 --option mtry=two",
      "option 'mtry' must be a whole number");
}

// --treatment is no longer required by the command line; every estimator that needs one says so.
TEST_F(RegressionForestCli, EstimatorsThatNeedATreatmentSaySo) {
  expect_bad_input("estimate ols --data " + data() + " --outcome y", "ols needs --treatment");
  expect_bad_input("estimate causal-forest --data " + data() + " --outcome y --covariates x1 x2",
                   "causal-forest needs --treatment");
}

}  // namespace

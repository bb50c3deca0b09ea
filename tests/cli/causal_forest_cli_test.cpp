// `casebook estimate causal-forest` end to end: --json reports the AIPW ATE as estimate/se,
// --predictions writes the per-row CATE, and bad input exits 2.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

namespace fs = std::filesystem;

using casebook::testing::CliTest;
using casebook::testing::Outcome;
const auto& slurp = casebook::testing::read_file;

class CausalForestCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    // 400 rows of a randomized experiment with τ = 1 + 2·x1, from a fixed linear congruential stream.
    std::ofstream csv(dir_ / "data.csv");
    csv << "y,w,x1,x2,constant_w,school,region,school_treated\n";
    std::uint64_t state = 12345;
    auto uniform = [&] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return (static_cast<double>(state >> 11) + 0.5) * 0x1p-53;
    };
    for (int i = 0; i < 400; ++i) {
      const double x1 = uniform(), x2 = uniform(), w = uniform() < 0.5 ? 1 : 0, e = uniform() - 0.5;
      // 40 schools of 10 rows; region is text; school_treated: schools 0-9 are wholly treated.
      const int school = i % 40;
      csv << x2 + w * (1 + 2 * x1) + e << ',' << w << ',' << x1 << ',' << x2 << ",1," << school << ','
          << (x1 < 0.5 ? "north" : "south") << ',' << (school < 10 ? 1 : w) << "\n";
    }
  }
  // `casebook estimate causal-forest` on this test's data with `args` added.
  Outcome run(const std::string& args) const {
    return CliTest::run("estimate causal-forest --data '" + (dir_ / "data.csv").string() +
                        "' --outcome y --covariates x1 x2 " + args);
  }
};

TEST_F(CausalForestCli, JsonReportsTheAipwAteAndPredictionsHoldTheCate) {
  const fs::path predictions = dir_ / "cate.csv";
  const Outcome o =
      run("--treatment w --trees 200 --seed 3 --json --predictions '" + predictions.string() + "'");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto json = nlohmann::json::parse(o.out);
  EXPECT_EQ(json.at("estimator"), "causal-forest");
  EXPECT_GT(json.at("se").get<double>(), 0);
  EXPECT_EQ(json.at("estimate").get<double>(), json.at("diagnostics").at("ate_aipw").get<double>());
  EXPECT_LT(std::abs(json.at("estimate").get<double>() - 2.0), 3 * json.at("se").get<double>());
  const std::string text = slurp(predictions);
  EXPECT_EQ(text.substr(0, text.find('\n')).find("cate"), 0u) << text.substr(0, 80);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 401);  // header + one row per data row
}

TEST_F(CausalForestCli, BadInputExitsTwo) {
  const Outcome constant = run("--treatment constant_w");
  EXPECT_EQ(constant.exit_code, 2);
  EXPECT_NE(constant.err.find("treatment 'constant_w' is constant"), std::string::npos) << constant.err;
  EXPECT_EQ(std::count(constant.err.begin(), constant.err.end(), '\n'), 1) << constant.err;
  const Outcome no_trees = run("--treatment w --trees 0");
  EXPECT_EQ(no_trees.exit_code, 2);
  EXPECT_NE(no_trees.err.find("--trees"), std::string::npos) << no_trees.err;
  EXPECT_EQ(std::count(no_trees.err.begin(), no_trees.err.end(), '\n'), 1) << no_trees.err;
}

}  // namespace

namespace {

// --predictions is shared by every learner: a missing folder or an existing file is refused
// before any work, and the user's file is left as it was.
TEST_F(CausalForestCli, PredictionsTargetIsCheckedFirst) {
  const Outcome missing_folder =
      run("--treatment w --trees 50 --predictions '" + (dir_ / "nope" / "cate.csv").string() + "'");
  EXPECT_EQ(missing_folder.exit_code, 2);
  EXPECT_NE(missing_folder.err.find("nope"), std::string::npos) << missing_folder.err;
  EXPECT_EQ(std::count(missing_folder.err.begin(), missing_folder.err.end(), '\n'), 1) << missing_folder.err;

  const fs::path mine = dir_ / "mine.csv";
  std::ofstream(mine) << "my notes";
  const Outcome existing = run("--treatment w --trees 50 --predictions '" + mine.string() + "'");
  EXPECT_EQ(existing.exit_code, 2);
  EXPECT_NE(existing.err.find("already exists"), std::string::npos) << existing.err;
  EXPECT_EQ(slurp(mine), "my notes");
}

}  // namespace

namespace {

TEST_F(CausalForestCli, ClustersTargetingAndVariancesEndToEnd) {
  const fs::path predictions = dir_ / "cate.csv";
  const Outcome o =
      run("--treatment w --trees 100 --seed 2 --cluster school --json --option subgroups=region "
          "--option blp=x1 --predictions '" +
          predictions.string() + "'");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto json = nlohmann::json::parse(o.out);
  const auto& d = json.at("diagnostics");
  for (const char* key : {"att", "att_se", "autoc", "autoc_se", "cate_q1_effect", "cate_q5_effect", "blp_x1",
                          "effect_region_north", "effect_region_south_minus_north"})
    EXPECT_TRUE(d.contains(key)) << key;
  // τ = 1 + 2·x1 and region = south where x1 ≥ 0.5: the south gains more, the projection's slope is positive.
  EXPECT_GT(d.at("effect_region_south_minus_north").get<double>(), 0);
  EXPECT_GT(d.at("blp_x1").get<double>(), 0);
  EXPECT_GT(d.at("cate_q5_effect").get<double>(), d.at("cate_q1_effect").get<double>());
  const std::string notes = json.at("notes").dump();
  EXPECT_NE(notes.find("clusters 'school' (40 of them)"), std::string::npos) << notes;
  const std::string text = slurp(predictions);
  EXPECT_NE(text.substr(0, text.find('\n')).find("cate_variance"), std::string::npos) << text.substr(0, 80);
}

TEST_F(CausalForestCli, ClustersWithoutTreatmentVariationAreNamed) {
  const Outcome o = run("--treatment school_treated --trees 50 --cluster school");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("10 of 40 clusters of 'school' (e.g. 0) are all treated or all control"),
            std::string::npos)
      << o.out;
}

TEST_F(CausalForestCli, TextCovariatesEnterAsLevelsAndBadTargetingOptionsExitTwo) {
  const Outcome text = run("--treatment w --trees 50 --covariates region");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(
                "covariate 'region' is text: the forests split on one 0/1 column per level (north, south)"),
            std::string::npos)
      << text.out;
  const Outcome numeric = run("--treatment w --trees 50 --option subgroups=x1");
  EXPECT_EQ(numeric.exit_code, 2);
  EXPECT_NE(numeric.err.find("subgroups column 'x1' is numeric with 400 distinct values"), std::string::npos)
      << numeric.err;
  EXPECT_EQ(std::count(numeric.err.begin(), numeric.err.end(), '\n'), 1) << numeric.err;
  const Outcome no_column = run("--treatment w --trees 50 --option blp=nope");
  EXPECT_EQ(no_column.exit_code, 2);
  EXPECT_NE(no_column.err.find("option blp names column 'nope'"), std::string::npos) << no_column.err;
  const Outcome missing = run("--treatment w --trees 50 --cluster nope");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

TEST_F(CausalForestCli, MoreThreadsThanCoresWarnsButGivesTheSameNumbers) {
  const Outcome one = run("--treatment w --trees 50 --threads 1 --json");
  const Outcome many = run("--treatment w --trees 50 --threads 64 --json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(many.exit_code, 0) << many.err;
  EXPECT_EQ(one.out, many.out);
  if (std::thread::hardware_concurrency() < 64) {
    EXPECT_NE(many.err.find("warning: --threads 64 is more than this machine's"), std::string::npos)
        << many.err;
  }
}

}  // namespace

namespace {

TEST_F(CausalForestCli, BootstrappingAForestWarnsThatItRefits) {
  const Outcome o = run("--treatment w --trees 10 --bootstrap 2");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("warning: --bootstrap refits causal-forest 2 times"), std::string::npos) << o.err;
}

}  // namespace

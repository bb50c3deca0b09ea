// `casebook estimate psm --predictions` end to end: the per-row weights, subclass and distance as
// MatchIt's matchit / match.data give them (tests/fixtures/psm_reference.json), NA for unmatched
// rows; no subclass with replacement, no distance with mahalanobis.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"
#include "data/csv.hpp"

namespace {

namespace fs = std::filesystem;

using casebook::testing::CliTest;
using casebook::testing::Outcome;

const nlohmann::json& reference() {
  static const nlohmann::json json = [] {
    std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/psm_reference.json");
    return nlohmann::json::parse(in);
  }();
  return json;
}

class PsmCli : public CliTest {
 protected:
  // Runs psm on the fixture data with the options of reference case `name`; returns the CSV it wrote.
  casebook::Dataset predictions(const std::string& name) const {
    const nlohmann::json& ref = reference().at(name);
    std::string options;
    for (const auto& [key, value] : ref.at("options").items())
      options += " --option " + key + "=" + value.get<std::string>();
    const fs::path out = dir_ / (name + ".csv");
    const Outcome o =
        run("estimate psm --data '" + std::string(CASEBOOK_FIXTURES) +
            "/psm_data.csv' --outcome y --treatment " + ref.at("treatment").get<std::string>() +
            " --covariates x1 x2 x3 region" + options + " --predictions '" + out.string() + "'");
    EXPECT_EQ(o.exit_code, 0) << o.err;
    return casebook::read_csv(out);
  }
};

TEST_F(PsmCli, PredictionsHoldMatchItsWeightsSubclassAndDistance) {
  for (const std::string name : {"caliper", "probit_ratio2", "mahalanobis_atc"}) {
    SCOPED_TRACE(name);
    const nlohmann::json& ref = reference().at(name);
    const casebook::Dataset rows = predictions(name);
    ASSERT_EQ(rows.rows(), ref.at("weights").size());
    const auto& weights = rows.column("weights").values;
    const auto& subclass = rows.column("subclass").values;
    std::size_t unmatched = 0;
    for (std::size_t i = 0; i < rows.rows(); ++i) {
      // The CSV holds 17 significant digits: the weights are MatchIt's to rounding.
      EXPECT_NEAR(weights[i], ref.at("weights")[i].get<double>(), 1e-12) << "row " << i + 1;
      const nlohmann::json& expected = ref.at("subclass")[i];
      if (expected.is_null()) {
        EXPECT_TRUE(std::isnan(subclass[i])) << "row " << i + 1;  // written as NA
        ++unmatched;
      } else {
        EXPECT_EQ(subclass[i], expected.get<double>()) << "row " << i + 1;
      }
    }
    EXPECT_GT(unmatched, 0u);
    if (ref.at("propensity").is_null()) {
      EXPECT_FALSE(rows.has("distance"));
    } else {
      const auto& score = reference().at("propensity_scores").at(ref.at("propensity").get<std::string>());
      const auto& distance = rows.column("distance").values;
      for (std::size_t i = 0; i < rows.rows(); ++i)
        EXPECT_NEAR(distance[i], score[i].get<double>(), 1e-8 * score[i].get<double>()) << "row " << i + 1;
    }
  }
}

TEST_F(PsmCli, WithReplacementThereIsNoSubclass) {
  const nlohmann::json& ref = reference().at("mahalanobis_ratio2_replace");
  const casebook::Dataset rows = predictions("mahalanobis_ratio2_replace");
  EXPECT_EQ(rows.names(), std::vector<std::string>{"weights"});
  for (std::size_t i = 0; i < rows.rows(); ++i)
    EXPECT_NEAR(rows.column("weights").values[i], ref.at("weights")[i].get<double>(), 1e-12)
        << "row " << i + 1;
}

TEST_F(PsmCli, MahalanobisWithACaliperIsOneLine) {
  expect_bad_input(
      "estimate psm --data '" + std::string(CASEBOOK_FIXTURES) +
          "/psm_data.csv' --outcome y --treatment t --covariates x1 x2 --option distance=mahalanobis "
          "--option caliper=0.1",
      "'caliper' is not available with distance mahalanobis");
}

}  // namespace

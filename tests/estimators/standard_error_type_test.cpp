// Every estimator in the registry says how its standard error was computed (Estimate::se_type), in
// the documented vocabulary, and the regression-type ones return their coefficient table. A new
// estimator without an example below fails here until one is added.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

struct Example {
  std::string data_file;  // under tests/fixtures
  EstimatorArgs args;
  bool regression = false;  // has a coefficient table
};

EstimatorArgs args_of(const std::string& outcome, const std::string& treatment,
                      std::vector<std::string> covariates, std::map<std::string, std::string> options = {}) {
  EstimatorArgs args;
  args.outcome = outcome;
  args.treatment = treatment;
  args.covariates = std::move(covariates);
  args.options = std::move(options);
  return args;
}

// Small forests keep this quick; the estimators' own tests check their numbers.
const std::map<std::string, std::string> kSmallForest{{"trees", "40"}, {"seed", "3"}};

const std::map<std::string, Example>& examples() {
  static const std::map<std::string, Example> examples = [] {
    std::map<std::string, Example> e;
    e["difference-in-means"] = {"estimators_data.csv", args_of("y", "t", {}), true};
    e["ols"] = {"estimators_data.csv", args_of("y", "t", {"x1", "region"}), true};
    e["2sls"] = {"estimators_data.csv", args_of("y_iv", "d", {"x1"}), true};
    e["2sls"].args.instruments = {"z_bin"};
    e["did"] = {"panel_data.csv", args_of("y", "d", {}, {{"group", "group"}, {"post", "post"}}), true};
    e["did"].args.treatment = "group";  // the panel is staggered; group alone is a valid 2×2 treatment
    e["twfe"] = {"panel_data.csv", args_of("y", "d", {}, {{"unit", "unit"}, {"time", "period"}}), true};
    e["event-study"] = {"panel_data.csv",
                        args_of("y", "d", {}, {{"unit", "unit"}, {"time", "period"}, {"adoption", "adopt"}}),
                        true};
    e["sun-abraham"] = {"sun_abraham_data.csv",
                        args_of("y", "d", {}, {{"unit", "unit"}, {"time", "period"}, {"adoption", "adopt"}}),
                        true};
    for (const char* learner : {"s-learner", "t-learner", "x-learner", "dr-learner", "causal-forest"})
      e[learner] = {"estimators_data.csv", args_of("y", "t", {"x1", "x2"}, kSmallForest)};
    e["regression-forest"] = {"estimators_data.csv", args_of("y", "", {"x1", "x2"}, kSmallForest)};
    return e;
  }();
  return examples;
}

const std::set<std::string> kStandardErrorTypes{"iid", "hc0",    "hc1",       "hc2",          "hc3",
                                                "cr1", "neyman", "influence", "influence-cr", "bootstrap"};

TEST(StandardErrorType, EveryRegisteredEstimatorStatesOne) {
  for (const EstimatorInfo& info : estimator_registry()) {
    SCOPED_TRACE(info.name);
    const auto example = examples().find(info.name);
    ASSERT_NE(example, examples().end()) << "add an example for " << info.name << " to this test";
    const Dataset data = read_csv(testing::fixture_path(example->second.data_file));
    const Estimate e = info.run(data, example->second.args);
    EXPECT_TRUE(kStandardErrorTypes.contains(e.se_type)) << "se_type '" << e.se_type << "'";
    EXPECT_EQ(!e.terms.empty(), example->second.regression) << e.terms.size() << " terms";
  }
}

TEST(StandardErrorType, ClusteringChangesItWhereTheEstimatorClusters) {
  const Dataset& data = testing::estimator_fixture_data();
  EstimatorArgs args = args_of("y", "t", {"x1"});
  EXPECT_EQ(find_estimator("ols").run(data, args).se_type, "hc1");
  args.se_type = "hc3";
  EXPECT_EQ(find_estimator("ols").run(data, args).se_type, "hc3");
  args.se_type = "cr1";
  args.cluster = "g";
  EXPECT_EQ(find_estimator("ols").run(data, args).se_type, "cr1");
  EstimatorArgs forest = args_of("y", "t", {"x1"}, kSmallForest);
  forest.cluster = "g";
  EXPECT_EQ(find_estimator("causal-forest").run(data, forest).se_type, "influence-cr");
}

}  // namespace
}  // namespace casebook

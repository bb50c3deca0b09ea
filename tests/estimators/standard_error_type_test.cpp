// Every estimator in the registry says how its standard error was computed (Estimate::se_type), in
// the documented vocabulary, and the regression-type ones return their coefficient table. An
// estimator whose test file registers no example run (estimator_examples.hpp) fails here.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

const std::set<std::string> kStandardErrorTypes{
    "iid",       "hc0",       "hc1",          "hc2",           "hc3",           "cr1",
    "neyman",    "influence", "influence-cr", "bootstrap",     "abadie-imbens", "newey-west",
    "jackknife", "nn",        "posterior",    "plugin",        "nid",           "ker",
    "placebo",   "heckman",   "mle",          "quasi-bayesian"};

TEST(StandardErrorType, EveryRegisteredEstimatorStatesOne) {
  for (const EstimatorInfo& info : estimator_registry()) {
    SCOPED_TRACE(info.name);
    const auto example = testing::estimator_examples().find(info.name);
    ASSERT_NE(example, testing::estimator_examples().end())
        << "register an example run of " << info.name << " in its test file (estimator_examples.hpp)";
    const Dataset data = read_csv(testing::fixture_path(example->second.data_file));
    const Estimate e = info.run(data, example->second.args);
    EXPECT_TRUE(kStandardErrorTypes.contains(e.se_type)) << "se_type '" << e.se_type << "'";
    EXPECT_EQ(!e.terms.empty(), example->second.regression) << e.terms.size() << " terms";
  }
}

TEST(StandardErrorType, ClusteringChangesItWhereTheEstimatorClusters) {
  const Dataset& data = testing::estimator_fixture_data();
  EstimatorArgs args = testing::example_args("y", "t", {"x1"});
  EXPECT_EQ(find_estimator("ols").run(data, args).se_type, "hc1");
  args.se_type = "hc3";
  EXPECT_EQ(find_estimator("ols").run(data, args).se_type, "hc3");
  args.se_type = "cr1";
  args.cluster = "g";
  EXPECT_EQ(find_estimator("ols").run(data, args).se_type, "cr1");
  EstimatorArgs forest = testing::example_args("y", "t", {"x1"}, testing::kSmallForest);
  forest.cluster = "g";
  EXPECT_EQ(find_estimator("causal-forest").run(data, forest).se_type, "influence-cr");
}

}  // namespace
}  // namespace casebook

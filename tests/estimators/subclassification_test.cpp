// subclassification against MatchIt 4.5's matchit(method = "subclass")
// (tests/fixtures/make_cem_subclass_fixture.R): the same propensity score, subclasses and weights
// per row, effect and HC3 SE, counts and balance table, for each estimand, several subclass counts
// and a nearly separated treatment whose quantile bins lack an arm (MatchIt's subclass_scoot, with
// min_n 1 and 3); bad input as one-line errors.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "estimators/subclassification.hpp"
#include "input_error.hpp"
#include "stratification_fixture.hpp"

namespace casebook {
namespace {

namespace fixture = stratification_fixture;

const testing::RegisterExample kSubclassification{
    "subclassification",
    {"cem_subclass_data.csv", testing::example_args("y", "t", fixture::kCovariates), true}};

class SubclassificationMatchesMatchIt : public ::testing::TestWithParam<std::string> {};

TEST_P(SubclassificationMatchesMatchIt, SamePropensitySubclassesAndWeights) {
  const nlohmann::json& ref = fixture::reference().at(GetParam());
  ASSERT_EQ(ref.at("estimator").get<std::string>(), "subclassification");
  const Subclassification s = subclassification(fixture::data(), fixture::case_args(ref));
  const auto& propensity = ref.at("propensity");
  ASSERT_EQ(s.propensity.size(), propensity.size());
  // Both fits stop by glm.fit's rule after the same Newton steps.
  for (std::size_t i = 0; i < s.propensity.size(); ++i)
    ASSERT_TRUE(testing::near_relative(s.propensity[i], propensity[i].get<double>(), fixture::kTolerance))
        << "propensity row " << i + 1;
  fixture::expect_strata(s.strata, ref);
}

TEST_P(SubclassificationMatchesMatchIt, EffectSeAndBalance) {
  const nlohmann::json& ref = fixture::reference().at(GetParam());
  const Estimate e = find_estimator("subclassification").run(fixture::data(), fixture::case_args(ref));
  fixture::expect_effect_and_balance(e, ref);
  fixture::expect_declared("subclassification", e);
  EXPECT_EQ(e.diagnostics.at("subclasses"), ref.at("strata").get<double>());
  for (const char* id : {"love-plot", "propensity-overlap"})
    EXPECT_TRUE(std::any_of(e.plots.begin(), e.plots.end(), [&](const Plot& p) { return p.id == id; })) << id;
}

INSTANTIATE_TEST_SUITE_P(Options, SubclassificationMatchesMatchIt,
                         ::testing::Values("subclass_default", "subclass_atc10", "subclass_ate8",
                                           "subclass_poor_scoot", "subclass_poor_min3"));

// The poorly overlapping treatment needs units moved; the well overlapping one does not.
TEST(Subclassification, MovesUnitsOnlyWhenABinLacksAnArm) {
  const nlohmann::json& ref = fixture::reference();
  const Subclassification poor =
      subclassification(fixture::data(), fixture::case_args(ref.at("subclass_poor_scoot")));
  EXPECT_GT(poor.moved, 0u);
  const Subclassification good =
      subclassification(fixture::data(), fixture::case_args(ref.at("subclass_default")));
  EXPECT_EQ(good.moved, 0u);
}

// min_n 0: MatchIt drops the quantile bins that lack an arm instead of moving units.
TEST(Subclassification, MinNZeroDropsBinsLackingAnArm) {
  EstimatorArgs args = fixture::case_args(fixture::reference().at("subclass_poor_scoot"));
  args.options["min_n"] = "0";
  const Subclassification s = subclassification(fixture::data(), args);
  EXPECT_EQ(s.moved, 0u);
  EXPECT_LT(s.strata.strata, 25u);
  const auto dropped = std::count(s.strata.subclass.begin(), s.strata.subclass.end(), kNoSubclass);
  EXPECT_GT(dropped, 0);
  for (std::size_t i = 0; i < s.strata.weights.size(); ++i)
    EXPECT_EQ(s.strata.weights[i] == 0, s.strata.subclass[i] == kNoSubclass) << "row " << i + 1;
}

TEST(SubclassificationBadInput, OneLineErrorsNamingTheOptionOrColumn) {
  const Dataset& data = fixture::data();
  const auto args = [](std::map<std::string, std::string> options, const std::string& treatment = "t") {
    return testing::example_args("y", treatment, fixture::kCovariates, std::move(options));
  };
  const auto error = [&](const EstimatorArgs& a) {
    return testing::input_error("subclassification", data, a);
  };
  EXPECT_CONTAINS(error(args({{"subclasses", "0"}})), "'subclasses'");
  EXPECT_CONTAINS(error(args({{"subclasses", "1"}})), "option 'subclasses' must be at least 2");
  EXPECT_CONTAINS(error(args({{"min_n", "-1"}})), "'min_n'");
  // 374 treated rows cannot give 25 subclasses 20 each.
  EXPECT_CONTAINS(error(args({{"subclasses", "25"}, {"min_n", "20"}}, "t_poor")),
                  "25 subclasses with option 'min_n' 20 need 500 treated and 500 control rows, but there are "
                  "374 treated");
  EXPECT_CONTAINS(error(args({{"estimand", "ato"}})), "'estimand'");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", {"x1", "nope"})),
                  "covariate column 'nope' not found");
  EXPECT_CONTAINS(error(testing::example_args("y", "x1", {"x2"})), "treatment 'x1' must be 0/1");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", {})), "covariates");
  EXPECT_CONTAINS(error(testing::example_args("region", "t", {"x1"})), "outcome 'region'");
  // Perfect separation: the propensity model does not converge.
  Dataset separated("small.csv");
  separated.add_column({"y", {1, 2, 3, 4, 5, 6, 7, 8}, {}});
  separated.add_column({"t", {0, 0, 0, 0, 1, 1, 1, 1}, {}});
  separated.add_column({"x", {0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9}, {}});
  EXPECT_CONTAINS(
      testing::input_error("subclassification", separated, testing::example_args("y", "t", {"x"})),
      "treatment 't'");
}

}  // namespace
}  // namespace casebook

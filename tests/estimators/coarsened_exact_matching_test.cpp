// cem against MatchIt 4.5's matchit(method = "cem") (tests/fixtures/make_cem_subclass_fixture.R):
// the same strata and weights per row, effect and HC3 SE, counts and balance table, for Sturges'
// bins, one bin count for all, per-column bins with an exact column, and each estimand; bad input
// as one-line errors.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "estimators/coarsened_exact_matching.hpp"
#include "input_error.hpp"
#include "stratification_fixture.hpp"

namespace casebook {
namespace {

namespace fixture = stratification_fixture;

const testing::RegisterExample kCem{
    "cem", {"cem_subclass_data.csv", testing::example_args("y", "t", fixture::kCovariates), true}};

class CemMatchesMatchIt : public ::testing::TestWithParam<std::string> {};

TEST_P(CemMatchesMatchIt, SameStrataAndWeights) {
  const nlohmann::json& ref = fixture::reference().at(GetParam());
  ASSERT_EQ(ref.at("estimator").get<std::string>(), "cem");
  fixture::expect_strata(coarsened_exact_matching(fixture::data(), fixture::case_args(ref)), ref);
}

TEST_P(CemMatchesMatchIt, EffectSeAndBalance) {
  const nlohmann::json& ref = fixture::reference().at(GetParam());
  const Estimate e = find_estimator("cem").run(fixture::data(), fixture::case_args(ref));
  fixture::expect_effect_and_balance(e, ref);
  fixture::expect_declared("cem", e);
  EXPECT_EQ(e.diagnostics.at("strata"), ref.at("strata").get<double>());
  EXPECT_TRUE(std::any_of(e.plots.begin(), e.plots.end(), [](const Plot& p) { return p.id == "love-plot"; }));
}

INSTANTIATE_TEST_SUITE_P(Options, CemMatchesMatchIt,
                         ::testing::Values("cem_default", "cem_k4", "cem_columns", "cem_atc", "cem_ate"));

// Within a stratum every covariate falls in one bin: a stratum's rows share x3 and region exactly,
// and finer bins never make more rows matched than coarser ones on these data.
TEST(Cem, StrataAreExactOnTextAndBinaryColumns) {
  const Dataset& data = fixture::data();
  const SubclassWeights w =
      coarsened_exact_matching(data, testing::example_args("y", "t", fixture::kCovariates));
  std::map<std::ptrdiff_t, std::pair<double, double>> first;
  for (std::size_t i = 0; i < w.subclass.size(); ++i) {
    if (w.subclass[i] == kNoSubclass) continue;
    const std::pair<double, double> key{data.column("x3").values[i], data.column("region").values[i]};
    const auto [it, inserted] = first.try_emplace(w.subclass[i], key);
    EXPECT_EQ(it->second, key) << "row " << i + 1;
  }
  EXPECT_EQ(first.size(), w.strata);
}

TEST(CemBadInput, OneLineErrorsNamingTheOptionOrColumn) {
  const Dataset& data = fixture::data();
  const auto args = [](std::map<std::string, std::string> options) {
    return testing::example_args("y", "t", fixture::kCovariates, std::move(options));
  };
  const auto error = [&](const EstimatorArgs& a) { return testing::input_error("cem", data, a); };
  EXPECT_CONTAINS(error(args({{"cutpoints", "x9:3"}})),
                  "option 'cutpoints' names 'x9', which is not a covariate");
  EXPECT_CONTAINS(error(args({{"cutpoints", "x1:3,x1:4"}})), "names 'x1' twice");
  EXPECT_CONTAINS(error(args({{"cutpoints", "x1:many"}})), "'cutpoints' needs a whole number of bins");
  EXPECT_CONTAINS(error(args({{"cutpoints", "-2"}})), "'cutpoints' needs a whole number of bins");
  EXPECT_CONTAINS(error(args({{"cutpoints", "x1"}})), "column:bins pairs");
  EXPECT_CONTAINS(error(args({{"cutpoints", "region:3"}})), "'region', a text column");
  EXPECT_CONTAINS(error(args({{"estimand", "ato"}})), "'estimand'");
  // Exact on two continuous columns: no treated row shares its values with a control row.
  EXPECT_EQ(error(args({{"cutpoints", "x1:0,x2:0"}})),
            "cem: no stratum holds both treated and control units; coarsen further (fewer bins in option "
            "cutpoints) or match on fewer covariates");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", {"x1", "nope"})),
                  "covariate column 'nope' not found");
  EXPECT_CONTAINS(error(testing::example_args("y", "region", {"x1"})), "treatment 'region'");
  EXPECT_CONTAINS(error(testing::example_args("y", "x1", {"x2"})), "treatment 'x1' must be 0/1");
  EXPECT_CONTAINS(error(testing::example_args("y", "t", {})), "covariates are required");
  // One treated row only: its stratum is kept, but HC3 needs two rows per arm.
  Dataset small("small.csv");
  small.add_column({"y", {1, 2, 3, 4, 5}, {}});
  small.add_column({"t", {1, 0, 0, 0, 0}, {}});
  small.add_column({"g", {1, 1, 1, 2, 2}, {}});
  EXPECT_CONTAINS(
      testing::input_error("cem", small, testing::example_args("y", "t", {"g"}, {{"cutpoints", "0"}})),
      "keep 1 treated and 2 control rows");
}

}  // namespace
}  // namespace casebook

// The balance table against MatchIt 4.5's summary.matchit (tests/fixtures/make_psm_fixture.R):
// R's matching weights in, R's SMD, variance ratio and eCDF max out; and hand-worked cases.
#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "effect_summaries/balance.hpp"

namespace casebook {
namespace {

::testing::AssertionResult near(double actual, double expected) {
  if (std::abs(actual - expected) <= 1e-6 * std::max(std::abs(expected), 1e-12))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << actual << " vs " << expected;
}

struct Fixture {
  Dataset data = read_csv(std::string(CASEBOOK_FIXTURES) + "/psm_data.csv");
  nlohmann::json reference =
      nlohmann::json::parse(std::ifstream(std::string(CASEBOOK_FIXTURES) + "/psm_reference.json"));
};

// x1, x2, x3 and one 0/1 column per region, named as R names them.
void covariates(const Dataset& data, Eigen::MatrixXd& x, std::vector<std::string>& names) {
  const Column& region = data.column("region");
  names = {"x1", "x2", "x3"};
  for (const auto& level : region.levels) names.push_back("region" + level);
  x.resize(static_cast<Eigen::Index>(data.rows()), static_cast<Eigen::Index>(names.size()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const auto row = static_cast<std::size_t>(i);
    x(i, 0) = data.column("x1").values[row];
    x(i, 1) = data.column("x2").values[row];
    x(i, 2) = data.column("x3").values[row];
    for (std::size_t level = 0; level < region.levels.size(); ++level)
      x(i, 3 + static_cast<Eigen::Index>(level)) = region.values[row] == static_cast<double>(level) ? 1 : 0;
  }
}

class BalanceMatchesSummaryMatchit : public ::testing::TestWithParam<std::string> {};

TEST_P(BalanceMatchesSummaryMatchit, EveryStatistic) {
  static const Fixture fixture;
  const nlohmann::json& ref = fixture.reference.at(GetParam());
  Eigen::MatrixXd x;
  std::vector<std::string> names;
  covariates(fixture.data, x, names);
  const std::vector<double>& t = fixture.data.column(ref.at("treatment").get<std::string>()).values;
  const std::vector<double> weights = ref.at("weights").get<std::vector<double>>();
  const bool atc = ref.at("options").contains("estimand");
  const BalanceTable table =
      covariate_balance(x, names, t, weights, atc ? BalanceEstimand::atc : BalanceEstimand::att);
  EXPECT_TRUE(near(table.ess_treated, ref.at("ess_treated").get<double>()));
  EXPECT_TRUE(near(table.ess_control, ref.at("ess_control").get<double>()));
  const auto& r_names = ref.at("balance").at("names");
  ASSERT_EQ(table.covariates.size(), r_names.size());
  for (std::size_t k = 0; k < r_names.size(); ++k) {
    const std::string name = r_names[k].get<std::string>();
    SCOPED_TRACE(name);
    const auto found = std::find_if(table.covariates.begin(), table.covariates.end(),
                                    [&](const CovariateBalance& c) { return c.name == name; });
    ASSERT_NE(found, table.covariates.end());
    EXPECT_EQ(found->binary, name != "x1" && name != "x2");
    for (const auto& [part, stats] : {std::pair{"before", found->before}, std::pair{"after", found->after}}) {
      const auto& r = ref.at("balance").at(part);
      EXPECT_TRUE(near(stats.mean_treated, r.at("mean_treated")[k].get<double>())) << part;
      EXPECT_TRUE(near(stats.mean_control, r.at("mean_control")[k].get<double>())) << part;
      EXPECT_TRUE(near(stats.smd, r.at("smd")[k].get<double>())) << part;
      EXPECT_TRUE(near(stats.ecdf_max, r.at("ecdf_max")[k].get<double>())) << part;
      EXPECT_EQ(stats.var_ratio.has_value(), !r.at("var_ratio")[k].is_null()) << part;
      if (stats.var_ratio) {
        EXPECT_TRUE(near(*stats.var_ratio, r.at("var_ratio")[k].get<double>())) << part;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(MatchItCases, BalanceMatchesSummaryMatchit,
                         ::testing::Values("default", "ratio2", "replace", "caliper", "atc",
                                           "atc_ratio2_replace"));

// By hand: treated x = 1, 2, 3 (sd 1), controls x = 0, 2 (sd √2); ATE scales by √((1 + 2)/2).
TEST(Balance, DenominatorsByEstimandAndEcdf) {
  Eigen::MatrixXd x(5, 1);
  x << 1, 2, 3, 0, 2;
  const std::vector<double> t{1, 1, 1, 0, 0};
  const std::vector<double> w(5, 1.0);
  const double difference = 2 - 1;
  EXPECT_TRUE(
      near(covariate_balance(x, {"x"}, t, w, BalanceEstimand::att).covariates[0].before.smd, difference / 1));
  EXPECT_TRUE(near(covariate_balance(x, {"x"}, t, w, BalanceEstimand::atc).covariates[0].before.smd,
                   difference / std::sqrt(2)));
  const BalanceTable ate = covariate_balance(x, {"x"}, t, w, BalanceEstimand::ate);
  EXPECT_TRUE(near(ate.covariates[0].before.smd, difference / std::sqrt(1.5)));
  EXPECT_TRUE(near(*ate.covariates[0].before.var_ratio, 1.0 / 2.0));
  // eCDFs: at x = 0 treated 0, controls 1/2; at 1: 1/3 vs 1/2; at 2: 2/3 vs 1; at 3: 1 vs 1.
  EXPECT_TRUE(near(ate.covariates[0].before.ecdf_max, 0.5));
  EXPECT_TRUE(near(ate.ess_treated, 3));
}

// One treated row left after weighting: its variance is undefined, so no ratio (MatchIt: NA).
TEST(Balance, NoVarianceRatioFromOneWeightedRow) {
  Eigen::MatrixXd x(5, 1);
  x << 1, 2, 3, 0, 2;
  const BalanceTable table = covariate_balance(x, {"x"}, std::vector<double>{1, 1, 1, 0, 0},
                                               std::vector<double>{0, 1, 0, 1, 1}, BalanceEstimand::att);
  EXPECT_TRUE(table.covariates[0].before.var_ratio.has_value());
  EXPECT_FALSE(table.covariates[0].after.var_ratio.has_value());
  EXPECT_TRUE(std::isfinite(table.covariates[0].after.smd));
  EXPECT_TRUE(near(table.ess_treated, 1));
}

TEST(Balance, EffectiveSampleSizeAndBadInput) {
  EXPECT_TRUE(near(effective_sample_size(std::vector<double>{1, 1, 2}), 16.0 / 6.0));
  EXPECT_EQ(effective_sample_size(std::vector<double>{0, 0}), 0);
  Eigen::MatrixXd x(3, 1);
  x << 1, 2, 3;
  EXPECT_THROW(covariate_balance(x, {"x"}, std::vector<double>{1, 0, 2}, std::vector<double>(3, 1.0),
                                 BalanceEstimand::att),
               InputError);
  EXPECT_THROW(covariate_balance(x, {"x"}, std::vector<double>{1, 0, 0}, std::vector<double>{0, 1, 1},
                                 BalanceEstimand::att),
               InputError);
}

}  // namespace
}  // namespace casebook

// cuped against R on the same data (tests/fixtures/make_cuped_fixture.R): θ from lm, the adjusted
// outcome's estimatr::difference_in_means, OLS's and lm_lin's treatment coefficients.
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const testing::RegisterExample kExample{
    "cuped", {"cuped_data.csv", testing::example_args("y", "t", {"pre_visits"}), true}};

using testing::near_relative;

const Dataset& data() {
  static const Dataset d = read_csv(testing::fixture_path("cuped_data.csv"));
  return d;
}

const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("cuped_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

Estimate run(const std::vector<std::string>& covariates, std::map<std::string, std::string> options = {}) {
  return find_estimator("cuped").run(data(), testing::example_args("y", "t", covariates, std::move(options)));
}

TEST(Cuped, AgreesWithREveryCovariateSetAndSlope) {
  for (const auto& fit : reference().at("fits")) {
    const auto covariates = fit.at("covariates").get<std::vector<std::string>>();
    const auto slope = fit.at("slope").get<std::string>();
    SCOPED_TRACE(fmt::format("{} {}", slope, fmt::join(covariates, "+")));
    const Estimate e = run(covariates, {{"slope", slope}});
    for (const char* key : {"estimate", "se", "ci_low", "ci_high"}) {
      const double mine = key == std::string("estimate") ? e.estimate
                          : key == std::string("se")     ? e.se
                          : key == std::string("ci_low") ? e.ci_low
                                                         : e.ci_high;
      EXPECT_TRUE(near_relative(mine, fit.at(key).get<double>())) << key;
    }
    EXPECT_TRUE(near_relative(e.diagnostics.at("df"), fit.at("df").get<double>()));
    EXPECT_TRUE(
        near_relative(e.diagnostics.at("variance_reduction"), fit.at("variance_reduction").get<double>()));
    EXPECT_EQ(e.se_type, "neyman");
    if (slope == "pooled") {
      // The pooled-θ estimate is OLS's treatment coefficient with the metrics as covariates.
      EXPECT_TRUE(near_relative(e.estimate, fit.at("ols_coefficient").get<double>()));
      EXPECT_TRUE(near_relative(e.diagnostics.at("r2_covariates"), fit.at("r2_covariates").get<double>()));
      if (covariates.size() == 1) {
        EXPECT_TRUE(near_relative(e.diagnostics.at("theta"), fit.at("theta")[0].get<double>()));
      }
    } else {
      EXPECT_TRUE(near_relative(e.estimate, fit.at("lm_lin_coefficient").get<double>()));
    }
    EXPECT_TRUE(
        near_relative(e.diagnostics.at("se_unadjusted"), reference()["unadjusted"]["se"].get<double>()));
  }
}

TEST(Cuped, CupacReducesTheVarianceAndIsTheSameForTheSameSeed) {
  const Estimate a = run({"pre_visits", "pre_spend"}, {{"adjustment", "cupac"}, {"seed", "7"}});
  const Estimate b = run({"pre_visits", "pre_spend"}, {{"adjustment", "cupac"}, {"seed", "7"}});
  EXPECT_EQ(a.estimate, b.estimate);
  EXPECT_EQ(a.se, b.se);
  // One linear prediction from both metrics removes about what the two metrics remove directly.
  const Estimate linear = run({"pre_visits", "pre_spend"});
  EXPECT_GT(a.diagnostics.at("variance_reduction"), 0.75);
  EXPECT_NEAR(a.diagnostics.at("variance_reduction"), linear.diagnostics.at("variance_reduction"), 0.02);
  EXPECT_NEAR(a.estimate, linear.estimate, 2 * linear.se);
}

TEST(Cuped, BadInputIsOneLine) {
  const auto error = [](const std::vector<std::string>& covariates,
                        std::map<std::string, std::string> options = {}, const std::string& treatment = "t") {
    return testing::input_error("cuped", data(),
                                testing::example_args("y", treatment, covariates, std::move(options)));
  };
  EXPECT_CONTAINS(error({}), "cuped: needs the pre-period metric(s) as covariates");
  EXPECT_CONTAINS(error({"pre_visits"}, {{"slope", "separate"}}), "option 'slope'");
  EXPECT_CONTAINS(error({"pre_spend"}, {}, "pre_visits"),
                  "treatment 'pre_visits' must be 0/1 for cuped; row 1 has");
}

}  // namespace
}  // namespace casebook

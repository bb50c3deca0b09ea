// cuped against R on the same data (tests/fixtures/make_cuped_fixture.R): θ from lm, the adjusted
// outcome's estimatr::difference_in_means, OLS's and lm_lin's treatment coefficients.
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "core/input_error.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

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

std::string error_of(std::function<void()> f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Cuped, BadInputIsOneLine) {
  EXPECT_NE(error_of([] { run({}); }).find("cuped: needs the pre-period metric(s) as covariates"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              run({"pre_visits"}, {{"slope", "separate"}});
            }).find("option 'slope'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              find_estimator("cuped").run(data(), testing::example_args("y", "pre_visits", {"pre_spend"}));
            }).find("treatment 'pre_visits' must be 0/1 for cuped; row 1 has"),
            std::string::npos);
}

}  // namespace
}  // namespace casebook

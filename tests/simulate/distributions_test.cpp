// Each draw has the mean and variance of its distribution (within a few standard errors at
// n = 200,000), and the deterministic helpers compute what their names say.
#include <cmath>

#include <gtest/gtest.h>

#include "model_builder.hpp"

namespace casebook {
namespace {

using testing::model_of;
using testing::variable;

struct Moments {
  const char* name;
  const char* expr;
  double mean;
  double variance;
};

TEST(SimulateDistributions, MeansAndVariancesMatchTheory) {
  const double lognormal_mean = std::exp(0.5 * 0.5 / 2);
  const std::vector<Moments> draws = {
      {"normal_draw", "normal(1, 2)", 1, 4},
      {"bernoulli_draw", "bernoulli(0.3)", 0.3, 0.21},
      {"uniform_draw", "uniform(-1, 3)", 1, 16.0 / 12},
      {"poisson_small", "poisson(4)", 4, 4},
      {"poisson_large", "poisson(50)", 50, 50},
      {"binomial_small", "binomial(10, 0.3)", 3, 2.1},
      {"binomial_large", "binomial(100, 0.6)", 60, 24},
      {"exponential_draw", "exponential(2)", 0.5, 0.25},
      {"lognormal_draw", "lognormal(0, 0.5)", lognormal_mean, (std::exp(0.25) - 1) * std::exp(0.25)},
      {"student_t_draw", "student_t(5)", 0, 5.0 / 3},
      // codes 0, 1, 2 with probabilities 0.1, 0.2, 0.7 (weights normalised)
      {"categorical_draw", "categorical(1, 2, 7)", 1.6, 0.2 + 0.7 * 4 - 1.6 * 1.6},
  };
  std::vector<VariableSpec> variables;
  for (const auto& d : draws) variables.push_back(variable(d.name, d.expr));
  const auto model = model_of(variables);
  const std::size_t n = 200000;
  const Dataset data = model.simulate(2024, n);

  for (const auto& d : draws) {
    const auto& x = data.column(d.name).values;
    double mean = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(n);
    double m2 = 0, m4 = 0;
    for (double v : x) {
      const double sq = (v - mean) * (v - mean);
      m2 += sq;
      m4 += sq * sq;
    }
    m2 /= static_cast<double>(n - 1);
    m4 /= static_cast<double>(n);
    const double mean_se = std::sqrt(d.variance / static_cast<double>(n));
    const double variance_se = std::sqrt((m4 - m2 * m2) / static_cast<double>(n));
    EXPECT_NEAR(mean, d.mean, 5 * mean_se) << d.expr;
    EXPECT_NEAR(m2, d.variance, 5 * variance_se) << d.expr;
  }
}

TEST(SimulateDistributions, CountDrawsAreWholeNumbersInRange) {
  const auto model = model_of({
      variable("p", "poisson(3)"),
      variable("b", "binomial(7, 0.4)"),
      variable("c", "categorical(0.5, 0, 0.5)"),
      variable("bern", "bernoulli(0.5)"),
  });
  const Dataset data = model.simulate(5, 20000);
  for (double v : data.column("p").values) ASSERT_EQ(v, std::floor(v));
  for (double v : data.column("b").values) ASSERT_TRUE(v >= 0 && v <= 7 && v == std::floor(v)) << v;
  for (double v : data.column("c").values) ASSERT_TRUE(v == 0 || v == 2) << v;  // code 1 has probability 0
  for (double v : data.column("bern").values) ASSERT_TRUE(v == 0 || v == 1) << v;
}

TEST(SimulateDistributions, DegenerateParametersGiveTheirLimit) {
  const auto model = model_of({
      variable("normal_sd0", "normal(3, 0)"),
      variable("uniform_point", "uniform(2, 2)"),
      variable("poisson0", "poisson(0)"),
      variable("binomial_p1", "binomial(5, 1)"),
      variable("bernoulli1", "bernoulli(1)"),
      variable("categorical_one", "categorical(4)"),
  });
  const Dataset data = model.simulate(5, 100);
  for (double v : data.column("normal_sd0").values) ASSERT_EQ(v, 3);
  for (double v : data.column("uniform_point").values) ASSERT_EQ(v, 2);
  for (double v : data.column("poisson0").values) ASSERT_EQ(v, 0);
  for (double v : data.column("binomial_p1").values) ASSERT_EQ(v, 5);
  for (double v : data.column("bernoulli1").values) ASSERT_EQ(v, 1);
  for (double v : data.column("categorical_one").values) ASSERT_EQ(v, 0);
}

TEST(SimulateDistributions, DeterministicHelpers) {
  const auto model = model_of({
      variable("logistic0", "logistic(0)"),
      variable("logistic_far", "logistic(-1000) + logistic(1000)"),
      variable("logit_3_4", "logit(0.75)"),
      variable("round_trip", "logit(logistic(1.5))"),
      variable("clamp_low", "clamp(-5, 0, 1)"),
      variable("clamp_mid", "clamp(0.25, 0, 1)"),
      variable("floor_value", "floor(-1.5)"),
      variable("ceil_value", "ceil(-1.5)"),
      variable("round_half", "round(2.5) + round(-2.5)"),
      variable("ternary", "min(1, 2) < 2 && 3 > 2 ? sum(1, 2, 3) : -1"),
  });
  const Dataset data = model.simulate(1, 2);
  auto value = [&](const char* name) { return data.column(name).values[0]; };
  EXPECT_EQ(value("logistic0"), 0.5);
  EXPECT_EQ(value("logistic_far"), 1.0);
  EXPECT_DOUBLE_EQ(value("logit_3_4"), std::log(3.0));
  EXPECT_NEAR(value("round_trip"), 1.5, 1e-12);
  EXPECT_EQ(value("clamp_low"), 0);
  EXPECT_EQ(value("clamp_mid"), 0.25);
  EXPECT_EQ(value("floor_value"), -2);
  EXPECT_EQ(value("ceil_value"), -1);
  EXPECT_EQ(value("round_half"), 0);  // 3 + (-3): halves round away from zero
  EXPECT_EQ(value("ternary"), 6);
}

TEST(SimulateDistributions, DrawsInOneExpressionAreIndependent) {
  // Two draws in one expression come one after the other from the unit's generator.
  const auto model = model_of({variable("d", "normal(0, 1) - normal(0, 1)")});
  const Dataset data = model.simulate(3, 100000);
  double m2 = 0;
  for (double v : data.column("d").values) m2 += v * v;
  m2 /= 100000.0;
  EXPECT_NEAR(m2, 2.0, 5 * 2.0 * std::sqrt(2.0 / 100000.0));
}

}  // namespace
}  // namespace casebook

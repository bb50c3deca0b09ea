// Interventions reuse every unit's noise, so potential outcomes differ only through the
// intervened variable's descendants.
#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "model_builder.hpp"

namespace casebook {
namespace {

using testing::model_of;
using testing::variable;

TEST(SimulateIntervention, ConstantEffectIsExactForEveryUnit) {
  // y = 2 t + e: Y(1) - Y(0) is 2 for every unit. With noise on a grid of 1/1024 the
  // arithmetic is exact; with continuous noise (2 + e) - e may round by one ulp.
  const auto model = model_of({
      variable("x", "normal(0, 1)"),
      variable("t", "bernoulli(logistic(x))", Role::treatment),
      variable("e", "round(1024 * normal(0, 1)) / 1024", Role::latent),
      variable("y", "2 * t + e", Role::outcome),
      variable("y_continuous", "2 * t + x + normal(0, 1)", Role::outcome),
  });
  const Dataset treated = model.simulate(9, 2000, {{"t", 1}});
  const Dataset control = model.simulate(9, 2000, {{"t", 0}});
  const auto& y1 = treated.column("y").values;
  const auto& y0 = control.column("y").values;
  for (std::size_t i = 0; i < y1.size(); ++i) {
    ASSERT_EQ(y1[i] - y0[i], 2.0) << "unit " << i;
    ASSERT_NEAR(treated.column("y_continuous").values[i] - control.column("y_continuous").values[i], 2.0,
                1e-12);
  }
  for (double t : treated.column("t").values) ASSERT_EQ(t, 1.0);
  for (double t : control.column("t").values) ASSERT_EQ(t, 0.0);
}

TEST(SimulateIntervention, VariablesNotDownstreamAreBitIdentical) {
  const auto model = model_of({
      variable("x", "normal(0, 1)"),
      variable("t", "bernoulli(logistic(x))", Role::treatment),
      variable("w", "x + normal(0, 1)"),  // a sibling of t, not its descendant
      variable("y", "t + w + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(4, 3000);
  const Dataset intervened = model.simulate(4, 3000, {{"t", 1}});
  EXPECT_EQ(factual.column("x").values, intervened.column("x").values);
  EXPECT_EQ(factual.column("w").values, intervened.column("w").values);
  EXPECT_NE(factual.column("y").values, intervened.column("y").values);
}

TEST(SimulateIntervention, NoiseIsReusedWhenAShortCircuitDrawsDifferently) {
  // Under do(s = 1) y draws a normal, under do(s = 0) a uniform and a normal: the number of
  // draws in y changes, but the noise of the variables after it must not.
  const auto model = model_of({
      variable("s", "bernoulli(0.5)"),
      variable("y", "s ? normal(0, 1) : uniform(0, 1) + normal(0, 1)"),
      variable("child_noise", "y > 1e9 ? 0 : normal(0, 1)"),  // reads y, so downstream of s
      variable("unrelated", "normal(0, 1)"),
  });
  const Dataset one = model.simulate(21, 2000, {{"s", 1}});
  const Dataset zero = model.simulate(21, 2000, {{"s", 0}});
  EXPECT_EQ(one.column("unrelated").values, zero.column("unrelated").values);
  EXPECT_EQ(one.column("child_noise").values, zero.column("child_noise").values);
  EXPECT_NE(one.column("y").values, zero.column("y").values);
  // The factual units with s = 1 took the first branch with the same noise as under do(s = 1).
  const Dataset factual = model.simulate(21, 2000);
  for (std::size_t i = 0; i < factual.rows(); ++i) {
    const Dataset& world = factual.column("s").values[i] == 1 ? one : zero;
    ASSERT_EQ(factual.column("y").values[i], world.column("y").values[i]) << "unit " << i;
  }
}

TEST(SimulateIntervention, SimulateIntervenedMatchesAFullSimulation) {
  const auto model = model_of({
      variable("x", "normal(0, 1)"),
      variable("z", "bernoulli(0.5)", Role::instrument),
      variable("t", "bernoulli(logistic(x + z))", Role::treatment),
      variable("m", "t + normal(0, 1)"),
      variable("side", "x * 2 + uniform(0, 1)"),
      variable("y", "m + side + normal(0, 1)", Role::outcome),
  });
  const Dataset factual = model.simulate(8, 20000);
  for (const auto& interventions :
       std::vector<std::vector<Intervention>>{{{"t", 1}}, {{"z", 0}}, {{"m", 3}, {"x", -1}}, {}}) {
    const Dataset full = model.simulate(8, 20000, interventions);
    const Dataset fast = model.simulate_intervened(factual, 8, interventions);
    ASSERT_EQ(full.names(), fast.names());
    for (std::size_t c = 0; c < full.cols(); ++c)
      EXPECT_EQ(full.columns()[c].values, fast.columns()[c].values) << full.columns()[c].name;
  }
}

TEST(SimulateIntervention, ParentsAreTheVariablesAnExpressionReads) {
  const auto model = model_of({
      variable("x", "normal(0, 1)"),
      variable("z", "bernoulli(0.5)"),
      variable("t", "z > 0 ? bernoulli(logistic(x)) : 0"),
      variable("y", "t + x * x + normal(0, 1)"),
      variable("c", "3"),
  });
  EXPECT_EQ(model.parents(0), std::vector<std::string>{});
  EXPECT_EQ(model.parents(2), (std::vector<std::string>{"x", "z"}));
  EXPECT_EQ(model.parents(3), (std::vector<std::string>{"x", "t"}));  // spec order, once each
  EXPECT_EQ(model.parents(4), std::vector<std::string>{});
  EXPECT_EQ(model.index_of("t"), 2u);
  EXPECT_FALSE(model.index_of("nope").has_value());
}

TEST(SimulateIntervention, UnknownOrRepeatedInterventionIsAnInputError) {
  const auto model = model_of({variable("x", "normal(0, 1)"), variable("y", "x + 1")});
  try {
    model.simulate(1, 10, {{"q", 1}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'q'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("variables: x, y"), std::string::npos) << e.what();
  }
  EXPECT_THROW(model.simulate(1, 10, {{"x", 1}, {"x", 2}}), InputError);
  EXPECT_THROW(model.simulate(1, 10, {{"x", std::nan("")}}), InputError);
  const Dataset factual = model.simulate(1, 10);
  EXPECT_THROW(model.simulate_intervened(factual, 1, {{"q", 1}}), InputError);
}

TEST(SimulateIntervention, SimulateIntervenedNeedsEveryColumn) {
  const auto model = model_of({variable("x", "normal(0, 1)"), variable("y", "x + 1")});
  Dataset partial("partial.csv");
  partial.add_column(Column{"x", {1, 2, 3}, {}});
  try {
    model.simulate_intervened(partial, 1, {{"x", 0}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no column 'y'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace casebook

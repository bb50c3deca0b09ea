// Panels: units × periods in long form, unit-level and unit-period noise, period and lag().
#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "model_builder.hpp"
#include "simulate/estimand.hpp"

namespace casebook {
namespace {

using testing::variable;

VariableSpec unit_level(std::string name, std::string expr, Role role = Role::covariate) {
  VariableSpec v = variable(std::move(name), std::move(expr), role);
  v.level = Level::unit;
  return v;
}

SimulationSpec panel_spec(std::vector<VariableSpec> variables, std::size_t periods = 4) {
  SimulationSpec spec = testing::spec_of(std::move(variables));
  spec.periods = periods;
  return spec;
}

// Adoption in period 3 for treated units; the effect grows with the periods since adoption.
std::vector<VariableSpec> adoption_model() {
  return {
      unit_level("alpha", "normal(0, 1)", Role::latent),
      unit_level("treated", "bernoulli(0.4)"),
      variable("d", "treated * (period >= 3)", Role::treatment),
      variable("since", "d * (lag(since, 0) + 1)"),
      variable("y", "alpha + 0.1 * period + d * (1 + 0.5 * since) + normal(0, 1)", Role::outcome),
  };
}

TEST(SimulatePanel, LongFormWithUnitAndPeriodFirst) {
  const StructuralModel model(panel_spec(adoption_model()));
  const Dataset data = model.simulate(3, 5);
  ASSERT_EQ(data.rows(), 20u);
  EXPECT_EQ(data.columns()[0].name, "unit");
  EXPECT_EQ(data.columns()[1].name, "period");
  for (std::size_t row = 0; row < 20; ++row) {
    EXPECT_EQ(data.column("unit").values[row], static_cast<double>(row / 4 + 1));
    EXPECT_EQ(data.column("period").values[row], static_cast<double>(row % 4 + 1));
  }
}

TEST(SimulatePanel, UnitLevelVariablesAreConstantWithinAUnitAndUnitPeriodOnesAreNot) {
  const StructuralModel model(panel_spec({unit_level("a", "normal(0, 1)"), variable("e", "normal(0, 1)")}));
  const Dataset data = model.simulate(9, 50);
  const auto& a = data.column("a").values;
  const auto& e = data.column("e").values;
  std::size_t e_changes = 0;
  for (std::size_t unit = 0; unit < 50; ++unit)
    for (std::size_t p = 1; p < 4; ++p) {
      EXPECT_EQ(a[unit * 4 + p], a[unit * 4]);
      if (e[unit * 4 + p] != e[unit * 4]) ++e_changes;
    }
  EXPECT_EQ(e_changes, 150u);
  EXPECT_NE(a[0], a[4]);  // units differ
}

TEST(SimulatePanel, UnitLevelNoiseIsTheCrossSectionNoise) {
  // A unit-level draw is a function of (seed, variable, unit) only: the same as a cross-section's.
  const StructuralModel panel(panel_spec({unit_level("a", "normal(0, 1)")}, 6));
  const StructuralModel cross(testing::spec_of({variable("a", "normal(0, 1)")}));
  const Dataset p = panel.simulate(4, 30);
  const Dataset c = cross.simulate(4, 30);
  for (std::size_t unit = 0; unit < 30; ++unit)
    EXPECT_EQ(p.column("a").values[unit * 6 + 5], c.column("a").values[unit]);
}

TEST(SimulatePanel, UnitsDoNotDependOnTheNumberOfUnits) {
  const StructuralModel model(panel_spec(adoption_model()));
  const Dataset small = model.simulate(5, 10);
  const Dataset large = model.simulate(5, 5000);
  for (const char* name : {"alpha", "d", "since", "y"})
    for (std::size_t row = 0; row < small.rows(); ++row)
      EXPECT_EQ(small.column(name).values[row], large.column(name).values[row]) << name;
}

TEST(SimulatePanel, LagReadsThePreviousPeriodAndTheDefaultInPeriodOne) {
  const StructuralModel model(panel_spec({
      variable("count", "lag(count, 10) + 1"),
      variable("echo", "lag(later, -1)"),  // a variable defined later: its previous period is known
      variable("later", "period * 2"),
  }));
  const Dataset data = model.simulate(1, 3);
  for (std::size_t row = 0; row < data.rows(); ++row) {
    const double period = data.column("period").values[row];
    EXPECT_EQ(data.column("count").values[row], 10 + period);
    EXPECT_EQ(data.column("echo").values[row], period == 1 ? -1 : 2 * (period - 1));
  }
  EXPECT_EQ(model.lagged_parents(1), std::vector<std::string>{"later"});
  EXPECT_TRUE(model.parents(1).empty());
}

TEST(SimulatePanel, ThreadCountDoesNotChangeTheData) {
  const StructuralModel model(panel_spec(adoption_model()));
  const Dataset one = model.simulate(8, 9000, {}, 1);
  const Dataset four = model.simulate(8, 9000, {}, 4);
  for (std::size_t c = 0; c < one.cols(); ++c) EXPECT_EQ(one.columns()[c].values, four.columns()[c].values);
}

TEST(SimulatePanel, InterventionsReuseTheNoiseAndFollowLags) {
  const StructuralModel model(panel_spec(adoption_model()));
  const Dataset factual = model.simulate(2, 400);
  const Dataset control = model.simulate_intervened(factual, 2, {{"d", 0}});
  const Dataset full_control = model.simulate(2, 400, {{"d", 0}});
  const auto& d = factual.column("d").values;
  const auto& since = factual.column("since").values;
  for (std::size_t row = 0; row < factual.rows(); ++row) {
    EXPECT_EQ(control.column("since").values[row], 0.0);  // reached through lag(since)
    EXPECT_NEAR(factual.column("y").values[row] - control.column("y").values[row],
                d[row] * (1 + 0.5 * since[row]), 1e-12);
    EXPECT_EQ(control.column("y").values[row], full_control.column("y").values[row]);
  }
}

TEST(SimulatePanel, AttIsTheMeanEffectOverTreatedCells) {
  const StructuralModel model(panel_spec(adoption_model()));
  const Dataset factual = model.simulate(2, 400);
  EstimandSpec att{"att", "att", "d", "y", "", 1, 0, ""};
  double sum = 0;
  std::size_t cells = 0;
  const auto& d = factual.column("d").values;
  for (std::size_t row = 0; row < factual.rows(); ++row)
    if (d[row] == 1) {
      sum += 1 + 0.5 * factual.column("since").values[row];
      ++cells;
    }
  ASSERT_GT(cells, 0u);
  // Periods 3 and 4: since = 1, 2, so the effect is 1.5 or 2; the mean is 1.75 exactly.
  EXPECT_NEAR(estimand_truth(model, factual, att, 2), sum / static_cast<double>(cells), 1e-12);
  EXPECT_NEAR(estimand_truth(model, factual, att, 2), 1.75, 1e-12);
}

void expect_error(const SimulationSpec& spec, const std::string& fragment) {
  try {
    StructuralModel model(spec);
    FAIL() << "expected an InputError containing: " << fragment;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(SimulatePanel, BadPanelExpressionsNameTheVariableAndTheProblem) {
  expect_error(testing::spec_of({variable("x", "lag(x, 0) + 1")}), "lag() in 'lag(x, 0) + 1' needs a panel");
  expect_error(panel_spec({variable("x", "lag(x) + 1")}), "write lag(x, default)");
  expect_error(panel_spec({variable("x", "lag(2 * x, 0)")}), "must be a variable name");
  expect_error(panel_spec({variable("x", "lag(nope, 0)")}), "unknown variable 'nope' in lag()");
  expect_error(panel_spec({unit_level("a", "period")}),
               "'a' is unit-level (drawn once per unit), so it cannot use period");
  expect_error(panel_spec({variable("e", "normal(0, 1)"), unit_level("a", "e")}),
               "cannot read the unit-period variable 'e'");
  expect_error(panel_spec({unit_level("a", "normal(0, 1)"), variable("b", "lag(a, 0)")}),
               "constant over periods");
  expect_error(panel_spec({variable("period", "1")}),
               "variables[0] (period): 'period' is a panel's index column");
  expect_error(panel_spec({variable("__lag_x", "1")}), "reserved for lag()");
}

TEST(SimulatePanel, UnitAndPeriodAreOrdinaryNamesInACrossSection) {
  const StructuralModel model(testing::spec_of({variable("period", "2"), variable("unit", "period + 1")}));
  EXPECT_EQ(model.simulate(1, 3).column("unit").values, (std::vector<double>{3, 3, 3}));
}

TEST(SimulatePanel, ErrorsNameUnitAndPeriod) {
  const StructuralModel model(panel_spec({variable("x", "period == 3 ? log(-1) : 0")}));
  try {
    model.simulate(1, 2);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("at unit 1, period 3"), std::string::npos) << e.what();
  }
}

TEST(SimulatePanel, ObservedColumnsKeepUnitAndPeriod) {
  const SimulationSpec spec = panel_spec(adoption_model());
  const Dataset observed = observed_columns(StructuralModel(spec).simulate(1, 3), spec);
  EXPECT_EQ(observed.names(), (std::vector<std::string>{"unit", "period", "treated", "d", "since", "y"}));
}

}  // namespace
}  // namespace casebook

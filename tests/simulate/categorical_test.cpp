// Categorical columns, roles and the observed subset.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "model_builder.hpp"

namespace casebook {
namespace {

using testing::model_of;
using testing::spec_of;
using testing::variable;

TEST(SimulateCategorical, LevelsBecomeACategoricalColumn) {
  auto region = variable("region", "categorical(0.5, 0.3, 0.2)");
  region.levels = {"north", "south", "east"};
  const auto model = model_of({region, variable("y", "region == 2 ? 10 : normal(0, 1)")});
  const Dataset data = model.simulate(6, 3000);
  const Column& column = data.column("region");
  ASSERT_TRUE(column.is_categorical());
  EXPECT_EQ(column.levels, (std::vector<std::string>{"north", "south", "east"}));
  std::vector<std::size_t> counts(3, 0);
  for (double code : column.values) ++counts.at(static_cast<std::size_t>(code));
  EXPECT_GT(counts[0], counts[1]);
  EXPECT_GT(counts[1], counts[2]);
  EXPECT_FALSE(data.column("y").is_categorical());
  for (std::size_t i = 0; i < data.rows(); ++i) {
    if (column.values[i] == 2) {
      EXPECT_EQ(data.column("y").values[i], 10);
    }
  }
}

TEST(SimulateCategorical, CodeOutsideTheLevelsIsAnInputError) {
  auto grade = variable("grade", "poisson(2)");
  grade.levels = {"low", "mid", "high"};
  const auto model = model_of({grade});
  try {
    model.simulate(1, 1000);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("variables[0] (grade)"), std::string::npos) << message;
    EXPECT_NE(message.find("not a code of its 3 levels"), std::string::npos) << message;
  }
  EXPECT_THROW(model.simulate(1, 10, {{"grade", 3}}), InputError);
  EXPECT_THROW(model.simulate(1, 10, {{"grade", 0.5}}), InputError);
  EXPECT_NO_THROW(model.simulate(1, 10, {{"grade", 2}}));
}

TEST(SimulateCategorical, DuplicateOrEmptyLevelIsAnInputError) {
  auto twice = variable("g", "0");
  twice.levels = {"a", "a"};
  EXPECT_THROW(model_of({twice}), InputError);
  auto empty = variable("g", "0");
  empty.levels = {"a", ""};
  EXPECT_THROW(model_of({empty}), InputError);
}

TEST(SimulateRoles, NamesRoundTrip) {
  for (Role role : {Role::covariate, Role::treatment, Role::instrument, Role::outcome, Role::cluster,
                    Role::time, Role::latent, Role::other})
    EXPECT_EQ(role_from_string(to_string(role), "here"), role);
  try {
    role_from_string("confounder", "cases/x/case.json: simulation.variables[0].role");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cases/x/case.json: simulation.variables[0].role: unknown role 'confounder' (known: covariate, "
              "treatment, instrument, outcome, cluster, time, latent, other)");
  }
}

TEST(SimulateObserved, LatentColumnsAreDropped) {
  const auto spec = spec_of({
      variable("u", "normal(0, 1)", Role::latent),
      variable("x", "u + normal(0, 1)"),
      variable("y", "x + u", Role::outcome),
  });
  const StructuralModel model(spec);
  const Dataset full = model.simulate(1, 50);
  EXPECT_EQ(full.names(), (std::vector<std::string>{"u", "x", "y"}));
  const Dataset observed = observed_columns(full, spec);
  EXPECT_EQ(observed.names(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(observed.column("y").values, full.column("y").values);
}

}  // namespace
}  // namespace casebook

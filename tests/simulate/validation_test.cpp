// Every bad model or input is an InputError whose message names the variable.
#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "model_builder.hpp"

namespace casebook {
namespace {

using testing::model_of;
using testing::spec_of;
using testing::variable;

std::string construction_error(std::vector<VariableSpec> variables) {
  try {
    model_of(std::move(variables));
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected InputError";
  return "";
}

std::string simulation_error(const StructuralModel& model, std::size_t n = 1000, unsigned threads = 1) {
  try {
    model.simulate(3, n, {}, threads);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected InputError";
  return "";
}

TEST(SimulateValidation, UnknownVariableMessageNamesFileFieldAndSymbol) {
  EXPECT_EQ(construction_error({variable("x", "normal(0, 1)"), variable("y", "zz + 1")}),
            "cases/x/case.json: simulation.variables[1] (y): unknown variable 'zz' in 'zz + 1'");
}

TEST(SimulateValidation, VariableUsedBeforeItIsDefined) {
  EXPECT_EQ(
      construction_error({variable("y", "x + 1"), variable("x", "normal(0, 1)")}),
      "cases/x/case.json: simulation.variables[0] (y): 'x' is defined later, at variables[1]: variables must "
      "come after the ones they use");
}

TEST(SimulateValidation, SelfReference) {
  EXPECT_EQ(construction_error({variable("y", "y + 1")}),
            "cases/x/case.json: simulation.variables[0] (y): 'y' uses itself in 'y + 1'");
}

TEST(SimulateValidation, BadNames) {
  EXPECT_EQ(construction_error({variable("", "1")}),
            "cases/x/case.json: simulation.variables[0]: the variable has no name");
  EXPECT_EQ(construction_error({variable("x", "1"), variable("x", "2")}),
            "cases/x/case.json: simulation.variables[1] (x): duplicate name 'x' (also variables[0])");
  for (const char* name : {"2x", "a-b", "a b", "café"}) {
    const std::string message = construction_error({variable(name, "1")});
    EXPECT_NE(message.find("is not a valid variable name"), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("(") + name + ")"), std::string::npos) << message;
  }
  for (const char* name : {"exp", "normal", "logistic", "sum", "_pi"}) {
    const std::string message = construction_error({variable(name, "1")});
    EXPECT_NE(message.find("built-in function or constant"), std::string::npos) << message;
  }
}

// muParser caps identifiers at 100 characters and throws its own exception type: a model built
// without the loader's length rule still reports an InputError, never an abort.
TEST(SimulateValidation, NamesMuParserRejectsAreInputErrors) {
  const std::string long_name(150, 'x');
  const std::string message =
      construction_error({variable(long_name, "normal(0, 1)"), variable("y", long_name + " + 1")});
  EXPECT_NE(message.find("simulation.variables[1] (y)"), std::string::npos) << message;
}

TEST(SimulateValidation, ExpressionsThatDoNotParse) {
  for (const char* expr : {"x +", "(x", "x ? 1", "normal(0)", "1 2"}) {
    const std::string message = construction_error({variable("x", "1"), variable("y", expr)});
    EXPECT_NE(message.find("variables[1] (y): cannot parse"), std::string::npos) << expr << ": " << message;
  }
  EXPECT_EQ(construction_error({variable("y", "  ")}),
            "cases/x/case.json: simulation.variables[0] (y): the expression is empty");
  EXPECT_EQ(construction_error({variable("x", "1"), variable("y", "foo(x) + 1e-3")}),
            "cases/x/case.json: simulation.variables[1] (y): unknown function 'foo' in 'foo(x) + 1e-3'");
  EXPECT_EQ(
      construction_error({variable("x", "1"), variable("y", "x = 5")}),
      "cases/x/case.json: simulation.variables[1] (y): '=' assigns in 'x = 5'; an expression may only read "
      "other variables (compare with '==')");
  EXPECT_EQ(
      construction_error({variable("x", "1"), variable("y", "normal(0, 1), x")}),
      "cases/x/case.json: simulation.variables[1] (y): 'normal(0, 1), x' holds several expressions separated "
      "by ','; write one");
  EXPECT_NO_THROW(
      model_of({variable("x", "1"), variable("y", "x == 1 && x <= 2 && x >= 0 && x != 3 ? max(x, 2) : 0")}));
  // A helper folded to a constant while parsing reports its bad argument at once.
  const std::string folded = construction_error({variable("y", "clamp(1, 2, 0)")});
  EXPECT_NE(folded.find("variables[0] (y)"), std::string::npos) << folded;
  EXPECT_NE(folded.find("lo must not exceed hi"), std::string::npos) << folded;
}

TEST(SimulateValidation, SampleSizeMustBePositive) {
  const auto model = model_of({variable("x", "1")});
  EXPECT_THROW(model.simulate(1, 0), InputError);
  auto spec = spec_of({variable("x", "1")});
  spec.n = 0;
  EXPECT_THROW(StructuralModel{spec}, InputError);
  EXPECT_THROW(model_of({}), InputError);
}

TEST(SimulateValidation, NonFiniteValueNamesTheVariableAndTheFirstUnit) {
  const auto base = model_of({variable("x", "normal(0, 1)")});
  const Dataset xs = base.simulate(3, 1000);
  std::size_t first_negative = 0;
  while (xs.column("x").values[first_negative] >= 0) ++first_negative;

  const auto model = model_of({variable("x", "normal(0, 1)"), variable("y", "log(x)")});
  const std::string message = simulation_error(model);
  EXPECT_EQ(message.rfind("cases/x/case.json: simulation.variables[1] (y): 'log(x)' gives nan at unit " +
                              std::to_string(first_negative + 1) + " (the first unit",
                          0),
            0u)
      << message;
  const std::string division = simulation_error(model_of({variable("y", "1 / (bernoulli(0.5) - 1)")}));
  EXPECT_NE(division.find("variables[0] (y): '1 / (bernoulli(0.5) - 1)' gives inf"), std::string::npos)
      << division;
}

TEST(SimulateValidation, ErrorIsTheSameOnAnyThreadCount) {
  // A failure late in the data: the reported unit is the first failing one however many threads run.
  const auto model = model_of({variable("x", "uniform(0, 1)"), variable("y", "x < 0.9999 ? 1 : sqrt(-1)")});
  const std::string one = simulation_error(model, 100000, 1);
  EXPECT_NE(one.find("variables[1] (y)"), std::string::npos) << one;
  for (unsigned threads : {2u, 4u, 8u}) EXPECT_EQ(simulation_error(model, 100000, threads), one);
}

TEST(SimulateValidation, BadDrawArgumentsNameTheVariable) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"normal(0, -1)", "sd must be at least 0"},
      {"bernoulli(1.5)", "p must be between 0 and 1"},
      {"uniform(2, 1)", "a must not exceed b"},
      {"poisson(-1)", "lambda must be between 0"},
      {"binomial(2.5, 0.5)", "n must be a whole number"},
      {"binomial(3, -0.1)", "p must be between 0 and 1"},
      {"exponential(0)", "rate must be above 0"},
      {"lognormal(0, -1)", "sdlog must be at least 0"},
      {"student_t(0)", "df must be above 0"},
      {"categorical(0.5, -0.1)", "p1 must be a finite number at least 0"},
      {"categorical(0, 0)", "sum to 0"},
      {"logit(1.2)", "p must be strictly between 0 and 1"},
      {"normal(0, 1 / (bernoulli(0.5) - 1))", "arguments must be finite"},
  };
  for (const auto& [expr, fragment] : cases) {
    auto spec = spec_of({variable("w", "normal(0, 1)"), variable("y", std::string(expr) + " + w")});
    std::string message;
    try {
      StructuralModel model(spec);
      message = simulation_error(model, 100);
    } catch (const InputError& e) {  // a helper on constants fails while parsing
      message = e.what();
    }
    EXPECT_NE(message.find("variables[1] (y)"), std::string::npos) << expr << ": " << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << expr << ": " << message;
  }
}

}  // namespace
}  // namespace casebook

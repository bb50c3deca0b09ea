#pragma once
// Short ways to write a structural model in a test.
#include <string>
#include <utility>
#include <vector>

#include "simulate/structural_model.hpp"

namespace casebook::testing {

inline const std::string kWhere = "cases/x/case.json: simulation";

inline VariableSpec variable(std::string name, std::string expr, Role role = Role::covariate) {
  VariableSpec v;
  v.name = std::move(name);
  v.expr = std::move(expr);
  v.role = role;
  v.observed = role != Role::latent;
  return v;
}

inline SimulationSpec spec_of(std::vector<VariableSpec> variables) {
  SimulationSpec spec;
  spec.seed = 7;
  spec.n = 1000;
  spec.variables = std::move(variables);
  spec.where = kWhere;
  return spec;
}

inline StructuralModel model_of(std::vector<VariableSpec> variables) {
  return StructuralModel(spec_of(std::move(variables)));
}

inline double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace casebook::testing

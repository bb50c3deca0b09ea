#pragma once
// A structural causal model: an ordered list of variables, each a muParser expression over
// earlier variables and random draws. Noise is a pure function of (seed, variable, unit), so
// evaluating the model again under an intervention do(x = v) reuses every unit's noise: the
// factual data and the potential outcomes come from the same draws.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace casebook {

enum class Role { covariate, treatment, instrument, outcome, cluster, time, latent, other };

struct VariableSpec {
  std::string name;
  std::string expr;
  Role role = Role::covariate;
  bool observed = true;               // latent variables never reach the estimators
  std::vector<std::string> levels;    // labels of a categorical variable's codes 0..k-1
};

struct SimulationSpec {
  std::uint64_t seed = 1;
  std::size_t n = 1000;
  std::vector<VariableSpec> variables;
  std::string where;  // location for error messages, e.g. "cases/x/case.json: simulation"
};

struct Intervention {
  std::string variable;
  double value = 0;
};

class StructuralModel {
 public:
  // Compiles every expression; throws InputError naming the variable and the problem (an
  // unknown symbol, a variable used before it is defined, a syntax error).
  explicit StructuralModel(SimulationSpec spec);
  ~StructuralModel();
  StructuralModel(StructuralModel&&) noexcept;
  StructuralModel& operator=(StructuralModel&&) noexcept;

  const SimulationSpec& spec() const { return spec_; }

  // Every variable (latent ones too) for n units, under the given interventions: an
  // intervened variable is set to its value for every unit instead of its expression.
  Dataset simulate(std::uint64_t seed, std::size_t n, const std::vector<Intervention>& interventions = {}) const;

 private:
  SimulationSpec spec_;
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

// The observed variables only: what an analyst (and every estimator) gets to see.
Dataset observed_columns(const Dataset& full, const SimulationSpec& spec);

std::string to_string(Role role);
// Throws InputError for an unknown role name.
Role role_from_string(const std::string& name, const std::string& where);

}  // namespace casebook

#pragma once
// A structural causal model: an ordered list of variables, each a muParser expression over
// earlier variables and random draws. Noise is a pure function of (seed, variable, unit) —
// the variable by its position in the spec, so inserting one changes the noise after it — so
// evaluating the model again under an intervention do(x = v) reuses every unit's noise: the
// factual data and the potential outcomes come from the same draws.
//
// A panel (periods > 0) simulates n units over periods 1..periods, in long form: one row per
// (unit, period), ordered by unit then period, with the columns `unit` (1..n) and `period`
// (1..periods) first. Periods are 1-based so that 0 can mean "never" in an adoption-period
// variable (as R's `did` package does). A unit-level variable is drawn once per unit (noise from
// (seed, variable, unit)) and repeated on every period; a unit-period variable is drawn per cell
// (noise from (seed, variable, unit, period)). Panel expressions may read `unit` and `period`,
// and `lag(x, default)`: x in the unit's previous period, or `default` in period 1.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"

namespace casebook {

enum class Role { covariate, treatment, instrument, outcome, cluster, time, latent, other };

// In a panel: drawn once per unit (constant over periods) or once per unit and period.
// Ignored in a cross-section.
enum class Level { unit, unit_period };

struct VariableSpec {
  std::string name;
  std::string expr;
  Role role = Role::covariate;
  bool observed = true;              // latent variables never reach the estimators
  std::vector<std::string> levels;   // labels of a categorical variable's codes 0..k-1
  Level level = Level::unit_period;  // panels only
};

struct SimulationSpec {
  std::uint64_t seed = 1;
  std::size_t n = 1000;     // units (in a panel, rows = n × periods)
  std::size_t periods = 0;  // 0: a cross-section; otherwise a panel over periods 1..periods
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
  // empty, duplicate or reserved name, an unknown symbol or function, a variable used before
  // it is defined, a syntax error).
  explicit StructuralModel(SimulationSpec spec);
  ~StructuralModel();
  StructuralModel(StructuralModel&&) noexcept;
  StructuralModel& operator=(StructuralModel&&) noexcept;

  const SimulationSpec& spec() const { return spec_; }
  bool is_panel() const { return spec_.periods > 0; }

  // Every variable (latent ones too, in spec order) for n units (in a panel: `unit`, `period`,
  // then every variable, for n units × periods rows), under the given
  // interventions: an intervened variable is set to its value for every unit instead of its
  // expression. A variable with levels is a categorical column. Throws InputError for n = 0,
  // an intervention on an unknown variable, a bad argument to a draw, or a value that is not
  // finite (naming the variable and the first unit). `threads` = 0 picks the number of
  // cores; the data are bit-identical for any number of threads.
  Dataset simulate(std::uint64_t seed, std::size_t n, const std::vector<Intervention>& interventions = {},
                   unsigned threads = 0) const;

  // The same as simulate(seed, factual.rows(), interventions) when `factual` is
  // simulate(seed, n) of this model, but faster: only the intervened variables and their
  // descendants are evaluated again; every other column is copied from `factual`.
  // The variables in `held` keep their values in `factual` even downstream of an intervention:
  // with factual's mediator column set to M(t'), do(T = t) holding the mediator gives the nested
  // counterfactual Y(t, M(t')) of a mediation effect. Throws InputError for an unknown name.
  Dataset simulate_intervened(const Dataset& factual, std::uint64_t seed,
                              const std::vector<Intervention>& interventions, unsigned threads = 0,
                              const std::vector<std::string>& held = {}) const;

  // The variables a variable's expression reads, in spec order: its parents in the causal graph.
  std::vector<std::string> parents(std::size_t variable_index) const;
  // The variables it reads through lag(x, default), in spec order (panels only): parents in the
  // previous period.
  std::vector<std::string> lagged_parents(std::size_t variable_index) const;
  // The position of a variable in the spec, if there is one of that name.
  std::optional<std::size_t> index_of(std::string_view name) const;

 private:
  SimulationSpec spec_;
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

// The names of a panel's index columns, first in every panel dataset.
inline constexpr const char* kUnitColumn = "unit";
inline constexpr const char* kPeriodColumn = "period";

// The observed variables only (and a panel's unit and period): what an analyst (and every
// estimator) gets to see.
Dataset observed_columns(const Dataset& full, const SimulationSpec& spec);

std::string to_string(Role role);
// Throws InputError for an unknown role name.
Role role_from_string(const std::string& name, const std::string& where);
// "unit" or "unit-period"; throws InputError for anything else.
Level level_from_string(const std::string& name, const std::string& where);

}  // namespace casebook

#include "simulate/structural_model.hpp"

namespace casebook {

Dataset observed_columns(const Dataset& full, const SimulationSpec& spec) {
  Dataset observed(full.source());
  if (spec.periods > 0) {
    observed.add_column(full.column(kUnitColumn));
    observed.add_column(full.column(kPeriodColumn));
  }
  for (const auto& variable : spec.variables)
    if (variable.observed) observed.add_column(full.column(variable.name));
  return observed;
}

}  // namespace casebook

#include "simulate/simulation_size.hpp"

#include <algorithm>

namespace casebook {

double simulation_bytes(const SimulationSpec& spec, std::size_t n) {
  const double rows = static_cast<double>(n) * static_cast<double>(std::max<std::size_t>(spec.periods, 1));
  return rows * static_cast<double>(spec.variables.size()) * sizeof(double);
}

}  // namespace casebook

#pragma once
// How much memory a simulation takes, so a command can refuse a sample it cannot hold up front.
#include <cstddef>

#include "simulate/structural_model.hpp"

namespace casebook {

// Bytes of one simulated table of n units: rows (n, or n × periods in a panel) × variables doubles.
double simulation_bytes(const SimulationSpec& spec, std::size_t n);

}  // namespace casebook

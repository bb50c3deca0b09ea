// The memory a simulation takes (simulate/simulation_size.hpp), for refusing a sample up front.
#include <gtest/gtest.h>

#include "simulate/simulation_size.hpp"

namespace casebook {
namespace {

TEST(SimulationSize, RowsTimesVariablesDoublesAndPanelsCountPeriods) {
  SimulationSpec spec;
  spec.variables.resize(11);
  EXPECT_DOUBLE_EQ(simulation_bytes(spec, 1000), 1000.0 * 11 * 8);
  spec.periods = 30;
  EXPECT_DOUBLE_EQ(simulation_bytes(spec, 1000), 1000.0 * 30 * 11 * 8);
}

}  // namespace
}  // namespace casebook

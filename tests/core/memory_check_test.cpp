// Refusing up front what cannot fit in memory (core/memory_check.hpp).
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.hpp"
#include "core/memory_check.hpp"

namespace casebook {
namespace {

MemoryBudget machine(double bytes) { return {bytes, MemoryBudget::Limit::machine}; }

TEST(MemoryCheck, RefusesWhatExceedsTheAvailableMemoryInOneLine) {
  EXPECT_NO_THROW(require_memory(1e9, machine(2e9), "job", "how", "advice"));
  EXPECT_NO_THROW(require_memory(1e12, std::nullopt, "job", "how", "advice"));  // unknown: no refusal
  try {
    require_memory(64e9, machine(24e9), "case 'x' with n = 100000000", "four tables of 20 variables",
                   "give a smaller --n");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(
        message,
        "case 'x' with n = 100000000 needs about 64 GB (four tables of 20 variables), but this machine has "
        "24 GB available; give a smaller --n");
  }
}

TEST(MemoryCheck, TheMachineReportsWhatItHasAvailable) {
  const auto budget = memory_budget();
  ASSERT_TRUE(budget.has_value()) << "no MemAvailable in /proc/meminfo";
  EXPECT_GT(budget->bytes, 1e6);
}

// Under `ulimit -v` the machine may have 24 GB free while the process can map only a few: the
// tightest limit is the one that holds, and the message names it.
TEST(MemoryCheck, TheTightestOfMachineAddressSpaceAndCgroupHolds) {
  EXPECT_FALSE(tightest_budget(std::nullopt, std::nullopt, std::nullopt).has_value());
  const auto address_space = tightest_budget(24e9, 7.9e9, std::nullopt);
  ASSERT_TRUE(address_space.has_value());
  EXPECT_EQ(address_space->limit, MemoryBudget::Limit::address_space);
  EXPECT_EQ(address_space->description(), "the address-space limit (ulimit -v) leaves 7.9 GB");
  const auto cgroup = tightest_budget(24e9, 7.9e9, 3e9);
  ASSERT_TRUE(cgroup.has_value());
  EXPECT_EQ(cgroup->description(), "the container's memory limit (cgroup memory.max) leaves 3 GB");
  EXPECT_EQ(tightest_budget(2e9, 7.9e9, 3e9)->limit, MemoryBudget::Limit::machine);
  try {
    require_memory(16e9, address_space, "simulating case 'x' with n = 100000000",
                   "two tables of 10 variables", "give a smaller --n");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "simulating case 'x' with n = 100000000 needs about 16 GB (two tables of 10 variables), but the "
        "address-space limit (ulimit -v) leaves 7.9 GB; give a smaller --n");
  }
}

}  // namespace
}  // namespace casebook

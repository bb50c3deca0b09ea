// Refusing up front what cannot fit in memory (core/memory_check.hpp).
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.hpp"
#include "core/memory_check.hpp"

namespace casebook {
namespace {

TEST(MemoryCheck, RefusesWhatExceedsTheAvailableMemoryInOneLine) {
  EXPECT_NO_THROW(require_memory(1e9, 2e9, "job", "how", "advice"));
  EXPECT_NO_THROW(require_memory(1e12, std::nullopt, "job", "how", "advice"));  // unknown: no refusal
  try {
    require_memory(64e9, 24e9, "case 'x' with n = 100000000", "four tables of 20 variables",
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
  const auto available = available_memory_bytes();
  ASSERT_TRUE(available.has_value()) << "no MemAvailable in /proc/meminfo";
  EXPECT_GT(*available, 1e6);
}

}  // namespace
}  // namespace casebook

#pragma once
// Refusing up front a job that cannot fit in memory, rather than failing with std::bad_alloc (or
// being killed) half a minute in.
#include <optional>
#include <string>

namespace casebook {

// What the process may still allocate, and the limit that sets it (for the message).
struct MemoryBudget {
  double bytes = 0;
  // Completes "but …": "this machine has 24 GB available",
  // "the address-space limit (ulimit -v) leaves 7.9 GB".
  std::string description() const;
  enum class Limit { machine, address_space, cgroup } limit = Limit::machine;
};

// The tightest of the three limits a process meets, each where known: the memory the system can
// still give (/proc/meminfo's MemAvailable), what the address-space limit (ulimit -v,
// RLIMIT_AS) leaves beyond the process's present size, and what its cgroup's memory.max leaves
// beyond the cgroup's usage. None where none is known.
std::optional<MemoryBudget> memory_budget();
std::optional<MemoryBudget> tightest_budget(std::optional<double> machine_available,
                                            std::optional<double> address_space_left,
                                            std::optional<double> cgroup_left);

// Throws InputError "<what> needs about X GB (<how>), but <budget.description()>; <advice>" when
// `needed` exceeds the budget. With no budget known, does nothing.
void require_memory(double needed, const std::optional<MemoryBudget>& budget, const std::string& what,
                    const std::string& how, const std::string& advice);

}  // namespace casebook

#include "core/memory_check.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

constexpr double kGigabyte = 1e9;

std::optional<double> machine_available() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    std::istringstream fields(line);
    std::string key;
    double kilobytes = 0;
    if (fields >> key >> kilobytes && key == "MemAvailable:") return kilobytes * 1024;
  }
  return std::nullopt;
}

// RLIMIT_AS counts the address space already mapped (code, thread stacks, the heap), so what is
// left is the limit less the present size (/proc/self/statm's first field, in pages).
std::optional<double> address_space_left() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  double pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  const double used = pages * static_cast<double>(::sysconf(_SC_PAGESIZE));
  return std::max(0.0, static_cast<double>(limit.rlim_cur) - used);
}

// cgroup v2: the container's memory.max ("max" when unlimited) less its memory.current.
std::optional<double> cgroup_left() {
  std::ifstream max_file("/sys/fs/cgroup/memory.max"), current_file("/sys/fs/cgroup/memory.current");
  std::string max_text;
  double current = 0;
  if (!(max_file >> max_text) || max_text == "max" || !(current_file >> current)) return std::nullopt;
  try {
    return std::max(0.0, std::stod(max_text) - current);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string MemoryBudget::description() const {
  switch (limit) {
    case Limit::address_space:
      return fmt::format("the address-space limit (ulimit -v) leaves {:.3g} GB", bytes / kGigabyte);
    case Limit::cgroup:
      return fmt::format("the container's memory limit (cgroup memory.max) leaves {:.3g} GB",
                         bytes / kGigabyte);
    case Limit::machine:
      break;
  }
  return fmt::format("this machine has {:.3g} GB available", bytes / kGigabyte);
}

std::optional<MemoryBudget> tightest_budget(std::optional<double> machine,
                                            std::optional<double> address_space,
                                            std::optional<double> cgroup) {
  std::optional<MemoryBudget> tightest;
  const auto consider = [&](std::optional<double> bytes, MemoryBudget::Limit limit) {
    if (bytes && (!tightest || *bytes < tightest->bytes)) tightest = MemoryBudget{*bytes, limit};
  };
  consider(machine, MemoryBudget::Limit::machine);
  consider(address_space, MemoryBudget::Limit::address_space);
  consider(cgroup, MemoryBudget::Limit::cgroup);
  return tightest;
}

std::optional<MemoryBudget> memory_budget() {
  return tightest_budget(machine_available(), address_space_left(), cgroup_left());
}

void require_memory(double needed, const std::optional<MemoryBudget>& budget, const std::string& what,
                    const std::string& how, const std::string& advice) {
  if (!budget || needed <= budget->bytes) return;
  throw InputError(fmt::format("{} needs about {:.3g} GB ({}), but {}; {}", what, needed / kGigabyte, how,
                               budget->description(), advice));
}

}  // namespace casebook

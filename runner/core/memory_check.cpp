#include "core/memory_check.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

std::optional<double> available_memory_bytes() {
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

void require_memory(double needed, std::optional<double> available, const std::string& what,
                    const std::string& how, const std::string& advice) {
  if (!available || needed <= *available) return;
  constexpr double kGigabyte = 1e9;
  throw InputError(fmt::format("{} needs about {:.3g} GB ({}), but this machine has {:.3g} GB available; {}",
                               what, needed / kGigabyte, how, *available / kGigabyte, advice));
}

}  // namespace casebook

#pragma once
// Refusing up front a job that cannot fit in memory, rather than failing with std::bad_alloc (or
// being killed) half a minute in.
#include <cstdint>
#include <optional>
#include <string>

namespace casebook {

// The memory the system can still give, from /proc/meminfo's MemAvailable; none where unknown.
std::optional<double> available_memory_bytes();

// Throws InputError "<what> needs about X GB (<how>), but this machine has Y GB available; <advice>"
// when `needed` exceeds `available`. With no figure for `available`, does nothing.
void require_memory(double needed, std::optional<double> available, const std::string& what,
                    const std::string& how, const std::string& advice);

}  // namespace casebook

#include <array>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoleNames = {{
    {Role::covariate, "covariate"},
    {Role::treatment, "treatment"},
    {Role::instrument, "instrument"},
    {Role::outcome, "outcome"},
    {Role::cluster, "cluster"},
    {Role::time, "time"},
    {Role::latent, "latent"},
    {Role::other, "other"},
}};

}  // namespace

std::string to_string(Role role) {
  for (const auto& [value, name] : kRoleNames)
    if (value == role) return std::string(name);
  return "unknown";
}

Role role_from_string(const std::string& name, const std::string& where) {
  for (const auto& [value, known] : kRoleNames)
    if (known == name) return value;
  std::vector<std::string_view> names;
  for (const auto& entry : kRoleNames) names.push_back(entry.second);
  throw InputError(where, fmt::format("unknown role '{}' (known: {})", name, fmt::join(names, ", ")));
}

Level level_from_string(const std::string& name, const std::string& where) {
  if (name == "unit") return Level::unit;
  if (name == "unit-period") return Level::unit_period;
  throw InputError(where, fmt::format("unknown level '{}' (known: unit, unit-period)", name));
}

}  // namespace casebook

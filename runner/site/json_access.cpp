#include "site/json_access.hpp"

#include <optional>

namespace casebook::site {
namespace {

// A key as a JSON pointer token (RFC 6901).
std::string escaped(const std::string& key) {
  std::string out;
  for (const char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// The pointer of `target` inside `value` (depth first), or nullopt when it is not there.
std::optional<std::string> pointer_to(const nlohmann::json& value, const nlohmann::json* target,
                                      const std::string& path) {
  if (&value == target) return path;
  if (value.is_object()) {
    for (const auto& [key, member] : value.items())
      if (auto found = pointer_to(member, target, path + "/" + escaped(key))) return found;
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      if (auto found = pointer_to(value[i], target, path + "/" + std::to_string(i))) return found;
  }
  return std::nullopt;
}

}  // namespace

MissingResultKey::MissingResultKey(const nlohmann::json& where, std::string_view missing)
    : std::runtime_error("results: missing required key '" + std::string(missing) + "'"),
      object(&where),
      key(missing) {}

const nlohmann::json& required(const nlohmann::json& object, std::string_view key) {
  if (object.is_object()) {
    const auto found = object.find(key);
    if (found != object.end()) return *found;
  }
  throw MissingResultKey(object, key);
}

const nlohmann::json& optional(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json missing;
  if (!object.is_object()) return missing;
  const auto found = object.find(key);
  return found == object.end() ? missing : *found;
}

std::string missing_key_path(const nlohmann::json& document, const MissingResultKey& missing) {
  return pointer_to(document, missing.object, "").value_or("?") + "/" + escaped(missing.key);
}

}  // namespace casebook::site

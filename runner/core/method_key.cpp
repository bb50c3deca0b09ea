#include "core/method_key.hpp"

#include <cctype>

namespace casebook {

std::string method_key(std::string_view name) {
  std::string key;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    key += (c == ' ' || c == '_') ? '-' : static_cast<char>(std::tolower(u));
  }
  return key;
}

}  // namespace casebook

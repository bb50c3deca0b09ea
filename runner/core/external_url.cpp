#include "core/external_url.hpp"

#include <algorithm>
#include <cctype>

namespace casebook {

bool is_safe_external_url(std::string_view url) {
  // Browsers ignore leading spaces and control characters in a scheme, so none are allowed.
  const auto starts_with = [&](std::string_view prefix) {
    return url.size() > prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), url.begin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
  };
  const bool printable = std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>';
  });
  return printable && (starts_with("https://") || starts_with("http://") || starts_with("mailto:"));
}

}  // namespace casebook

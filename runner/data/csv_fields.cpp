#include "data/csv_fields.hpp"

#include <charconv>
#include <system_error>

namespace casebook {

bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank_char(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank_char(s.back())) s.remove_suffix(1);
  return s;
}

bool is_missing_token(std::string_view s) { return s.empty() || s == "NA" || s == "NaN" || s == "nan"; }

NumberParse parse_number(std::string_view text, double& value) {
  std::string_view s = trim_blanks(text);
  if (s.size() >= 2 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  if (s.empty()) return NumberParse::not_a_number;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value, std::chars_format::general);
  if (ptr != end) return NumberParse::not_a_number;
  if (ec == std::errc::result_out_of_range) return NumberParse::out_of_range;
  if (ec != std::errc{}) return NumberParse::not_a_number;
  return NumberParse::ok;
}

bool parse_boolean(std::string_view text, double& value) {
  const std::string_view s = trim_blanks(text);
  if (s == "TRUE" || s == "true" || s == "True") {
    value = 1.0;
    return true;
  }
  if (s == "FALSE" || s == "false" || s == "False") {
    value = 0.0;
    return true;
  }
  return false;
}

}  // namespace casebook

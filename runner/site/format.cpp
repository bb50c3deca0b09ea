#include "site/format.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace casebook::site {
namespace {

// "2.100" -> "2.1", "3.000" -> "3"; leaves numbers without a decimal point alone.
std::string trim_trailing_zeros(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string format_number(double x, int significant_digits) {
  if (std::isnan(x)) return kMissing;
  if (std::isinf(x)) return x > 0 ? "\u221e" : "-\u221e";
  if (x == 0) return "0";  // also turns -0 into 0
  const double magnitude = std::abs(x);
  // Plain decimals between 1e-4 and 1e9 read better than scientific notation; large numbers
  // keep all their integer digits (an n of 123456 is not "1.235e+05").
  if (magnitude >= 1e-4 && magnitude < 1e9) {
    const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
    const int decimals = std::max(0, significant_digits - 1 - exponent);
    std::string text = trim_trailing_zeros(fmt::format("{:.{}f}", x, decimals));
    return text == "-0" ? "0" : text;
  }
  std::string text = fmt::format("{:.{}e}", x, std::max(0, significant_digits - 1));
  // Trim zeros of the mantissa only: "1.200e-05" -> "1.2e-05".
  const auto e = text.find('e');
  return fmt::format("{}{}", trim_trailing_zeros(text.substr(0, e)), text.substr(e));
}

std::string format_p_value(double p) { return p >= 0 && p < 1e-16 ? "< 1e-16" : format_number(p); }

std::string format_value(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return kMissing;
    case nlohmann::json::value_t::number_integer:
      return fmt::format("{}", value.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return fmt::format("{}", value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return format_number(value.get<double>());
    case nlohmann::json::value_t::string:
      return value.get<std::string>();
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    default:
      return value.dump();
  }
}

std::string format_interval(const nlohmann::json& low, const nlohmann::json& high) {
  if (!low.is_number() || !high.is_number()) return kMissing;
  // fmt rather than operator+: GCC 12 at -O3 warns falsely (-Wrestrict) on "[" + std::string.
  return fmt::format("[{}, {}]", format_value(low), format_value(high));
}

}  // namespace casebook::site

#pragma once
// How numbers and result values read on the site: a few significant digits, no noise digits,
// and a dash where a value does not exist.
#include <string>

#include <nlohmann/json.hpp>

namespace casebook::site {

inline constexpr int kSignificantDigits = 4;

// 2.0512 -> "2.051", 0.000012345 -> "1.234e-05", 123456.7 -> "123457", 100000 -> "100000".
std::string format_number(double x, int significant_digits = kSignificantDigits);

// A p-value: "< 1e-16" below what a double's rounding can tell from 0, else as format_number.
std::string format_p_value(double p);

// A results value as text: numbers through format_number (integers exactly), strings as they
// are, null or missing as an em dash.
std::string format_value(const nlohmann::json& value);

// "[low, high]", or an em dash when either end is missing.
std::string format_interval(const nlohmann::json& low, const nlohmann::json& high);

// The text shown where a value does not exist.
inline const std::string kMissing = "\u2014";

}  // namespace casebook::site

#include "core/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_whole(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string describe_type(const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::text:
      return "a text";
    case OptionType::column:
      return "a column name";
    case OptionType::columns:
      return "column names separated by commas";
    case OptionType::choice:
      return fmt::format("one of {}", fmt::join(spec.choices, ", "));
    case OptionType::whole:
      return "a whole number";
    case OptionType::count:
      return "a whole number of at least 0";
    case OptionType::positive:
      return fmt::format("a whole number of at least 1 (at most {})", kMaxCount);
    case OptionType::number:
      return "a number";
    case OptionType::share:
      return "a number strictly between 0 and 1";
    case OptionType::boolean:
      return "true or false";
  }
  return "a text";
}

const OptionSpec* find_option(const std::vector<OptionSpec>& specs, std::string_view name) {
  for (const auto& spec : specs)
    if (spec.name == name) return &spec;
  return nullptr;
}

std::string unknown_option_message(std::string_view owner, const std::vector<OptionSpec>& specs,
                                   std::string_view name) {
  std::vector<std::string> known;
  for (const auto& spec : specs) known.push_back(spec.name);
  return fmt::format(
      "{}: option '{}' is not known ({})", owner, name,
      known.empty() ? std::string("it takes no options") : fmt::format("known: {}", fmt::join(known, ", ")));
}

std::optional<std::string> option_value_problem(const OptionSpec& spec, std::string_view value) {
  bool ok = true;
  switch (spec.type) {
    case OptionType::text:
      break;
    case OptionType::column:
      ok = !trimmed(value).empty();
      break;
    case OptionType::columns: {
      ok = !trimmed(value).empty();
      for (std::size_t start = 0; ok && start <= value.size();) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        ok = !trimmed(value.substr(start, comma - start)).empty();
        start = comma + 1;
      }
      break;
    }
    case OptionType::choice:
      ok = std::find(spec.choices.begin(), spec.choices.end(), value) != spec.choices.end();
      break;
    case OptionType::whole:
      ok = parse_whole(value).has_value();
      break;
    case OptionType::count:
      ok = parse_whole(value).value_or(-1) >= 0;
      break;
    case OptionType::positive: {
      const auto n = parse_whole(value).value_or(0);
      ok = n >= 1 && n <= static_cast<std::int64_t>(kMaxCount);
      break;
    }
    case OptionType::number:
      ok = parse_number(value).has_value();
      break;
    case OptionType::share: {
      const auto x = parse_number(value);
      ok = x && *x > 0 && *x < 1;
      break;
    }
    case OptionType::boolean:
      ok = value == "true" || value == "false";
      break;
  }
  if (ok) return std::nullopt;
  return fmt::format("option '{}' must be {}, got '{}'", spec.name, describe_type(spec), value);
}

void check_options(std::string_view owner, const std::vector<OptionSpec>& specs,
                   const std::map<std::string, std::string>& given) {
  for (const auto& [name, value] : given) {
    const OptionSpec* spec = find_option(specs, name);
    if (!spec) throw InputError(unknown_option_message(owner, specs, name));
    if (auto problem = option_value_problem(*spec, value))
      throw InputError(fmt::format("{}: {}", owner, *problem));
  }
}

OptionValues::OptionValues(std::string owner, const std::vector<OptionSpec>& specs,
                           const std::map<std::string, std::string>& given)
    : owner_(std::move(owner)), specs_(specs), given_(given) {
  check_options(owner_, specs_, given_);
}

const OptionSpec& OptionValues::spec(std::string_view name) const {
  const OptionSpec* spec = find_option(specs_, name);
  if (!spec) throw std::logic_error(fmt::format("{} reads option '{}' without declaring it", owner_, name));
  return *spec;
}

bool OptionValues::declares(std::string_view name) const { return find_option(specs_, name) != nullptr; }

bool OptionValues::given(std::string_view name) const {
  spec(name);
  return given_.count(std::string(name)) > 0;
}

bool OptionValues::has(std::string_view name) const {
  return given(name) || !spec(name).default_value.empty();
}

std::string OptionValues::raw(std::string_view name) const {
  if (const auto it = given_.find(std::string(name)); it != given_.end()) return it->second;
  return spec(name).default_value;
}

std::string OptionValues::text(std::string_view name) const {
  spec(name);
  return raw(name);
}

std::vector<std::string> OptionValues::list(std::string_view name) const {
  std::vector<std::string> out;
  const std::string all = text(name);
  if (trimmed(all).empty()) return out;
  for (std::size_t start = 0; start <= all.size();) {
    const std::size_t comma = std::min(all.find(',', start), all.size());
    out.emplace_back(trimmed(std::string_view(all).substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

double OptionValues::number(std::string_view name) const {
  const auto value = parse_number(raw(name));
  if (!value) throw std::logic_error(fmt::format("{}: option '{}' has no number", owner_, name));
  return *value;
}

std::int64_t OptionValues::whole(std::string_view name) const {
  const auto value = parse_whole(raw(name));
  if (!value) throw std::logic_error(fmt::format("{}: option '{}' has no whole number", owner_, name));
  return *value;
}

std::size_t OptionValues::count(std::string_view name) const {
  const std::int64_t value = whole(name);
  if (value < 0) throw std::logic_error(fmt::format("{}: option '{}' is negative", owner_, name));
  return static_cast<std::size_t>(value);
}

bool OptionValues::flag(std::string_view name) const { return raw(name) == "true"; }

std::string OptionValues::column_with_role(ColumnRole role) const {
  for (const auto& spec : specs_)
    if (spec.type == OptionType::column && spec.role == role) return raw(spec.name);
  return "";
}

}  // namespace casebook

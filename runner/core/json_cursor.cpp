#include "core/json_cursor.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

nlohmann::json parse_json_file_text(const std::string& text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into a line and column a person can find.
    std::size_t line = 1, column = 1;
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    const bool truncated = e.byte >= text.size();
    throw InputError(file, fmt::format("line {} column {}: {}", line, column,
                                       truncated ? "malformed JSON: the file ends too early (truncated?)"
                                                 : "malformed JSON"));
  }
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json_file_text(text.str(), path);
}

std::string json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

JsonCursor::JsonCursor(const nlohmann::json& value, std::string file, std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {}

std::string JsonCursor::where() const { return path_.empty() ? file_ : file_ + ": " + path_; }

void JsonCursor::fail(const std::string& what) const { throw InputError(where(), what); }

void JsonCursor::expect_object() const {
  if (!value_->is_object()) fail("expected an object, got " + json_type_name(*value_));
}

bool JsonCursor::has(std::string_view key) const { return value_->is_object() && value_->contains(key); }

std::optional<JsonCursor> JsonCursor::find(std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return JsonCursor(*it, file_, path_.empty() ? std::string(key) : path_ + "." + std::string(key));
}

JsonCursor JsonCursor::at(std::string_view key) const {
  auto found = find(key);
  if (!found) fail(fmt::format("missing required field '{}'", key));
  return *found;
}

std::vector<JsonCursor> JsonCursor::items() const {
  if (!value_->is_array()) fail("expected an array, got " + json_type_name(*value_));
  std::vector<JsonCursor> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i)
    out.emplace_back((*value_)[i], file_, fmt::format("{}[{}]", path_, i));
  return out;
}

std::string JsonCursor::string() const {
  if (!value_->is_string()) fail("expected a string, got " + json_type_name(*value_));
  return value_->get<std::string>();
}

double JsonCursor::number() const {
  if (!value_->is_number()) fail("expected a number, got " + json_type_name(*value_));
  const double x = value_->get<double>();
  if (!std::isfinite(x)) fail("expected a finite number");
  return x;
}

std::uint64_t JsonCursor::unsigned_integer() const {
  if (value_->is_number_unsigned()) return value_->get<std::uint64_t>();
  if (value_->is_number_integer()) {
    if (value_->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(value_->get<std::int64_t>());
    fail("expected a non-negative whole number, got " + value_->dump());
  }
  if (value_->is_number_float()) {
    const double x = value_->get<double>();
    if (x >= 0 && x == std::floor(x) && x < 1.8e19) return static_cast<std::uint64_t>(x);
    fail("expected a non-negative whole number, got " + value_->dump());
  }
  fail("expected a non-negative whole number, got " + json_type_name(*value_));
}

bool JsonCursor::boolean() const {
  if (!value_->is_boolean()) fail("expected true or false, got " + json_type_name(*value_));
  return value_->get<bool>();
}

std::vector<std::string> JsonCursor::strings() const {
  std::vector<std::string> out;
  for (const auto& item : items()) out.push_back(item.string());
  return out;
}

void JsonCursor::allow_only(std::initializer_list<std::string_view> known) const {
  expect_object();
  for (const auto& [key, _] : value_->items()) {
    bool ok = false;
    for (auto k : known) ok = ok || k == key;
    if (!ok) {
      std::vector<std::string> names(known.begin(), known.end());
      fail(fmt::format("unknown field '{}' (known: {})", key, fmt::join(names, ", ")));
    }
  }
}

}  // namespace casebook

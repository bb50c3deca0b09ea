#pragma once
// Reading a JSON document field by field, so that every error names the file and the field:
// "cases/x/case.json: analyses[2].covariates[0]: expected a string, got a number".
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace casebook {

// Parses text; malformed or truncated JSON is an InputError naming the file, line and column.
nlohmann::json parse_json_file_text(const std::string& text, const std::string& file);
nlohmann::json read_json_file(const std::string& path);

class JsonCursor {
 public:
  JsonCursor(const nlohmann::json& value, std::string file, std::string path = "");

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }
  std::string where() const;  // "file: path" (or just the file at the root)

  JsonCursor at(std::string_view key) const;  // a required field
  std::optional<JsonCursor> find(std::string_view key) const;
  bool has(std::string_view key) const;
  std::vector<JsonCursor> items() const;  // the elements of an array

  std::string string() const;
  double number() const;
  std::uint64_t unsigned_integer() const;
  bool boolean() const;
  std::vector<std::string> strings() const;  // an array of strings
  void expect_object() const;

  // Every key of this object must be one of `known`; a typo is an error that lists them.
  void allow_only(std::initializer_list<std::string_view> known) const;

  [[noreturn]] void fail(const std::string& what) const;

 private:
  const nlohmann::json* value_;
  std::string file_;
  std::string path_;
};

std::string json_type_name(const nlohmann::json& value);

}  // namespace casebook

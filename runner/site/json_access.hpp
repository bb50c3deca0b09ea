#pragma once
// Reading the results document (templates/results.schema.json). A key the schema requires is read
// with `required`, which throws MissingResultKey when it is absent: a runner and a site out of step
// fail loudly, naming the key, instead of showing dashes. A key the schema marks optional is read
// with `optional`, null when absent. Types are the schema's business (tests/cases validates every
// case's results against it); the text helpers read a value of another type as "".
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace casebook::site {

class MissingResultKey : public std::runtime_error {
 public:
  MissingResultKey(const nlohmann::json& object, std::string_view key);
  const nlohmann::json* object;  // where the key was expected
  std::string key;
};

const nlohmann::json& required(const nlohmann::json& object, std::string_view key);
const nlohmann::json& optional(const nlohmann::json& object, std::string_view key);

// The JSON pointer of the missing key within `document` ("/analyses/2/ci_low"), for messages.
std::string missing_key_path(const nlohmann::json& document, const MissingResultKey& missing);

// A required member as text ("" when it is not a string, e.g. null).
inline std::string required_text(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json& value = required(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

// An optional member as text, else `fallback`.
inline std::string optional_text(const nlohmann::json& object, std::string_view key,
                                 const std::string& fallback = "") {
  const nlohmann::json& value = optional(object, key);
  return value.is_string() ? value.get<std::string>() : fallback;
}

// A required member that is an array (an empty one when it is null).
inline const nlohmann::json& required_array(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json& value = required(object, key);
  return value.is_array() ? value : empty;
}

// A text in languages, {"en": …, "ko": …}, in `lang`, falling back to English; a plain string
// serves both.
inline std::string localized_text(const nlohmann::json& value, std::string_view lang) {
  if (value.is_string()) return value.get<std::string>();
  const std::string text = lang == "en" ? "" : optional_text(value, lang);
  return text.empty() ? required_text(value, "en") : text;
}

// A claim's text in `lang`: the results document's "text", or its "text_ko" on Korean pages.
inline std::string claim_text(const nlohmann::json& claim, std::string_view lang) {
  const std::string korean = lang == "ko" ? optional_text(claim, "text_ko") : "";
  return korean.empty() ? required_text(claim, "text") : korean;
}

// An analysis's label in `lang` (results "label", or "label_ko" on Korean pages).
inline std::string analysis_label_text(const nlohmann::json& analysis, std::string_view lang) {
  const std::string korean = lang == "ko" ? optional_text(analysis, "label_ko") : "";
  return korean.empty() ? required_text(analysis, "label") : korean;
}

}  // namespace casebook::site

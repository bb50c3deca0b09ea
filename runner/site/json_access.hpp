#pragma once
// Reading documents the site did not write itself: a missing member reads as null, so a
// results file from an older runner shows dashes instead of stopping the whole site.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace casebook::site {

inline const nlohmann::json& member(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json missing;
  if (!object.is_object()) return missing;
  const auto found = object.find(key);
  return found == object.end() ? missing : *found;
}

// The member as text when it is a string, else `fallback`.
inline std::string text_member(const nlohmann::json& object, std::string_view key,
                               const std::string& fallback = "") {
  const nlohmann::json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : fallback;
}

// A text that may come in languages: "text" as it is, or {"en": …, "ko": …} in `lang`, falling
// back to English; anything else is "".
inline std::string localized_text(const nlohmann::json& value, std::string_view lang) {
  if (value.is_string()) return value.get<std::string>();
  const std::string text = text_member(value, lang);
  return text.empty() ? text_member(value, "en") : text;
}

// A claim's text in `lang`: the results document's "text", or its "text_ko" on Korean pages.
inline std::string claim_text(const nlohmann::json& claim, std::string_view lang) {
  const std::string korean = lang == "ko" ? text_member(claim, "text_ko") : "";
  return korean.empty() ? text_member(claim, "text") : korean;
}

// An analysis's label in `lang` (results "label", or "label_ko" on Korean pages), else its id.
inline std::string analysis_label_text(const nlohmann::json& analysis, std::string_view lang) {
  const std::string korean = lang == "ko" ? text_member(analysis, "label_ko") : "";
  if (!korean.empty()) return korean;
  return text_member(analysis, "label", text_member(analysis, "id"));
}

// The member when it is an array, else an empty array.
inline const nlohmann::json& array_member(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json& value = member(object, key);
  return value.is_array() ? value : empty;
}

}  // namespace casebook::site

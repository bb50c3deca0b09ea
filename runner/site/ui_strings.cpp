#include "site/ui_strings.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/input_error.hpp"

namespace casebook::site {

UiStrings UiStrings::load(const std::filesystem::path& file) {
  UiStrings strings;
  strings.file_ = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(strings.file_, "cannot read the theme's interface strings");
  const nlohmann::json document = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.contains("en")) {
    throw InputError(strings.file_, "expected a JSON object with a language object per code, e.g. \"en\"");
  }
  for (const auto& [lang, texts] : document.items()) {
    if (!texts.is_object()) throw InputError(strings.file_, lang + ": expected an object of strings");
    auto& target = strings.by_language_[lang];
    for (const auto& [key, text] : texts.items()) {
      if (!text.is_string()) throw InputError(strings.file_, lang + "." + key + ": expected a string");
      target[key] = text.get<std::string>();
    }
  }
  const auto& english = strings.by_language_.at("en");
  for (const auto& [lang, texts] : strings.by_language_) {
    for (const auto& [key, text] : english) {
      if (!texts.contains(key))
        throw InputError(strings.file_, lang + "." + key + ": missing (\"en\" has it)");
    }
  }
  return strings;
}

const std::string& UiStrings::get(std::string_view lang, std::string_view key) const {
  const auto language = by_language_.find(lang);
  if (language == by_language_.end()) {
    throw InputError(file_, "no strings for language \"" + std::string(lang) + "\"");
  }
  const auto text = language->second.find(key);
  if (text == language->second.end()) {
    throw InputError(file_, std::string(lang) + "." + std::string(key) + ": missing");
  }
  return text->second;
}

mstch::map UiStrings::as_map(std::string_view lang) const {
  mstch::map map;
  const auto language = by_language_.find(lang);
  if (language == by_language_.end()) {
    throw InputError(file_, "no strings for language \"" + std::string(lang) + "\"");
  }
  for (const auto& [key, text] : language->second) map.emplace(key, text);
  return map;
}

std::string fill(std::string pattern, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string token = "{" + name + "}";
    for (auto at = pattern.find(token); at != std::string::npos;
         at = pattern.find(token, at + value.size())) {
      pattern.replace(at, token.size(), value);
    }
  }
  return pattern;
}

}  // namespace casebook::site

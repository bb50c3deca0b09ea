#pragma once
// The words of the site's interface in each language, from the theme's strings.json, so
// translators edit text without touching C++ or the templates' structure.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <mstch/mstch.hpp>

namespace casebook::site {

class UiStrings {
 public:
  // Reads {"en": {"key": "text", …}, "ko": {…}}. Every language must have the same keys as
  // "en", so no page silently shows an empty label. Errors name the file and the key.
  static UiStrings load(const std::filesystem::path& file);

  // The text of `key` in `lang`; InputError naming the file when it does not exist.
  const std::string& get(std::string_view lang, std::string_view key) const;
  // All of a language's strings, for templates ({{t.key}}).
  mstch::map as_map(std::string_view lang) const;

 private:
  std::string file_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> by_language_;
};

// Replaces each "{name}" in `pattern` by its value: "{passed}/{total} claims pass".
std::string fill(std::string pattern, const std::map<std::string, std::string>& values);

}  // namespace casebook::site

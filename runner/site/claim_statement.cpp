#include "site/claim_statement.hpp"

#include <map>

#include "site/format.hpp"
#include "site/json_access.hpp"

namespace casebook::site {

std::string statement_text(const nlohmann::json& statement, const UiStrings& strings, std::string_view lang) {
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : required(statement, "numbers").items()) values[name] = format_value(value);
  for (const auto& [name, value] : required(statement, "names").items()) values[name] = format_value(value);
  const auto say = [&](const std::string& phrase) {
    return fill(strings.get(lang, "expect_" + phrase), values);
  };
  // Phrases are filled after the plain values, so one phrase can use them ("{truth} (truth of …)").
  std::map<std::string, std::string> phrases;
  for (const auto& [name, phrase] : required(statement, "phrases").items())
    phrases[name] = say(format_value(phrase));
  for (const auto& [name, text] : phrases) values[name] = text;
  return say(required_text(statement, "phrase"));
}

}  // namespace casebook::site

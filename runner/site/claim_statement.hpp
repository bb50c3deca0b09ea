#pragma once
// What a claim expects, in the page's language: the results document's claim "statement"
// (templates/results.schema.json) worded from site/strings.json, so a Korean page does not show
// the runner's English "expected".
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "site/ui_strings.hpp"

namespace casebook::site {

// The pattern "expect_<phrase>" in `lang`, its {placeholders} filled with the statement's numbers
// (formatted as everywhere on the site), names (as written) and phrases (their own patterns,
// filled with the same numbers and names).
std::string statement_text(const nlohmann::json& statement, const UiStrings& strings, std::string_view lang);

}  // namespace casebook::site

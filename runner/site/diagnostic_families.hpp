#pragma once
// Diagnostics that belong to a declared family (coef_{period}, se_{period}; blp_{term}, blp_{term}_se;
// mean_{cell}, n_{cell}) laid out as tables instead of key lists: one table per placeholder, a row
// per placeholder value (in numeric order when every value is a number: -9 … -2, 0 … 8) and a
// column per pattern. The results document names each member's family ("diagnostic_kinds").
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace casebook::site {

struct FamilyTable {
  std::string placeholder;           // "period"
  std::vector<std::string> columns;  // "coef", "se": the patterns without the placeholder
  struct Row {
    std::string key;                    // "-2"
    std::vector<nlohmann::json> cells;  // one per column; null where the member is absent
  };
  std::vector<Row> rows;
};

// `diagnostics`: name → value; `kinds`: name → "family:<pattern>" (others are ignored).
std::vector<FamilyTable> family_tables(const nlohmann::json& diagnostics, const nlohmann::json& kinds);

}  // namespace casebook::site

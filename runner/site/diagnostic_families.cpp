#include "site/diagnostic_families.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace casebook::site {
namespace {

struct Pattern {
  std::string prefix, placeholder, suffix;
};

Pattern split(const std::string& pattern) {
  const std::size_t open = pattern.find('{'), close = pattern.find('}', open);
  return {pattern.substr(0, open), pattern.substr(open + 1, close - open - 1), pattern.substr(close + 1)};
}

// "coef_" + "" -> "coef"; "blp_" + "_se" -> "blp_se"; "cate_q" + "_effect" -> "cate_q_effect".
std::string column_label(const Pattern& p) {
  std::string label = p.prefix + p.suffix;
  for (std::size_t at; (at = label.find("__")) != std::string::npos;) label.erase(at, 1);
  while (!label.empty() && label.front() == '_') label.erase(label.begin());
  while (!label.empty() && label.back() == '_') label.pop_back();
  return label.empty() ? p.placeholder : label;
}

bool as_number(const std::string& text, double& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} && end == text.data() + text.size();
}

}  // namespace

std::vector<FamilyTable> family_tables(const nlohmann::json& diagnostics, const nlohmann::json& kinds) {
  // placeholder → (column labels in first-seen order, key → column → value)
  struct Group {
    std::vector<std::string> columns;
    std::map<std::string, std::map<std::string, nlohmann::json>> cells;
  };
  std::map<std::string, Group> groups;
  if (!kinds.is_object()) return {};
  for (const auto& [name, value] : diagnostics.items()) {
    const auto kind = kinds.find(name);
    if (kind == kinds.end() || !kind->is_string()) continue;
    const std::string text = kind->get<std::string>();
    if (!text.starts_with("family:")) continue;
    const Pattern p = split(text.substr(7));
    if (name.size() <= p.prefix.size() + p.suffix.size()) continue;
    const std::string key = name.substr(p.prefix.size(), name.size() - p.prefix.size() - p.suffix.size());
    Group& group = groups[p.placeholder];
    const std::string column = column_label(p);
    if (std::find(group.columns.begin(), group.columns.end(), column) == group.columns.end())
      group.columns.push_back(column);
    group.cells[key][column] = value;
  }
  std::vector<FamilyTable> tables;
  for (auto& [placeholder, group] : groups) {
    FamilyTable table{placeholder, group.columns, {}};
    std::vector<std::string> keys;
    for (const auto& [key, cells] : group.cells) keys.push_back(key);
    double a = 0, b = 0;
    if (std::all_of(keys.begin(), keys.end(), [&](const std::string& k) { return as_number(k, a); }))
      std::sort(keys.begin(), keys.end(), [&](const std::string& x, const std::string& y) {
        as_number(x, a);
        as_number(y, b);
        return a < b;
      });
    for (const std::string& key : keys) {
      FamilyTable::Row row{key, {}};
      for (const std::string& column : group.columns) {
        const auto& cells = group.cells[key];
        const auto it = cells.find(column);
        row.cells.push_back(it == cells.end() ? nlohmann::json() : it->second);
      }
      table.rows.push_back(std::move(row));
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

}  // namespace casebook::site

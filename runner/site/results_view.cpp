#include "site/results_view.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "site/claim_statement.hpp"
#include "site/diagnostic_families.hpp"
#include "site/format.hpp"
#include "site/json_access.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

std::string absolute_error(const json& estimate, const json& truth) {
  if (!estimate.is_number() || !truth.is_number()) return kMissing;
  return format_number(std::abs(estimate.get<double>() - truth.get<double>()));
}

std::string claim_status(const json& claim) {
  const json& pass = required(claim, "pass");
  if (required(claim, "skipped") == true || !pass.is_boolean()) return "skipped";
  return pass.get<bool>() ? "pass" : "fail";
}

// What the claim looked at: a number, or for a claim about a CI the estimate with its interval,
// so the truth (in "expected") is never mistaken for the estimate.
std::string observed_text(const json& claim) {
  const std::string observed = format_value(required(claim, "observed"));
  const json& ci = optional(claim, "observed_ci");
  if (!ci.is_array() || ci.size() != 2) return observed;
  return observed + " " + format_interval(ci[0], ci[1]);
}

// How far the value checked lies from the CI's nearer bound, in SEs: "inside the CI by 0.82 SE".
// Two significant digits: enough to tell a near miss from a near hit.
std::string margin_text(const json& claim, const UiStrings& strings, std::string_view lang) {
  const json& margin = optional(claim, "margin_se");
  if (!margin.is_number()) return "";
  const double m = margin.get<double>();
  return fill(strings.get(lang, m >= 0 ? "margin_inside" : "margin_outside"),
              {{"margin", format_number(std::abs(m), 2)}});
}

std::string skip_reason_text(const json& claim, const UiStrings& strings, std::string_view lang) {
  const std::string phrase = optional_text(claim, "skip_phrase");
  return phrase.empty() ? optional_text(claim, "skip_reason") : strings.get(lang, "skip_" + phrase);
}

}  // namespace

mstch::array analysis_rows(const json& results, std::string_view lang) {
  mstch::array rows;
  for (const json& a : required_array(results, "analyses")) {
    rows.push_back(mstch::map{
        {"id", required_text(a, "id")},
        {"label", analysis_label_text(a, lang)},
        {"estimator", required_text(a, "estimator")},
        {"estimand", required_text(a, "estimand")},
        {"estimate", format_value(required(a, "estimate"))},
        {"se", format_value(required(a, "se"))},
        {"ci", format_interval(required(a, "ci_low"), required(a, "ci_high"))},
        {"truth", format_value(required(a, "truth"))},
        {"error", absolute_error(required(a, "estimate"), required(a, "truth"))},
        {"p_value", format_value(required(a, "p_value"))},
        {"n", format_value(required(a, "n"))},
    });
  }
  return rows;
}

mstch::array claim_rows(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array rows;
  for (const json& c : required_array(results, "claims")) {
    const std::string status = claim_status(c);
    mstch::map row{
        {"id", required_text(c, "id")},
        {"text", claim_text(c, lang)},
        {"status", status},
        {"status_label", strings.get(lang, "status_" + status)},
        {"observed", observed_text(c)},
        {"expected", statement_text(required(c, "statement"), strings, lang)},
        {"margin", margin_text(c, strings, lang)},
        {"skip_reason", skip_reason_text(c, strings, lang)},
    };
    const json& published = optional(c, "published");
    // Keys are always set (false when absent): mustache would otherwise look a missing
    // name up in the enclosing page's context.
    row.emplace("published",
                published.is_object()
                    ? mstch::node(mstch::map{{"value", format_value(required(published, "value"))},
                                             {"source", required_text(published, "source")},
                                             {"note", required_text(published, "note")}})
                    : mstch::node(false));
    rows.push_back(std::move(row));
  }
  return rows;
}

mstch::array diagnostic_blocks(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array blocks;
  for (const json& a : required_array(results, "analyses")) {
    const json no_kinds = json::object();
    const auto kinds_it = a.find("diagnostic_kinds");
    const json& kinds = kinds_it != a.end() && kinds_it->is_object() ? *kinds_it : no_kinds;
    const auto kind_of = [&](const std::string& name) {
      const auto it = kinds.find(name);
      return it != kinds.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    mstch::array diagnostics;
    // nlohmann's object keeps keys sorted, so the order is the same on every run.
    for (const auto& [name, value] : required(a, "diagnostics").items()) {
      const std::string kind = kind_of(name);
      if (kind.starts_with("family:")) continue;  // laid out as tables below
      std::string text = format_value(value);
      if (kind == "boolean" && value.is_number())
        text = strings.get(lang, value.get<double>() != 0 ? "yes" : "no");
      if (kind == "p_value" && value.is_number()) text = format_p_value(value.get<double>());
      diagnostics.push_back(mstch::map{{"name", name}, {"value", text}});
    }
    // A family (coef_{period}, se_{period}) as a table, unless the estimator's own tables hold it.
    mstch::array families;
    if (required_array(a, "tables").empty())
      for (const FamilyTable& table : family_tables(required(a, "diagnostics"), kinds)) {
        mstch::array rows;
        for (const auto& row : table.rows) {
          mstch::array cells;
          for (const json& cell : row.cells) cells.push_back(format_value(cell));
          rows.push_back(mstch::map{{"key", row.key}, {"cells", std::move(cells)}});
        }
        families.push_back(mstch::map{{"placeholder", table.placeholder},
                                      {"columns", mstch::array(table.columns.begin(), table.columns.end())},
                                      {"rows", std::move(rows)}});
      }
    mstch::array notes;
    for (const json& note : required_array(a, "notes")) {
      if (note.is_string()) notes.push_back(note.get<std::string>());
    }
    if (diagnostics.empty() && families.empty() && notes.empty()) continue;
    const std::string id = required_text(a, "id");
    const bool has_values = !diagnostics.empty();
    const bool has_notes = !notes.empty();
    blocks.push_back(mstch::map{{"id", id},
                                {"label", analysis_label_text(a, lang)},
                                {"has_values", has_values},
                                {"has_notes", has_notes},
                                {"diagnostics", std::move(diagnostics)},
                                {"families", std::move(families)},
                                {"notes", std::move(notes)}});
  }
  return blocks;
}

mstch::array table_blocks(const json& results, const UiStrings& strings, std::string_view lang) {
  mstch::array blocks;
  for (const json& a : required_array(results, "analyses")) {
    mstch::array tables;
    for (const json& table : required_array(a, "tables")) {
      mstch::array columns;
      std::vector<std::string> names;
      for (const json& column : required_array(table, "columns")) {
        names.push_back(column.get<std::string>());
        columns.push_back(names.back());
      }
      mstch::array rows;
      const json& all_rows = required_array(table, "rows");
      for (const json& row : all_rows) {
        if (rows.size() == kShownTableRows) break;
        mstch::array cells;
        for (const std::string& name : names) {
          const json& value = optional(row, name);
          cells.push_back(mstch::map{{"text", format_value(value)}, {"number", value.is_number()}});
        }
        rows.push_back(mstch::map{{"cells", std::move(cells)}});
      }
      mstch::map view{{"id", required_text(table, "id")},
                      {"title", required_text(table, "title")},
                      {"columns", std::move(columns)},
                      {"rows", std::move(rows)}};
      if (all_rows.size() > kShownTableRows)
        view.emplace("more_rows", fmt::format(fmt::runtime(strings.get(lang, "table_more_rows")),
                                              all_rows.size() - kShownTableRows));
      tables.push_back(std::move(view));
    }
    if (tables.empty()) continue;
    blocks.push_back(mstch::map{{"id", required_text(a, "id")},
                                {"label", analysis_label_text(a, lang)},
                                {"tables", std::move(tables)}});
  }
  return blocks;
}

mstch::array truth_rows(const json& results) {
  mstch::array rows;
  for (const auto& [estimand, value] : required(results, "truth").items()) {
    rows.push_back(mstch::map{{"estimand", estimand}, {"value", format_value(value)}});
  }
  return rows;
}

mstch::map data_view(const json& results) {
  const json& data = required(results, "data");
  mstch::map view{{"source", required_text(data, "source")},
                  {"seed", format_value(required(data, "seed"))},
                  {"n", format_value(required(data, "n"))}};
  const json& preview = required(data, "preview");
  mstch::array columns;
  for (const json& column : required_array(preview, "columns")) columns.push_back(format_value(column));
  mstch::array rows;
  for (const json& row : required_array(preview, "rows")) {
    mstch::array cells;
    if (row.is_array()) {
      for (const json& cell : row) cells.push_back(format_value(cell));
    }
    rows.push_back(mstch::map{{"cells", std::move(cells)}});
  }
  view.emplace("preview", columns.empty() ? mstch::node(false)
                                          : mstch::node(mstch::map{{"columns", std::move(columns)},
                                                                   {"rows", std::move(rows)}}));
  return view;
}

}  // namespace casebook::site

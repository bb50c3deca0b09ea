#pragma once
// The tables of a case page, built from the results document (templates/results.schema.json)
// as mustache data (every value already formatted as text).
#include <string_view>

#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>

#include "site/ui_strings.hpp"

namespace casebook::site {

// One row per analysis: id, label, estimator, estimand, estimate, se, ci, truth, error (the
// absolute difference between estimate and truth), p_value, n.
mstch::array analysis_rows(const nlohmann::json& results, std::string_view lang);

// One row per claim: status (pass, fail or skipped: the CSS class), status_label, id, text,
// observed (with the CI when the claim is about it), expected (in `lang`), margin (how far the
// value lies inside or outside the CI, or ""), skip_reason, and published {value, source, note}
// when the claim cites one.
mstch::array claim_rows(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

// The analyses with diagnostics or notes: label, diagnostics [{name, value}], notes [text].
mstch::array diagnostic_blocks(const nlohmann::json& results, const UiStrings& strings,
                               std::string_view lang);

// The analyses with named tables (complier profiles, donor weights, rdrobust's three rows…): id,
// label, tables [{id, title, columns [name], rows [{cells [{text, number}]}], more_rows}], rows in
// the estimator's order and cells in the columns' order. A table shows its first kShownTableRows
// rows; more_rows then says how many more there are and that results.json, published beside the
// page, holds them all (a staggered synthdid weighs every donor once per cohort).
constexpr std::size_t kShownTableRows = 30;
mstch::array table_blocks(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

// The true values of the estimands: [{estimand, value}].
mstch::array truth_rows(const nlohmann::json& results);

// source, seed, n, and the preview {columns [name], rows [{cells [text]}]}.
mstch::map data_view(const nlohmann::json& results);

}  // namespace casebook::site

#pragma once
// The checks of a case page beyond the claims: identification of each analysis from the causal
// graph (analyses[].identification), the refutations and the Monte Carlo summary.
#include <string_view>

#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>

#include "site/ui_strings.hpp"

namespace casebook::site {

// One row per analysis with "identification": id, label, criterion, graph, status
// (pass/fail/skipped), status_label, reason, open_path ("a — b — c"), svg (inlined or "").
mstch::array identification_rows(const nlohmann::json& results, const UiStrings& strings,
                                 std::string_view lang);

// One row per refutation: name, analysis, estimate, status (pass, fail, not_assessable, and for
// a refutation a claim expects to fail expected_fail or unexpected_pass), status_label, rule,
// reading (in the page's language, English when there is no translation).
mstch::array refutation_rows(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

// results "monte_carlo": reps, seed, n, analyses [{id, label, mean_estimate, bias, rmse,
// coverage ("95.0% ± 1.5%": ± one Monte Carlo SE), coverage_interval (95% Wilson), mean_se,
// sd_estimate}], claims [{id, text, pass_rate (± its Monte Carlo SE), skip_reason (why it was
// never checked, or "")}]; false when absent.
mstch::node monte_carlo_view(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

}  // namespace casebook::site

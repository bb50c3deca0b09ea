#pragma once
// The results document of one case run: what `casebook run --json` writes and the only thing the
// site renders a case page from. Its exact shape is templates/results.schema.json (validated
// against every case's results in tests/cases/results_schema_test.cpp). In short: the case's id,
// title and "meta" (organization, domain, summary, sources, methods, flowchart answers,
// estimands); "primary_analysis", the analysis the headline rests on; "data" (source, seed, n, a
// preview), "truth", the causal "graph"; "analyses" (estimate, se, CI, p, se_type, every "terms"
// row in broom::tidy's columns, named "tables", diagnostics, notes, plots, identification on the
// graph); "claims"; "refutations"; "summary" (tallies); the rerun "command"; and "monte_carlo"
// when `casebook site` found a saved `casebook mc` summary. Numbers are JSON numbers; null only
// where a value does not exist, and a non-finite term or table value is null with a note.
#include <cstddef>

#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "cases/case_run.hpp"

namespace casebook {

// One estimate as JSON: estimate, se, ci_low, ci_high, p_value, n, se_type, terms, tables,
// diagnostics, notes, plots (also what `casebook estimate --json` prints).
nlohmann::json estimate_json(const Estimate& e);

// The results document above. `preview_rows` caps the data preview.
nlohmann::json results_document(const Case& c, const CaseRun& run, std::size_t preview_rows = 10);

}  // namespace casebook

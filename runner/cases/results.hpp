#pragma once
// The results document of one case run: what `casebook run --json` writes and what the site
// renders. Its shape (all numbers are JSON numbers; `null` where a value does not exist):
//
// {
//   "case": "tripadvisor-membership-iv",
//   "title": {"en": "…", "ko": "…"},
//   "data": {"source": "simulation" | "<file.csv>", "seed": 20211101 | null, "n": 100000,
//            "preview": {"columns": ["a", "b"], "rows": [[1, 0.5], …]}},      // first rows
//   "truth": {"late": 2.05, "ate": 1.93},            // {} when the data came from a CSV
//   "analyses": [
//     {"id": "iv", "label": "…", "estimator": "2sls", "estimand": "late",
//      "estimate": 2.1, "se": 0.05, "ci_low": 2.0, "ci_high": 2.2, "p_value": 0.0, "n": 100000,
//      "truth": 2.05 | null, "diagnostics": {"first_stage_F": 1234.5}, "notes": ["…"],
//      "plots": [{"id": "event-study", "title": "…", "kind": "points" | "lines",
//                 "x_label": "…", "y_label": "…", "reference_lines": [0],
//                 "series": [{"name": "…", "x": […], "y": […], "lower": […], "upper": […]}]}]}
//   ],
//   "claims": [
//     {"id": "…", "text": "…", "pass": true | false | null, "skipped": false,
//      "observed": 2.1 | null, "expected": "covers 2.05 (truth of late)",
//      "published": {"value": 1.9, "source": "…", "note": "…"}}          // optional
//   ],
//   "summary": {"claims_passed": 4, "claims_failed": 0, "claims_skipped": 0, "claims_total": 4},
//   "command": "casebook run tripadvisor-membership-iv --seed 20211101 --n 100000"
// }
#include <cstddef>

#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "cases/case_run.hpp"

namespace casebook {

// One estimate as JSON: estimate, se, ci_low, ci_high, p_value, n, diagnostics, notes.
nlohmann::json estimate_json(const Estimate& e);

// The results document above. `preview_rows` caps the data preview.
nlohmann::json results_document(const Case& c, const CaseRun& run, std::size_t preview_rows = 10);

}  // namespace casebook

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
//   "graph": {                                       // the true causal graph, from the simulation
//     "svg": "<svg…>",                               // inline-ready: no XML prolog or DOCTYPE
//     "dot": "digraph …",                            // Graphviz source of the drawing
//     "nodes": [{"name": "affinity", "role": "latent", "observed": false}, …],
//     "edges": [["affinity", "became_member"], …],   // [from, to]
//     "lagged_edges": [["y", "y"], …],                // panels: from the previous period (drawn dotted)
//     "assumed": {"svg", "dot", "nodes", "edges", "description"}  // only with an assumed_graph
//   },
//   "analyses": [
//     {"id": "iv", "label": "…", "label_ko": "…" (optional), "estimator": "2sls", "estimand": "late",
//      "estimate": 2.1, "se": 0.05, "ci_low": 2.0, "ci_high": 2.2, "p_value": 0.0, "n": 100000,
//      "truth": 2.05 | null, "diagnostics": {"first_stage_F": 1234.5}, "notes": ["…"],
//      // diagnostics also carry the sensitivity to unobserved confounding (runner/refute/sensitivity.hpp):
//      // ols: robustness_value, robustness_value_alpha, partial_r2_treatment; ols/2sls/difference-in-means:
//      // e_value, e_value_ci (of estimate / SD(outcome)); just-identified 2sls: anderson_rubin_low/high,
//      // anderson_rubin_bounded (1/0; low/high are the inner ends of two rays when unbounded)
//      "identification": {                           // the analysis checked on the true graph
//        "criterion": "backdoor" | "instrument" | "frontdoor", "graph": "true", "valid": false,
//        "reason": "A backdoor path from … is open …",   // plain words
//        "open_path": ["became_member", "affinity", "days_visited_post"],  // [] when none
//        "open_path_text": "became_member <- affinity -> days_visited_post",
//        "adjustment_set": ["x", …],                 // the covariates conditioned on
//        "minimal_adjustment_set": ["x"] | [] | null,  // backdoor only; null: none among observed
//        "mediators": ["m"],                         // frontdoor only
//        "conditions": [{"name": "relevance", "holds": true, "detail": "…"}, …],
//          // backdoor: no_descendant_of_treatment, blocks_backdoor_paths; instrument:
//          // no_descendant_of_treatment, relevance, exclusion, independence; frontdoor:
//          // intercepts_directed_paths, no_backdoor_to_mediators, treatment_blocks_mediator_backdoor
//          // (criteria stated exactly in graph/identification.hpp)
//        "svg": "<svg…>",                            // the graph with this analysis highlighted
//        "assumed": {… the same keys, "graph": "assumed" …}},  // only with an assumed_graph
//      "plots": [{"id": "event-study", "title": "…", "kind": "points" | "lines",
//                 "x_label": "…", "y_label": "…", "reference_lines": [0],
//                 "series": [{"name": "…", "x": […], "y": […], "lower": […], "upper": […]}]}]}
//   ],
//   "claims": [
//     {"id": "…", "text": "…", "text_ko": "…" (optional), "pass": true | false | null, "skipped": false,
//      "observed": 2.1 | null, "expected": "covers 2.05 (truth of late)",
//      "published": {"value": 1.9, "source": "…", "note": "…"}}          // optional
//   ],
//   "refutations": [              // runner/refute: the case's refutations (or the defaults per analysis)
//     {"id": "placebo-treatment-iv", "name": "placebo-treatment", "analysis": "iv",
//      "original_estimate": 2.4, "estimate": 0.003,           // the new estimate (mean over repetitions)
//      "p_value": 0.02 | null, "interval": [-0.1, 0.1] | null, "interval_label": "2.5% and 97.5% quantiles
//      …", "pass": true, "expected_to_fail": false,               // true when a claim expects it to fail
//      "rule": "pass when …",                                 // the pass rule in words, with its numbers
//      "reading": {"en": "…", "ko": "…"},                     // what the result means, in plain words
//      "reps": 50, "failed_reps": 0, "seed": 123, "details": {"monte_carlo_se": 0.004, …}}
//   ],
//   "summary": {"claims_passed": 4, "claims_failed": 0, "claims_skipped": 0, "claims_total": 4,
//               "refutations_passed": 8, "refutations_total": 8},
//   "command": "casebook run tripadvisor-membership-iv --seed 20211101 --n 100000",
//   "monte_carlo": {              // optional: only when `casebook mc` saved build/mc/<case>.json;
//                                 // `casebook site` adds it (cases/monte_carlo.hpp writes it)
//     "case": "tripadvisor-membership-iv", "reps": 200, "seed": 20211101, "n": 100000,
//     "seeds": "replication r (0-based) simulates with derive_seed(seed, r)",
//     "analyses": [{"id": "iv", "label": "…", "estimator": "2sls", "estimand": "late", "reps": 200,
//                   "confidence_level": 0.95, "mean_truth": 2.47, "mean_estimate": 2.47,
//                   "bias": 0.002, "rmse": 0.022, "sd_estimate": 0.022 | null, "mean_se": 0.023,
//                   "coverage": 0.965}],          // coverage: share of CIs covering that draw's truth
//     "claims": [{"id": "…", "text": "…", "pass_rate": 0.965 | null, "passed": 193, "failed": 7,
//                 "skipped": 0}],
//     "command": "casebook mc tripadvisor-membership-iv --reps 200 --seed 20211101 --n 100000"
//   }
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

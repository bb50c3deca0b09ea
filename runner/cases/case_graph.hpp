#pragma once
// A case's causal graphs (the true one from its simulation, and the analyst's assumed one when
// declared) and the identification verdict of each analysis on them.
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "cases/case.hpp"
#include "graph/causal_graph.hpp"
#include "graph/graph_drawing.hpp"
#include "graph/identification.hpp"

namespace casebook {

struct CaseGraphs {
  CausalGraph truth;
  std::optional<CausalGraph> assumed;
};
// Throws InputError when the simulation cannot be compiled or the assumed graph is bad.
CaseGraphs case_graphs(const Case& c);

struct AnalysisIdentification {
  Identification on_true;
  std::optional<Identification> on_assumed;  // when the case declares an assumed_graph
};

// The criterion an analysis is checked with: its "identification" field, else from its estimator.
Criterion criterion_of(const AnalysisSpec& analysis);
// What a backdoor analysis conditions on: its covariates, plus what a panel design holds fixed —
// options "group" and "post" (DiD; "comparison": "post-difference" keeps only post,
// "before-after" only group), "time", and "unit" (unit fixed effects: every unit-level variable).
std::vector<std::string> design_adjustment(const CausalGraph& g, const AnalysisSpec& analysis,
                                           const SimulationSpec& simulation);
AnalysisIdentification identify_analysis(const CaseGraphs& graphs, const AnalysisSpec& analysis,
                                         const SimulationSpec& simulation);

// How to draw the graph for one analysis: its treatment, outcome, instruments, adjustment set
// (or mediators) and the open path of the verdict.
GraphHighlight analysis_highlight(const std::string& case_id, const AnalysisSpec& analysis,
                                  const Identification& verdict, const std::string& graph_label);

// The results document's "graph" entry: {"svg", "dot", "nodes", "edges", "lagged_edges",
// "assumed": {"svg", "dot", "nodes", "edges", "description"}} (assumed only when declared).
nlohmann::json case_graph_json(const Case& c, const CaseGraphs& graphs);
// One analysis's "identification" entry (templates/results.schema.json): the verdicts and the
// analysis's treatment, outcome and instruments.
nlohmann::json identification_json(const Case& c, const CaseGraphs& graphs, const AnalysisSpec& analysis,
                                   const AnalysisIdentification& verdict);

// "not identified (backdoor criterion, true graph): <reason>".
std::string verdict_words(const Identification& verdict, const std::string& graph_label);
// One short line: "NOT identified (backdoor criterion, true graph): open path a <- u -> y".
std::string verdict_headline(const Identification& verdict, const std::string& graph_label);

}  // namespace casebook

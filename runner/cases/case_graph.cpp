#include "cases/case_graph.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace casebook {
namespace {

nlohmann::json nodes_json(const CausalGraph& g) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& n : g.nodes())
    nodes.push_back({{"name", n.name}, {"role", to_string(n.role)}, {"observed", n.observed}});
  return nodes;
}

nlohmann::json edges_json(const CausalGraph& g,
                          const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [from, to] : edges) out.push_back({g.node(from).name, g.node(to).name});
  return out;
}

nlohmann::json drawing_json(const CausalGraph& g, const GraphHighlight& highlight) {
  const std::string dot = graph_dot(g, highlight);
  return {{"svg", render_svg(dot)},
          {"dot", dot},
          {"nodes", nodes_json(g)},
          {"edges", edges_json(g, g.edges())},
          {"lagged_edges", edges_json(g, g.lagged_edges())}};
}

nlohmann::json verdict_json(const CausalGraph& g, const Identification& v, const std::string& graph_label) {
  nlohmann::json conditions = nlohmann::json::array();
  for (const auto& c : v.conditions)
    conditions.push_back({{"name", c.name}, {"holds", c.holds}, {"detail", c.detail}});
  nlohmann::json item{
      {"criterion", to_string(v.criterion)},
      {"graph", graph_label},
      {"valid", v.valid},
      {"reason", v.reason},
      {"open_path", v.open_path ? nlohmann::json(path_names(g, *v.open_path)) : nlohmann::json::array()},
      {"open_path_text", v.open_path ? path_text(g, *v.open_path) : ""},
      {"adjustment_set", v.adjustment_set},
      {"conditions", conditions}};
  if (v.criterion == Criterion::backdoor)
    item["minimal_adjustment_set"] =
        v.minimal_adjustment_set ? nlohmann::json(*v.minimal_adjustment_set) : nlohmann::json();
  if (v.criterion == Criterion::frontdoor) item["mediators"] = v.mediators;
  return item;
}

}  // namespace

CaseGraphs case_graphs(const Case& c) {
  CaseGraphs graphs{graph_of_simulation(c.simulation), std::nullopt};
  if (c.assumed_graph) graphs.assumed = graph_of_assumption(*c.assumed_graph, c.simulation);
  return graphs;
}

Criterion criterion_of(const AnalysisSpec& analysis) {
  if (!analysis.identification.empty()) return criterion_from_string(analysis.identification, analysis.id);
  if (!analysis.args.instruments.empty()) return Criterion::instrument;
  switch (find_estimator(analysis.estimator).identification) {
    case IdentificationCriterion::instrument:
      return Criterion::instrument;
    case IdentificationCriterion::frontdoor:
      return Criterion::frontdoor;
    // The graph cannot see trends: a parallel-trends design is checked on it as adjustment for the
    // design's unit and period effects, and its pre-trend test checks the rest.
    case IdentificationCriterion::parallel_trends:
    case IdentificationCriterion::backdoor:
      return Criterion::backdoor;
  }
  return Criterion::backdoor;
}

std::vector<std::string> design_adjustment(const CausalGraph& g, const AnalysisSpec& analysis,
                                           const SimulationSpec& simulation) {
  std::vector<std::string> set = analysis.args.covariates;
  auto add = [&](const std::string& name) {
    if (g.index_of(name) && std::find(set.begin(), set.end(), name) == set.end()) set.push_back(name);
  };
  const auto& options = analysis.args.options;
  auto option = [&](const char* key) {
    auto it = options.find(key);
    return it == options.end() ? std::string() : it->second;
  };
  // Analysing only the rows where a column is 1 conditions on that column (a collider, often).
  if (!analysis.rows.empty()) add(analysis.rows);
  const std::string comparison = option("comparison");
  if (comparison != "post-difference") add(option("group"));  // group effects
  if (comparison != "before-after") add(option("post"));      // period effects
  add(option("time"));
  // A regression discontinuity compares units at the same value of its running variable: the
  // local polynomial holds it fixed, as a regression holds its covariates (continuity at the
  // cutoff, which the graph cannot see, is for the density test and the balance checks).
  add(option("running"));
  if (!option("unit").empty()) {
    add(option("unit"));
    // Unit fixed effects hold fixed everything drawn once per unit, seen or not.
    if (simulation.periods > 0)
      for (const auto& v : simulation.variables)
        if (v.level == Level::unit) add(v.name);
  }
  return set;
}

AnalysisIdentification identify_analysis(const CaseGraphs& graphs, const AnalysisSpec& analysis,
                                         const SimulationSpec& simulation) {
  IdentificationQuery query{criterion_of(analysis),    analysis.treatment,       analysis.args.outcome,
                            analysis.args.instruments, analysis.args.covariates, analysis.mediators};
  if (query.criterion == Criterion::backdoor)
    query.covariates = design_adjustment(graphs.truth, analysis, simulation);
  AnalysisIdentification out{identify(graphs.truth, query), std::nullopt};
  if (graphs.assumed) {
    if (query.criterion == Criterion::backdoor)
      query.covariates = design_adjustment(*graphs.assumed, analysis, simulation);
    out.on_assumed = identify(*graphs.assumed, query);
  }
  return out;
}

GraphHighlight analysis_highlight(const std::string& case_id, const AnalysisSpec& analysis,
                                  const Identification& verdict, const std::string& graph_label) {
  GraphHighlight h;
  h.id = fmt::format("{}-{}-{}", case_id, analysis.id, graph_label);
  h.treatment = {analysis.treatment};
  h.outcome = {analysis.args.outcome};
  h.instruments = analysis.args.instruments;
  h.adjusted = verdict.adjustment_set;
  h.mediators = verdict.mediators;
  h.open_path = verdict.open_path;
  return h;
}

nlohmann::json case_graph_json(const Case& c, const CaseGraphs& graphs) {
  GraphHighlight h;
  h.id = c.id + "-true";
  nlohmann::json out = drawing_json(graphs.truth, h);
  if (graphs.assumed) {
    GraphHighlight a;
    a.id = c.id + "-assumed";
    out["assumed"] = drawing_json(*graphs.assumed, a);
    out["assumed"].erase("lagged_edges");
    out["assumed"]["description"] = c.assumed_graph->description;
  }
  return out;
}

nlohmann::json identification_json(const Case& c, const CaseGraphs& graphs, const AnalysisSpec& analysis,
                                   const AnalysisIdentification& verdict) {
  // The analysis's roles, by which a page highlights it on the one drawing of the case's graph.
  const GraphHighlight roles = analysis_highlight(c.id, analysis, verdict.on_true, "true");
  const nlohmann::json highlighted{
      {"treatment", roles.treatment}, {"outcome", roles.outcome}, {"instruments", roles.instruments}};
  nlohmann::json out = verdict_json(graphs.truth, verdict.on_true, "true");
  out.update(highlighted);
  if (verdict.on_assumed) {
    out["assumed"] = verdict_json(*graphs.assumed, *verdict.on_assumed, "assumed");
    out["assumed"].update(highlighted);
  }
  return out;
}

std::string verdict_words(const Identification& verdict, const std::string& graph_label) {
  return fmt::format("{} ({} criterion, {} graph): {}", verdict.valid ? "identified" : "NOT identified",
                     to_string(verdict.criterion), graph_label, verdict.reason);
}

std::string verdict_headline(const Identification& verdict, const std::string& graph_label) {
  std::string why;
  if (!verdict.open_path_text.empty())
    why = ": path " + verdict.open_path_text;
  else if (!verdict.valid)
    why = ": " + verdict.reason;
  return fmt::format("{} ({} criterion, {} graph){}", verdict.valid ? "identified" : "NOT identified",
                     to_string(verdict.criterion), graph_label, why);
}

}  // namespace casebook

// graph and identify: a case's causal graph (DOT or SVG) and each analysis's identification verdict.
#include <iostream>

#include <fmt/format.h>

#include "cases/case.hpp"
#include "cases/case_graph.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

std::string set_words(const std::vector<std::string>& names) {
  return names.empty() ? "nothing" : fmt::format("{}", fmt::join(names, ", "));
}

void print_verdict(std::ostream& out, const Identification& v, const std::string& graph_label) {
  out << fmt::format("  {} graph: {}\n", graph_label, v.valid ? "identified" : "NOT identified");
  out << fmt::format("    {}\n", v.reason);
  for (const auto& condition : v.conditions)
    out << fmt::format("    [{}] {}: {}\n", condition.holds ? "ok" : "no", condition.name, condition.detail);
}

}  // namespace

int graph_command(const Project& project, const GraphCommand& command) {
  const Case c = load_case(project.case_dir(command.case_id));
  for (const auto* file : {&command.svg_file, &command.dot_file})
    if (!file->empty()) require_writable_target(*file, command.force);  // fail before the work
  const CaseGraphs graphs = case_graphs(c);
  if (command.assumed && !graphs.assumed)
    throw InputError(
        fmt::format("case {} declares no assumed_graph (drop --assumed for the true graph)", c.id));
  const CausalGraph& g = command.assumed ? *graphs.assumed : graphs.truth;
  const std::string label = command.assumed ? "assumed" : "true";

  GraphHighlight highlight;
  highlight.id = fmt::format("{}-{}", c.id, label);
  if (!command.analysis.empty()) {
    const AnalysisSpec& analysis = c.analysis(command.analysis);
    const AnalysisIdentification verdict = identify_analysis(graphs, analysis, c.simulation);
    const Identification& v = command.assumed ? *verdict.on_assumed : verdict.on_true;
    highlight = analysis_highlight(c.id, analysis, v, label);
    std::cerr << fmt::format("{}: {}\n", analysis.id, verdict_words(v, label));
  }
  const std::string dot = graph_dot(g, highlight);
  if (!command.dot_file.empty()) write_text_file(command.dot_file, dot, command.force);
  if (!command.svg_file.empty()) write_text_file(command.svg_file, render_svg(dot) + "\n", command.force);
  if (command.dot_file.empty() && command.svg_file.empty()) std::cout << dot;
  return 0;
}

int identify_command(const Project& project, const std::string& case_id) {
  const Case c = load_case(project.case_dir(case_id));
  const CaseGraphs graphs = case_graphs(c);
  std::vector<std::string> latent;
  for (const auto& n : graphs.truth.nodes())
    if (!n.observed) latent.push_back(n.name);
  std::cout << fmt::format("{} — {}\n", c.id, c.title_en);
  std::cout << fmt::format("true graph: {} variables, {} edges; unobserved: {}\n", graphs.truth.size(),
                           graphs.truth.edges().size(), set_words(latent));
  if (graphs.assumed)
    std::cout << fmt::format(
        "assumed graph: {} variables, {} edges{}\n", graphs.assumed->size(), graphs.assumed->edges().size(),
        c.assumed_graph->description.empty() ? "" : " — " + c.assumed_graph->description);
  for (const auto& analysis : c.analyses) {
    const AnalysisIdentification verdict = identify_analysis(graphs, analysis, c.simulation);
    const Identification& v = verdict.on_true;
    std::cout << fmt::format("\n{} ({}): {} criterion, {} → {}", analysis.id, analysis.estimator,
                             to_string(v.criterion), analysis.treatment, analysis.args.outcome);
    if (v.criterion == Criterion::instrument)
      std::cout << fmt::format(", instruments {}", set_words(analysis.args.instruments));
    if (v.criterion == Criterion::frontdoor)
      std::cout << fmt::format(", mediators {}", set_words(v.mediators));
    else
      std::cout << fmt::format(", adjusting for {}", set_words(v.adjustment_set));
    std::cout << '\n';
    print_verdict(std::cout, v, "true");
    if (v.criterion == Criterion::backdoor && !v.valid)
      std::cout << fmt::format("    a valid adjustment set among the observed variables: {}\n",
                               v.minimal_adjustment_set
                                   ? fmt::format("{{{}}}", fmt::join(*v.minimal_adjustment_set, ", "))
                                   : "none exists");
    if (verdict.on_assumed) print_verdict(std::cout, *verdict.on_assumed, "assumed");
  }
  return 0;
}

}  // namespace casebook

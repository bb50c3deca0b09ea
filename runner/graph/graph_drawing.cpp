#include "graph/graph_drawing.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

// Element ids for the SVG: letters, digits and '_' only (Graphviz would escape a '-' as &#45;).
std::string id_part(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

bool in(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

constexpr const char* kTreatmentFill = "#cfe3ff";
constexpr const char* kOutcomeFill = "#ffe2c2";
constexpr const char* kAdjustedFill = "#dcdcdc";
constexpr const char* kInstrumentColor = "#2e7d32";
constexpr const char* kOpenPathColor = "#d62728";

}  // namespace

std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + '"';
}

std::string graph_dot(const CausalGraph& g, const GraphHighlight& h) {
  const bool from_roles = h.treatment.empty() && h.outcome.empty();
  auto has_role = [&](const GraphNode& n, Role role, const std::vector<std::string>& named) {
    return from_roles ? n.role == role : in(named, n.name);
  };
  std::set<std::size_t> on_path;
  std::set<std::pair<std::size_t, std::size_t>> path_edges;
  if (h.open_path) {
    const auto& p = *h.open_path;
    on_path.insert(p.nodes.begin(), p.nodes.end());
    for (std::size_t i = 0; i + 1 < p.nodes.size(); ++i)
      path_edges.insert(p.forward[i] ? std::pair{p.nodes[i], p.nodes[i + 1]}
                                     : std::pair{p.nodes[i + 1], p.nodes[i]});
  }
  const std::string prefix = id_part(h.id.empty() ? "causal-graph" : h.id);

  std::string dot = fmt::format("digraph {} {{\n", dot_quoted(prefix));
  dot += fmt::format(
      "  graph [id={}, rankdir=LR, nodesep=0.25, ranksep=0.45, fontname=\"Helvetica\", fontsize=11{}];\n",
      dot_quoted(prefix), h.title.empty() ? "" : ", labelloc=t, label=" + dot_quoted(h.title));
  dot +=
      "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\", fontsize=10, height=0.3, "
      "margin=\"0.08,0.04\"];\n";
  dot += "  edge [color=\"#555555\", arrowsize=0.7];\n";
  for (std::size_t i = 0; i < g.size(); ++i) {
    const GraphNode& n = g.node(i);
    std::vector<std::string> classes, styles{"rounded"};
    std::vector<std::string> attributes{
        fmt::format("id={}", dot_quoted(fmt::format("{}_node_{}", prefix, i)))};
    std::string fill;
    if (!n.observed) {
      classes.push_back("latent");
      styles.push_back("dashed");
    }
    if (has_role(n, Role::treatment, h.treatment)) {
      classes.push_back("treatment");
      fill = kTreatmentFill;
      attributes.push_back("penwidth=1.8");
    } else if (has_role(n, Role::outcome, h.outcome)) {
      classes.push_back("outcome");
      fill = kOutcomeFill;
      attributes.push_back("penwidth=1.8");
    } else if (!from_roles && in(h.adjusted, n.name)) {
      classes.push_back("adjusted");
      fill = kAdjustedFill;
    }
    if (has_role(n, Role::instrument, h.instruments)) {
      classes.push_back("instrument");
      attributes.push_back(fmt::format("color={}", dot_quoted(kInstrumentColor)));
    }
    if (!from_roles && in(h.mediators, n.name)) classes.push_back("mediator");
    if (on_path.count(i)) {
      classes.push_back("open_path");
      attributes.push_back(
          fmt::format("color={}, fontcolor={}", dot_quoted(kOpenPathColor), dot_quoted(kOpenPathColor)));
    }
    if (!fill.empty()) {
      styles.push_back("filled");
      attributes.push_back(fmt::format("fillcolor={}", dot_quoted(fill)));
    }
    attributes.push_back(fmt::format("style={}", dot_quoted(fmt::format("{}", fmt::join(styles, ",")))));
    if (!classes.empty())
      attributes.push_back(fmt::format("class={}", dot_quoted(fmt::format("{}", fmt::join(classes, " ")))));
    attributes.push_back(fmt::format(
        "tooltip={}",
        dot_quoted(fmt::format("{} ({}{})", n.name, to_string(n.role), n.observed ? "" : ", unobserved"))));
    dot += fmt::format("  {} [{}];\n", dot_quoted(n.name), fmt::join(attributes, ", "));
  }
  std::size_t edge_number = 0;
  for (const auto& [from, to] : g.edges()) {
    std::vector<std::string> attributes{
        fmt::format("id={}", dot_quoted(fmt::format("{}_edge_{}", prefix, edge_number++)))};
    if (!g.node(from).observed) attributes.push_back("style=dashed");
    if (path_edges.count({from, to}))
      attributes.push_back(
          fmt::format("color={}, penwidth=2.2, class=\"open_path\"", dot_quoted(kOpenPathColor)));
    dot += fmt::format("  {} -> {} [{}];\n", dot_quoted(g.node(from).name), dot_quoted(g.node(to).name),
                       fmt::join(attributes, ", "));
  }
  for (const auto& [from, to] : g.lagged_edges())
    dot += fmt::format(
        "  {} -> {} [id={}, style=dotted, label=\"t-1\", fontsize=8, class=\"lag\", constraint=false];\n",
        dot_quoted(g.node(from).name), dot_quoted(g.node(to).name),
        dot_quoted(fmt::format("{}_lag_{}", prefix, edge_number++)));
  return dot + "}\n";
}

std::string render_svg(const std::string& dot) {
  // Graphviz keeps global state (its error handler, the parser): one rendering at a time.
  static std::mutex graphviz_lock;
  const std::lock_guard lock(graphviz_lock);
  static GVC_t* const context = gvContext();  // loads the plugins once; lives as long as the process

  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> graph(agmemread(dot.c_str()), agclose);
  if (!graph)
    throw InputError(
        fmt::format("Graphviz could not read the graph: {}", aglasterr() ? aglasterr() : "syntax error"));
  if (gvLayout(context, graph.get(), "dot") != 0) throw InputError("Graphviz could not lay out the graph");
  char* data = nullptr;
  unsigned int length = 0;  // Graphviz 2.43 reports the size as unsigned int
  const int rendered = gvRenderData(context, graph.get(), "svg", &data, &length);
  std::string svg = rendered == 0 && data ? std::string(data, length) : std::string();
  if (data) gvFreeRenderData(data);
  gvFreeLayout(context, graph.get());
  if (svg.empty()) throw InputError("Graphviz could not render the graph as SVG");
  // Inline SVG in HTML takes neither the XML prolog nor the DOCTYPE (nor Graphviz's comments).
  const auto start = svg.find("<svg");
  if (start == std::string::npos) throw InputError("Graphviz's SVG output has no <svg> element");
  return svg.substr(start);
}

namespace {

CausalGraph design(std::initializer_list<GraphNode> nodes,
                   std::initializer_list<std::pair<const char*, const char*>> edges) {
  CausalGraph g;
  for (const auto& n : nodes) g.add_node(n);
  for (const auto& [from, to] : edges) g.add_edge(g.require(from), g.require(to));
  return g;
}

GraphNode observed(const char* name, Role role = Role::covariate) { return {name, role, true}; }
GraphNode hidden(const char* name) { return {name, Role::latent, false}; }

}  // namespace

std::map<std::string, DesignGraph> canonical_design_graphs() {
  struct Entry {
    const char* name;
    const char* title;
    CausalGraph graph;
  };
  const Entry entries[] = {
      {"confounding", "Confounding: X causes both T and Y",
       design({observed("X"), observed("T", Role::treatment), observed("Y", Role::outcome)},
              {{"X", "T"}, {"X", "Y"}, {"T", "Y"}})},
      {"instrumental-variables", "Instrument: Z moves T and reaches Y only through T",
       design({observed("Z", Role::instrument), hidden("U"), observed("T", Role::treatment),
               observed("Y", Role::outcome)},
              {{"Z", "T"}, {"U", "T"}, {"U", "Y"}, {"T", "Y"}})},
      {"difference-in-differences",
       "Difference in differences: group and period effects, treatment in treated group after",
       design({observed("group"), observed("period", Role::time), hidden("U_group"),
               observed("D", Role::treatment), observed("Y", Role::outcome)},
              {{"U_group", "group"},
               {"U_group", "Y"},
               {"group", "D"},
               {"period", "D"},
               {"group", "Y"},
               {"period", "Y"},
               {"D", "Y"}})},
      {"regression-discontinuity", "Regression discontinuity: the running variable R sets T at a cutoff",
       design({hidden("U"), observed("R"), observed("T", Role::treatment), observed("Y", Role::outcome)},
              {{"U", "R"}, {"U", "Y"}, {"R", "T"}, {"R", "Y"}, {"T", "Y"}})},
      {"mediation", "Mediation: part of T's effect runs through M",
       design({observed("T", Role::treatment), observed("M"), observed("Y", Role::outcome)},
              {{"T", "M"}, {"M", "Y"}, {"T", "Y"}})},
      {"front-door", "Front door: a hidden U confounds T and Y; M carries all of T's effect",
       design({hidden("U"), observed("T", Role::treatment), observed("M"), observed("Y", Role::outcome)},
              {{"U", "T"}, {"U", "Y"}, {"T", "M"}, {"M", "Y"}})},
  };
  std::map<std::string, DesignGraph> out;
  for (const auto& e : entries) {
    GraphHighlight h;
    h.id = std::string("design-") + e.name;
    DesignGraph d{e.title, graph_dot(e.graph, h), ""};
    d.svg = render_svg(d.dot);
    out.emplace(e.name, std::move(d));
  }
  return out;
}

}  // namespace casebook

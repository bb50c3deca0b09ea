#pragma once
// Drawing a causal graph: DOT text, laid out and rendered to SVG in-process by Graphviz's C API
// (the `dot` layout engine). Latent variables are dashed; the treatment and the outcome are
// filled; instruments are outlined green; an analysis's adjustment set is shaded; an open path
// is drawn in red. Every node and edge carries a `class` (treatment, outcome, instrument,
// latent, adjusted, open_path) so a page can restyle it.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/causal_graph.hpp"
#include "graph/d_separation.hpp"

namespace casebook {

struct GraphHighlight {
  std::string id;  // prefix of the SVG's element ids, unique on a page, e.g. "tripadvisor-iv"
  std::string title;
  std::vector<std::string> treatment, outcome, instruments, adjusted, mediators;
  std::optional<GraphPath> open_path;
};

// `text` as a DOT double-quoted string ("\n" in the text stays a centred line break).
std::string dot_quoted(std::string_view text);

// DOT text of the graph; without treatment/outcome in `highlight`, the nodes' own roles are shown.
std::string graph_dot(const CausalGraph& g, const GraphHighlight& highlight = {});

// Lays out DOT text with Graphviz's dot engine and renders SVG, without the XML prolog and
// DOCTYPE, so it can be inlined in HTML. Throws InputError if Graphviz rejects the DOT text.
// Safe to call from several threads (Graphviz's global state is guarded by a lock).
std::string render_svg(const std::string& dot);

// The canonical graphs of the designs, for method pages: name → DOT and SVG.
struct DesignGraph {
  std::string title;
  std::string dot;
  std::string svg;
};
// Names: confounding, instrumental-variables, difference-in-differences,
// regression-discontinuity, mediation, front-door.
std::map<std::string, DesignGraph> canonical_design_graphs();

}  // namespace casebook

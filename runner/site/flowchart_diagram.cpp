#include "site/flowchart_diagram.hpp"

#include <fmt/format.h>

#include "graph/graph_drawing.hpp"

namespace casebook::site {
namespace {

int columns(std::string_view word) {
  int width = 0;
  for (const char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80)
      width += 1;
    else if (u >= 0xE0)
      width += 2;  // lead byte of a wide character
  }
  return width;
}

std::string node_id(std::string_view kind, std::string_view id) { return fmt::format("{}_{}", kind, id); }

}  // namespace

std::string wrap_label(std::string_view text, int width) {
  std::string out;
  int line = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(at, end - at);
    const int w = columns(word);
    if (line > 0 && line + 1 + w > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out += word;
    line += w;
    at = end + 1;
  }
  return out;
}

std::string flowchart_dot(const Flowchart& chart, std::string_view lang) {
  const char* font = lang == "ko" ? "Noto Sans CJK KR" : "Helvetica";
  std::string dot = fmt::format("digraph {} {{\n", dot_quoted(fmt::format("flowchart-{}", lang)));
  dot += fmt::format(
      "  graph [id={}, rankdir=LR, nodesep=0.18, ranksep=0.5, fontname={}, fontsize=11, "
      "bgcolor=\"transparent\"];\n",
      dot_quoted("flowchart-diagram"), dot_quoted(font));
  dot += fmt::format("  node [fontname={}, fontsize=11, margin=\"0.12,0.06\"];\n", dot_quoted(font));
  dot += fmt::format(
      "  edge [fontname={}, fontsize=9.5, color=\"#59636e\", fontcolor=\"#1f2328\", arrowsize=0.7];\n",
      dot_quoted(font));
  for (const FlowchartQuestion& q : chart.questions()) {
    dot += fmt::format(
        "  {} [id={}, shape=box, style=\"rounded,filled\", fillcolor=\"#dbeafe\", color=\"#0b5cad\", "
        "label={}, URL={}, tooltip={}];\n",
        dot_quoted(node_id("q", q.id)), dot_quoted("flowchart-q-" + q.id),
        dot_quoted(wrap_label(q.text.in(lang), 26)), dot_quoted("#q-" + q.id), dot_quoted(q.text.in(lang)));
    for (const FlowchartAnswer& a : q.answers) {
      const std::string label = wrap_label(a.text.in(lang), 24);
      if (a.leaf) {
        dot += fmt::format(
            "  {} [id={}, shape=box, style=\"filled\", fillcolor=\"#dcfce7\", color=\"#1a7f37\", "
            "label={}, URL={}, tooltip={}];\n",
            dot_quoted(node_id("a", a.id)), dot_quoted("flowchart-a-" + a.id),
            dot_quoted(wrap_label(a.leaf->label.in(lang), 22)), dot_quoted("#a-" + a.id),
            dot_quoted(a.leaf->label.in(lang)));
        dot += fmt::format("  {} -> {} [label={}];\n", dot_quoted(node_id("q", q.id)),
                           dot_quoted(node_id("a", a.id)), dot_quoted(label));
      } else {
        dot += fmt::format("  {} -> {} [label={}];\n", dot_quoted(node_id("q", q.id)),
                           dot_quoted(node_id("q", a.next)), dot_quoted(label));
      }
    }
  }
  dot += "}\n";
  return dot;
}

std::string flowchart_svg(const Flowchart& chart, std::string_view lang) {
  return render_svg(flowchart_dot(chart, lang));
}

}  // namespace casebook::site

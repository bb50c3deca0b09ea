#pragma once
// The flowchart as a diagram: DOT text built from templates/flowchart.json, laid out and
// rendered to SVG by Graphviz (runner/graph's render_svg). Questions and leaves link to their
// sections on the flowchart page (#q-<question>, #a-<answer>).
#include <string>
#include <string_view>

#include "site/flowchart.hpp"

namespace casebook::site {

std::string flowchart_dot(const Flowchart& chart, std::string_view lang);
std::string flowchart_svg(const Flowchart& chart, std::string_view lang);

// Breaks text into lines of about `width` columns at spaces (Hangul counts two columns).
std::string wrap_label(std::string_view text, int width);

}  // namespace casebook::site

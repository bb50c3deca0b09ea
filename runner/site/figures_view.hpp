#pragma once
// The figures of a case page from its results document: the forest plot of the analyses, the
// plots estimators return (analyses[].plots), and the causal graph's SVG (results "graph").
#include <string>
#include <string_view>

#include <mstch/mstch.hpp>
#include <nlohmann/json.hpp>

#include "site/ui_strings.hpp"

namespace casebook::site {

// The forest plot's SVG, or "" when no analysis has a finite estimate.
std::string forest_plot(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

// One block per plot of every analysis: id, title, analysis (label), svg. `lead` holds the first plot
// of each analysis (an estimator's first plot is its design's own picture: the event study, the
// gain curve, the RD plot), up to kLeadPlots of them, for the page to show beside the estimates;
// `more` the others.
struct PlotBlocks {
  mstch::array lead, more;
};
inline constexpr std::size_t kLeadPlots = 3;
PlotBlocks plot_blocks(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

// An SVG from the results document, made fit to inline: everything before <svg> dropped, the
// accessible name set to `label`. "" when it is not SVG or carries anything active (scripts,
// event handlers, foreignObject, links other than "#…"), so a tampered results file stays inert.
std::string inline_svg(std::string_view svg, const std::string& label);

// results "graph": {svg (inlined), dot} or false when absent.
mstch::node graph_view(const nlohmann::json& results, const UiStrings& strings, std::string_view lang);

}  // namespace casebook::site

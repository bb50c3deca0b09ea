#include "site/figures_view.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "site/format.hpp"
#include "site/html_text.hpp"
#include "site/json_access.hpp"
#include "site/svg_chart.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

std::optional<double> number(const json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::vector<double> numbers(const json& values) {
  std::vector<double> out;
  if (!values.is_array()) return out;
  for (const json& v : values) out.push_back(v.is_number() ? v.get<double>() : std::nan(""));
  return out;
}

std::vector<std::string> texts(const json& values) {
  std::vector<std::string> out;
  for (const json& v : values) out.push_back(v.is_string() ? v.get<std::string>() : "");
  return out;
}

// Element ids: letters, digits and '-' only.
std::string id_part(std::string_view text) {
  std::string out;
  for (const char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string forest_plot(const json& results, const UiStrings& strings, std::string_view lang) {
  std::vector<ForestRow> rows;
  std::string description;
  for (const json& a : required_array(results, "analyses")) {
    const auto estimate = number(required(a, "estimate"));
    if (!estimate) continue;
    ForestRow row{analysis_label_text(a, lang), *estimate, number(required(a, "ci_low")),
                  number(required(a, "ci_high")), number(required(a, "truth"))};
    description += fmt::format("{}: {}", row.label, format_number(*estimate));
    if (row.low && row.high)
      description += fmt::format(" [{}, {}]", format_number(*row.low), format_number(*row.high));
    if (row.truth)
      description += fmt::format(", {} {}", strings.get(lang, "truth"), format_number(*row.truth));
    description += ". ";
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return "";
  if (!description.empty()) description.pop_back();
  ChartLabels labels;
  labels.id = "forest-plot";
  labels.title = strings.get(lang, "forest_title");
  labels.description = description;
  labels.estimate = strings.get(lang, "forest_estimate");
  labels.truth = strings.get(lang, "truth");
  labels.x_label = strings.get(lang, "estimate");
  return forest_plot_svg(rows, labels);
}

PlotBlocks plot_blocks(const json& results, const UiStrings& strings, std::string_view lang) {
  PlotBlocks blocks;
  for (const json& a : required_array(results, "analyses")) {
    const std::string analysis_id = required_text(a, "id");
    bool first = true;
    for (const json& plot : required_array(a, "plots")) {
      std::vector<ChartSeries> series;
      std::size_t points = 0;
      const std::string kind = required_text(plot, "kind");
      for (const json& s : required_array(plot, "series")) {
        ChartSeries cs{required_text(s, "name"), numbers(required(s, "x")), numbers(required(s, "y")),
                       numbers(required(s, "lower")), numbers(required(s, "upper"))};
        points += kind == "dots" ? cs.x.size() : std::min(cs.x.size(), cs.y.size());
        series.push_back(std::move(cs));
      }
      if (points == 0) continue;
      const std::string plot_id = required_text(plot, "id");
      const std::string title = required_text(plot, "title");
      ChartLabels labels;
      labels.id = "plot-" + id_part(analysis_id) + "-" + id_part(plot_id);
      labels.title = title;
      labels.x_label = required_text(plot, "x_label");
      labels.y_label = required_text(plot, "y_label");
      labels.description = fmt::format(
          "{}: {} {}, {} {}; {}", title, series.size(),
          strings.get(lang, series.size() == 1 ? "plot_series_one" : "plot_series_many"), points,
          strings.get(lang, "plot_points"),
          fmt::format("{} {}, {} {}", strings.get(lang, "plot_x"),
                      labels.x_label.empty() ? kMissing : labels.x_label, strings.get(lang, "plot_y"),
                      labels.y_label.empty() ? kMissing : labels.y_label));
      std::vector<double> references = numbers(required(plot, "reference_lines"));
      const bool lead = first && blocks.lead.size() < kLeadPlots;
      first = false;
      (lead ? blocks.lead : blocks.more)
          .push_back(mstch::map{
              {"id", labels.id},
              {"title", title},
              {"analysis", analysis_label_text(a, lang)},
              {"svg", kind == "dots" ? dot_chart_svg(texts(required_array(plot, "categories")), series,
                                                     references, labels)
                                     : xy_chart_svg(kind == "lines" ? ChartKind::lines : ChartKind::points,
                                                    series, references, labels)}});
    }
  }
  return blocks;
}

std::string inline_svg(std::string_view svg, const std::string& label) {
  const auto start = svg.find("<svg");
  if (start == std::string_view::npos) return "";
  std::string text(svg.substr(start));
  const std::string folded = lower(text);
  for (const char* active : {"<script", "<foreignobject", "javascript:", "<iframe", "<object", "<embed",
                             "<!entity", "<use", "<image", "<animate", "<set", "<style", "url("}) {
    if (folded.find(active) != std::string::npos) return "";
  }
  static const std::regex handler("\\son[a-z]+\\s*=", std::regex::icase);
  static const std::regex external_link("href\\s*=\\s*[\"'](?!#)");
  if (std::regex_search(folded, handler) || std::regex_search(folded, external_link)) return "";
  const auto end = text.rfind("</svg>");
  if (end == std::string::npos) return "";
  text.resize(end + 6);
  text.insert(4, fmt::format(" role=\"img\" aria-label=\"{}\"", escape_html(label)));
  return text;
}

mstch::node graph_view(const json& results, const UiStrings& strings, std::string_view lang) {
  const json& graph = required(results, "graph");
  const std::string svg = inline_svg(required_text(graph, "svg"), strings.get(lang, "graph_alt"));
  const std::string dot = required_text(graph, "dot");
  if (svg.empty() && dot.empty()) return false;
  return mstch::map{{"svg", svg}, {"dot", dot}};
}

}  // namespace casebook::site

// Where the charts put their text: every label, legend entry and tick number inside the viewBox
// by the charts' own width estimate (tests/site/browser_test.cpp checks the same in Chromium's
// real fonts), margins sized from the labels, and a viewBox narrow enough that text stays
// legible when a phone shrinks the chart to its width.
#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "site/svg_chart.hpp"

namespace casebook::site {
namespace {

struct Box {
  std::string text;
  double left, right, top, bottom;
  std::string anchor;
};

struct ViewBox {
  double width = 0, height = 0, font = 0;
};

ViewBox view_box(const std::string& svg) {
  std::smatch m, f;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"")));
  EXPECT_TRUE(std::regex_search(svg, f, std::regex("<svg[^>]* font-size=\"([0-9.]+)\"")));
  return {std::stod(m[1]), std::stod(m[2]), std::stod(f[1])};
}

std::string unescape(std::string text) {
  for (const auto& [entity, character] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1))
      text.replace(at, entity.size(), character);
  }
  return text;
}

double attribute(const std::string& tag, const std::string& name, double otherwise) {
  std::smatch m;
  const std::regex pattern("\\b" + name + "=\"(-?[0-9.]+)\"");
  return std::regex_search(tag, m, pattern) ? std::stod(m[1]) : otherwise;
}

// The estimated box of every line of text: its width by text_width, placed by its anchor, from
// a Korean font's ascent above the baseline to its descent below (the tallest boxes).
std::vector<Box> text_boxes(const std::string& svg) {
  const double font = view_box(svg).font;
  const double ascent = 1.16 * font, descent = 0.3 * font;
  std::vector<Box> boxes;
  const std::regex text_element("<text([^>]*)>(.*?)</text>");
  const std::regex tspan("<tspan([^>]*)>(.*?)</tspan>");
  const std::regex turned("transform=\"translate\\((-?[0-9.]+) (-?[0-9.]+)\\) rotate\\(-90\\)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_element); it != std::sregex_iterator();
       ++it) {
    const std::string tag = (*it)[1], content = (*it)[2];
    std::smatch anchor_match;
    const std::string anchor = std::regex_search(tag, anchor_match, std::regex("text-anchor=\"([a-z]+)\""))
                                   ? anchor_match[1].str()
                                   : "start";
    const auto place = [&](const std::string& raw, double x, double baseline) {
      const std::string text = unescape(raw);
      const double width = text_width(text, font);
      const double left = anchor == "end" ? x - width : anchor == "middle" ? x - width / 2 : x;
      boxes.push_back({text, left, left + width, baseline - ascent, baseline + descent, anchor});
    };
    std::smatch turn;
    if (std::regex_search(tag, turn, turned)) {
      // Turned upright about (x, y): the baseline runs up the page, centred on y.
      const double x = std::stod(turn[1]), y = std::stod(turn[2]);
      const double width = text_width(unescape(content), font);
      boxes.push_back({unescape(content), x - ascent, x + descent, y - width / 2, y + width / 2, "upright"});
      continue;
    }
    double x = attribute(tag, "x", 0), y = attribute(tag, "y", 0);
    if (content.find("<tspan") == std::string::npos) {
      place(content, x, y);
      continue;
    }
    for (auto span = std::sregex_iterator(content.begin(), content.end(), tspan);
         span != std::sregex_iterator(); ++span) {
      const std::string span_tag = (*span)[1];
      x = attribute(span_tag, "x", x);
      y += attribute(span_tag, "dy", 0);
      place((*span)[2], x, y);
    }
  }
  return boxes;
}

// Every text of `svg` inside its viewBox; returns the boxes for further checks.
std::vector<Box> expect_text_inside(const std::string& svg) {
  const ViewBox view = view_box(svg);
  const std::vector<Box> boxes = text_boxes(svg);
  EXPECT_FALSE(boxes.empty());
  for (const Box& b : boxes) {
    EXPECT_GE(b.left, 0) << '"' << b.text << "\" is cut on the left";
    EXPECT_LE(b.right, view.width) << '"' << b.text << "\" is cut on the right";
    EXPECT_GE(b.top, 0) << '"' << b.text << "\" is cut at the top";
    EXPECT_LE(b.bottom, view.height) << '"' << b.text << "\" is cut at the bottom";
  }
  return boxes;
}

// Text a phone shows at least 10 px high: the chart is scaled to a 390-px screen's 361-px column.
void expect_legible_on_a_phone(const std::string& svg) {
  const ViewBox view = view_box(svg);
  EXPECT_GE(view.font * 361 / view.width, 10.0) << "viewBox " << view.width << " wide";
}

const Box& find_box(const std::vector<Box>& boxes, const std::string& text) {
  static const Box none{"", 0, 0, 0, 0, ""};
  for (const Box& b : boxes)
    if (b.text == text) return b;
  ADD_FAILURE() << "no text \"" << text << '"';
  return none;
}

ChartLabels chart_labels(const std::string& id) {
  ChartLabels labels;
  labels.id = id;
  labels.x_label = "estimate";
  labels.y_label = "effect";
  return labels;
}

TEST(ChartText, WidthsCountWideCharactersAndWrapsBreakAtSpaces) {
  EXPECT_GT(text_width("WWW"), text_width("iii") * 2);
  EXPECT_DOUBLE_EQ(text_width("추정값"), 3 * 14.0);    // Hangul takes a full em
  EXPECT_DOUBLE_EQ(text_width("τ̂"), text_width("τ"));  // a combining hat adds no width
  EXPECT_DOUBLE_EQ(text_width("ab", 28), 2 * text_width("ab", 14));
  const auto lines = wrap_text("Fifth-order polynomial on all listings (2SLS, the line as instrument)", 190);
  ASSERT_GE(lines.size(), 2u);
  for (const std::string& line : lines) EXPECT_LE(text_width(line), 190) << line;
  EXPECT_EQ(wrap_text("one_word_longer_than_the_width_allowed", 50),
            std::vector<std::string>{"one_word_longer_than_the_width_allowed"});
  EXPECT_EQ(wrap_text("", 50), std::vector<std::string>{""});
}

// The label column is as wide as the labels need: short labels leave the plot more room, long
// ones wrap instead of being cut on the left, and a word longer than any line widens the chart.
TEST(ChartGeometry, ForestPlotSizesItsLabelColumnFromItsLabels) {
  const auto forest = [](const std::string& label) {
    return forest_plot_svg({{label, 1.0, 0.5, 1.5, 1.0}, {"Naive", 4.5, 4.2, 4.8, 1.0}}, chart_labels("f"));
  };
  const std::string short_svg = forest("IV");
  const std::string long_svg =
      forest("Fifth-order polynomial on all listings (2SLS, the line as instrument)");
  const std::string word_svg = forest("cross_fitted_prediction_from_queries_and_clicks_and_more");
  const auto short_boxes = expect_text_inside(short_svg);
  const auto long_boxes = expect_text_inside(long_svg);
  const auto word_boxes = expect_text_inside(word_svg);
  // The label column ends where the labels end (they are right-aligned on it).
  const double short_column = find_box(short_boxes, "Naive").right;
  const double long_column = find_box(long_boxes, "Naive").right;
  EXPECT_LT(short_column, 80);
  EXPECT_GT(long_column, short_column + 100);
  EXPECT_LE(long_column, 6 + 190 + 1e-9);  // wrapped to at most 190 units
  EXPECT_EQ(view_box(short_svg).width, view_box(long_svg).width);
  EXPECT_GT(view_box(word_svg).width, view_box(long_svg).width);  // the unbreakable word is whole
  EXPECT_NE(word_svg.find(">cross_fitted_prediction_from_queries_and_clicks_and_more<"), std::string::npos);
  // The long label is on several lines, each right-aligned at the column, inside its row.
  EXPECT_NE(long_svg.find("<tspan"), std::string::npos);
  expect_legible_on_a_phone(short_svg);
  expect_legible_on_a_phone(long_svg);
}

// The legend sits inside the figure however long its words: entries go on as many lines as they need.
TEST(ChartGeometry, LegendsWrapInsideTheFigure) {
  ChartLabels labels = chart_labels("f");
  labels.estimate = "추정값과 95% 신뢰구간 (이 분석이 보고한 표준오차와 자유도로 계산한 구간)";
  labels.truth = "시뮬레이션의 참값 (데이터를 만든 모형에서 계산한 값)";
  const std::string forest = forest_plot_svg({{"2SLS", 2.1, 2.0, 2.2, 2.05}}, labels);
  const auto boxes = expect_text_inside(forest);
  // The legend's lines (more than one per entry here) are above the first row.
  std::size_t legend_lines = 0;
  for (const Box& b : boxes) {
    if (b.text.find("신뢰") != std::string::npos || b.text.find("구간") != std::string::npos ||
        b.text.find("참값") != std::string::npos || b.text.find("계산한 값") != std::string::npos) {
      ++legend_lines;
      EXPECT_LT(b.bottom, find_box(boxes, "2SLS").top) << b.text;
    }
  }
  EXPECT_GE(legend_lines, 3u);

  const std::vector<ChartSeries> series = {
      {"synthetic control (shifted by the weighted pre-period gap)", {0, 1, 2}, {1, 2, 3}, {}, {}},
      {"estimate: bin mean, 10th–90th percentile band", {0, 1, 2}, {2, 3, 4}, {}, {}},
      {"placebos (each donor)", {0, 1, 2}, {0, 1, 1}, {}, {}}};
  const std::string lines = xy_chart_svg(ChartKind::lines, series, {}, chart_labels("p"));
  expect_text_inside(lines);
  expect_legible_on_a_phone(lines);
  const std::string dots = dot_chart_svg({"age", "income"}, series, {0.1}, chart_labels("d"));
  expect_text_inside(dots);
  expect_legible_on_a_phone(dots);
}

// The y axis makes room for its widest number and for its label turned upright (wrapped when
// longer than the plot is high); a long x label wraps under the plot.
TEST(ChartGeometry, AxesMakeRoomForTheirNumbersAndLabels) {
  ChartLabels labels = chart_labels("p");
  const std::vector<ChartSeries> small = {{"a", {0, 1, 2}, {0.1, 0.2, 0.3}, {}, {}}};
  const std::vector<ChartSeries> large = {{"a", {0, 1, 2}, {-1250000, 0, 3250000}, {}, {}}};
  const auto small_boxes = expect_text_inside(xy_chart_svg(ChartKind::points, small, {0}, labels));
  const auto large_boxes = expect_text_inside(xy_chart_svg(ChartKind::points, large, {0}, labels));
  // The y axis's numbers (the right-aligned texts) end where the plot begins: further right for
  // the longer numbers, with nothing cut on the left.
  const auto numbers_end = [](const std::vector<Box>& boxes) {
    double end = 0;
    for (const Box& b : boxes)
      if (b.anchor == "end") end = std::max(end, b.right);
    return end;
  };
  EXPECT_GT(numbers_end(large_boxes), numbers_end(small_boxes) + 20);
  labels.y_label = "TOC(q) = effect in the top q − ATE, in orders per thousand customers and week";
  labels.x_label = "share of population targeted (by predicted effect), cumulative, from the highest";
  const std::string long_labels = xy_chart_svg(ChartKind::lines, small, {}, labels);
  const auto boxes = expect_text_inside(long_labels);
  std::size_t upright = 0;
  for (std::size_t at = long_labels.find("rotate(-90)"); at != std::string::npos;
       at = long_labels.find("rotate(-90)", at + 1))
    ++upright;
  EXPECT_GE(upright, 2u) << "the y label wrapped";
  expect_legible_on_a_phone(long_labels);
}

}  // namespace
}  // namespace casebook::site

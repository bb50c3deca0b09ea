#pragma once
// Small SVG charts for the case pages: a forest plot of the analyses against the truth and the
// plots estimators return (points with intervals, e.g. an event study; lines, e.g. a Qini
// curve). Output is deterministic (fixed number formatting, no random ids) and accessible:
// role="img" with <title> and <desc>, the description saying in words what the chart shows.
// Every text lies inside the viewBox: row labels and legends wrap, the margins are sized from the
// labels and tick numbers, and a phone shows the whole chart scaled to its width.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casebook::site {

struct ForestRow {
  std::string label;
  double estimate = 0;
  std::optional<double> low, high;  // the confidence interval, when the analysis has one
  std::optional<double> truth;      // the truth of the analysis's estimand, when known
};

struct ChartLabels {
  std::string id;           // unique on the page; prefixes the title and desc ids
  std::string title;        // <title>
  std::string description;  // <desc>: the chart in words, for screen readers and alt text
  std::string estimate = "estimate (95% CI)";
  std::string truth = "truth";
  std::string x_label;
  std::string y_label;
};

// One row per analysis: a dot at the estimate, a bar over the interval, a diamond at the truth.
std::string forest_plot_svg(const std::vector<ForestRow>& rows, const ChartLabels& labels);

struct ChartSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> lower, upper;  // empty, or as long as y
};

enum class ChartKind { points, lines };

// Points with error bars (series side by side at each x) or lines with shaded bands;
// `reference_lines` are dashed horizontal lines (e.g. 0). Non-finite values are left out.
std::string xy_chart_svg(ChartKind kind, const std::vector<ChartSeries>& series,
                         const std::vector<double>& reference_lines, const ChartLabels& labels);

// A dot plot (a Love plot): one row per category, each series a dot per row at its value, joined
// across series by a thin line; `reference_lines` are dashed vertical lines (e.g. 0.1).
// `series[s].x[i]` is series s's value in category i; non-finite values are left out.
std::string dot_chart_svg(const std::vector<std::string>& categories, const std::vector<ChartSeries>& series,
                          const std::vector<double>& reference_lines, const ChartLabels& labels);

// How wide `text` will be drawn at `font_size`, estimated on the generous side (as wide as DejaVu
// Sans, Hangul a full em): the charts make room for their labels from it.
double text_width(std::string_view text, double font_size = 14);

// `text` in lines no wider than `max_width` (by text_width), broken at spaces; a word longer than
// that is a line of its own.
std::vector<std::string> wrap_text(std::string_view text, double max_width, double font_size = 14);

// Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten.
std::vector<double> nice_ticks(double low, double high, int target_count = 5);

}  // namespace casebook::site

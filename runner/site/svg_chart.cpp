#include "site/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "site/format.hpp"
#include "site/html_text.hpp"

namespace casebook::site {
namespace {

constexpr double kWidth = 720;
constexpr std::array<const char*, 6> kPalette = {"#0b5cad", "#c2410c", "#047857",
                                                 "#a21caf", "#92400e", "#0e7490"};
constexpr const char* kTruthColor = "#c2410c";
constexpr const char* kAxisColor = "#59636e";
constexpr const char* kGridColor = "#e5e9ee";

// Coordinates with two decimals: enough for the eye and the same bytes on every machine.
std::string px(double v) { return fmt::format("{:.2f}", v); }

// Rough text width in pixels at 13px: wide (CJK) characters count double.
double text_width(const std::string& text) {
  double width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80)
      width += 7.2;
    else if (c >= 0xE0)
      width += 13;  // lead byte of a 3- or 4-byte character (Hangul, CJK)
    else if (c >= 0xC0)
      width += 8;
  }
  return width;
}

// A row label right-aligned at x, on one line, or on two (split at the space nearest the middle)
// when one line would run past the chart's left edge and be clipped.
std::string row_label(const std::string& label, double x, double y) {
  const auto open =
      fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1f2328\">", px(x), px(y + 4));
  const auto off_middle = [&](std::size_t i) {
    return std::abs(2.0 * static_cast<double>(i) - static_cast<double>(label.size()));
  };
  std::size_t split = std::string::npos;
  if (text_width(label) > x - 4)
    for (std::size_t i = 0; i < label.size(); ++i)
      if (label[i] == ' ' && (split == std::string::npos || off_middle(i) < off_middle(split))) split = i;
  if (split == std::string::npos) return open + escape_html(label) + "</text>";
  return fmt::format("{}<tspan x=\"{}\" dy=\"-7\">{}</tspan><tspan x=\"{}\" dy=\"14\">{}</tspan></text>",
                     open, px(x), escape_html(label.substr(0, split)), px(x),
                     escape_html(label.substr(split + 1)));
}

struct Range {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  bool empty() const { return low > high; }
  // Padded a little so marks do not sit on the frame; a point range gets a unit width.
  Range padded() const {
    if (empty()) return {-1, 1};
    if (high - low < 1e-12 * std::max(1.0, std::abs(high)))
      return {low - std::max(1.0, std::abs(low) * 0.1), high + std::max(1.0, std::abs(high) * 0.1)};
    const double pad = (high - low) * 0.05;
    return {low - pad, high + pad};
  }
};

struct Scale {
  double d0, d1, r0, r1;
  double operator()(double v) const { return r0 + (v - d0) / (d1 - d0) * (r1 - r0); }
};

Range with_ticks(Range r, const std::vector<double>& ticks) {
  for (const double t : ticks) r.add(t);
  return r;
}

std::string open_svg(double height, const ChartLabels& labels, const std::string& css_class) {
  const std::string id = escape_html(labels.id);
  return fmt::format(
      "<svg class=\"chart {}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" aria-labelledby=\"{}-title {}-desc\" font-size=\"13\">\n"
      "<title id=\"{}-title\">{}</title>\n<desc id=\"{}-desc\">{}</desc>\n",
      css_class, px(kWidth), px(height), px(kWidth), px(height), id, id, id, escape_html(labels.title), id,
      escape_html(labels.description));
}

std::string x_axis(const Scale& x, const std::vector<double>& ticks, double top, double bottom,
                   const std::string& label) {
  std::string out;
  for (const double t : ticks) {
    out += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\"/>\n", px(x(t)),
                       px(top), px(bottom), kGridColor);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n", px(x(t)),
                       px(bottom + 16), kAxisColor, escape_html(format_number(t)));
  }
  out += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>\n", px(x.r0),
                     px(x.r1), px(bottom), kAxisColor);
  if (!label.empty())
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
                       px((x.r0 + x.r1) / 2), px(bottom + 36), kAxisColor, escape_html(label));
  return out;
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int target_count) {
  if (!std::isfinite(low) || !std::isfinite(high) || high <= low || target_count < 1) return {};
  const double raw = (high - low) / target_count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power * 10;
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  }
  // Below 1, a tick is (k × multiple) / 10^d, which rounds to the decimal a reader expects
  // (0.6, not 0.6000000000000001 from 3 × 0.2).
  const double multiple = step / power;
  const double scale = power < 1 ? std::round(1 / power) : 1;
  std::vector<double> ticks;
  for (double k = std::ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k += 1) {
    const double t = power < 1 ? (k * multiple) / scale : k * step;
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::string forest_plot_svg(const std::vector<ForestRow>& rows, const ChartLabels& labels) {
  constexpr double kRow = 30, kTop = 34, kAxisSpace = 46;
  double label_width = 80;
  Range range;
  for (const ForestRow& r : rows) {
    label_width = std::max(label_width, text_width(r.label) + 16);
    range.add(r.estimate);
    if (r.low) range.add(*r.low);
    if (r.high) range.add(*r.high);
    if (r.truth) range.add(*r.truth);
  }
  label_width = std::min(label_width, 300.0);
  const Range padded = range.padded();
  const std::vector<double> ticks = nice_ticks(padded.low, padded.high);
  const Range domain = with_ticks(padded, ticks);
  const double plot_bottom = kTop + kRow * static_cast<double>(rows.size());
  const double height = plot_bottom + kAxisSpace;
  const Scale x{domain.low, domain.high, label_width, kWidth - 20};

  std::string svg = open_svg(height, labels, "forest-plot");
  // Legend: what the dot, the bar and the diamond mean.
  svg += fmt::format("<g class=\"legend\" fill=\"{}\">", kAxisColor);
  svg += fmt::format("<circle cx=\"{}\" cy=\"14\" r=\"4.5\" fill=\"{}\"/>", px(label_width + 6), kPalette[0]);
  svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"14\" y2=\"14\" stroke=\"{}\" stroke-width=\"2\"/>",
                     px(label_width - 6), px(label_width + 18), kPalette[0]);
  svg += fmt::format("<text x=\"{}\" y=\"18\">{}</text>", px(label_width + 26), escape_html(labels.estimate));
  const double truth_x = label_width + 40 + text_width(labels.estimate);
  svg += fmt::format(
      "<path d=\"M{0} 8 L{1} 14 L{0} 20 L{2} 14 Z\" fill=\"none\" stroke=\"{3}\" stroke-width=\"2\"/>",
      px(truth_x), px(truth_x + 6), px(truth_x - 6), kTruthColor);
  svg += fmt::format("<text x=\"{}\" y=\"18\">{}</text></g>\n", px(truth_x + 12), escape_html(labels.truth));
  svg += x_axis(x, ticks, kTop, plot_bottom, labels.x_label);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ForestRow& r = rows[i];
    const double y = kTop + kRow * (static_cast<double>(i) + 0.5);
    svg += "<g class=\"row\">";
    svg += row_label(r.label, label_width - 10, y);
    if (r.low && r.high && std::isfinite(*r.low) && std::isfinite(*r.high)) {
      svg += fmt::format(
          "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2.5\"/>",
          px(x(*r.low)), px(x(*r.high)), px(y), kPalette[0]);
    }
    if (std::isfinite(r.estimate))
      svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\"/>", px(x(r.estimate)), px(y),
                         kPalette[0]);
    if (r.truth && std::isfinite(*r.truth)) {
      const double tx = x(*r.truth);
      svg += fmt::format(
          "<path d=\"M{0} {1} L{2} {3} L{0} {4} L{5} {3} Z\" fill=\"none\" stroke=\"{6}\" "
          "stroke-width=\"2\"/>",
          px(tx), px(y - 8), px(tx + 6), px(y), px(y + 8), px(tx - 6), kTruthColor);
    }
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

std::string dot_chart_svg(const std::vector<std::string>& categories, const std::vector<ChartSeries>& series,
                          const std::vector<double>& reference_lines, const ChartLabels& labels) {
  constexpr double kRow = 24, kTop = 34, kAxisSpace = 46;
  double label_width = 80;
  for (const std::string& c : categories) label_width = std::max(label_width, text_width(c) + 16);
  label_width = std::min(label_width, 300.0);
  Range range;
  for (const ChartSeries& s : series)
    for (const double v : s.x) range.add(v);
  for (const double v : reference_lines) range.add(v);
  Range padded = range.padded();
  // Magnitudes (|SMD| in a Love plot) are read against zero: start the axis there.
  if (!range.empty() && range.low >= 0) padded.low = 0;
  const std::vector<double> ticks = nice_ticks(padded.low, padded.high);
  const Range domain = with_ticks(padded, ticks);
  const double bottom = kTop + kRow * static_cast<double>(categories.size());
  const Scale x{domain.low, domain.high, label_width, kWidth - 20};

  std::string svg = open_svg(bottom + kAxisSpace, labels, "dot-chart");
  double legend_x = label_width;
  for (std::size_t s = 0; s < series.size(); ++s) {
    svg += fmt::format(
        "<circle cx=\"{}\" cy=\"14\" r=\"5\" fill=\"{}\"/><text x=\"{}\" y=\"18\" fill=\"{}\">{}</text>\n",
        px(legend_x + 6), kPalette[s % kPalette.size()], px(legend_x + 16), kAxisColor,
        escape_html(series[s].name));
    legend_x += 36 + text_width(series[s].name);
  }
  svg += x_axis(x, ticks, kTop, bottom, labels.x_label);
  for (const double v : reference_lines) {
    if (!std::isfinite(v)) continue;
    svg += fmt::format(
        "<line class=\"reference\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
        "stroke-dasharray=\"5 4\"/>\n",
        px(x(v)), px(kTop), px(bottom), kAxisColor);
  }
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const double y = kTop + kRow * (static_cast<double>(i) + 0.5);
    svg += "<g class=\"row\">";
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#1f2328\">{}</text>",
                       px(label_width - 10), px(y + 4), escape_html(categories[i]));
    // A thin line from the first series' dot to the last's shows how far the row moved.
    Range row;
    for (const ChartSeries& s : series)
      if (i < s.x.size()) row.add(s.x[i]);
    if (!row.empty() && row.high > row.low)
      svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>", px(x(row.low)),
                         px(x(row.high)), px(y), kGridColor);
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (i >= series[s].x.size() || !std::isfinite(series[s].x[i])) continue;
      svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\"/>", px(x(series[s].x[i])), px(y),
                         kPalette[s % kPalette.size()]);
    }
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

std::string xy_chart_svg(ChartKind kind, const std::vector<ChartSeries>& series,
                         const std::vector<double>& reference_lines, const ChartLabels& labels) {
  constexpr double kLeft = 64, kRight = 20, kTop = 34, kPlotHeight = 260, kAxisSpace = 48;
  Range xr, yr;
  for (const ChartSeries& s : series) {
    for (const double v : s.x) xr.add(v);
    for (const auto* values : {&s.y, &s.lower, &s.upper})
      for (const double v : *values) yr.add(v);
  }
  for (const double v : reference_lines) yr.add(v);
  const Range xp = xr.padded(), yp = yr.padded();
  const std::vector<double> xticks = nice_ticks(xp.low, xp.high, 6), yticks = nice_ticks(yp.low, yp.high, 5);
  const Range xd = with_ticks(xp, xticks), yd = with_ticks(yp, yticks);
  const double bottom = kTop + kPlotHeight;
  const Scale x{xd.low, xd.high, kLeft, kWidth - kRight};
  const Scale y{yd.low, yd.high, bottom, kTop};

  std::string svg =
      open_svg(bottom + kAxisSpace, labels, kind == ChartKind::points ? "points-chart" : "lines-chart");
  // Legend across the top.
  double legend_x = kLeft;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const char* color = kPalette[s % kPalette.size()];
    svg += fmt::format(
        "<rect x=\"{}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"18\" "
        "fill=\"{}\">{}</text>\n",
        px(legend_x), color, px(legend_x + 17), kAxisColor, escape_html(series[s].name));
    legend_x += 36 + text_width(series[s].name);
  }
  for (const double t : yticks) {
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>\n", px(kLeft),
                       px(kWidth - kRight), px(y(t)), kGridColor);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>\n", px(kLeft - 8),
                       px(y(t) + 4), kAxisColor, escape_html(format_number(t)));
  }
  if (!labels.y_label.empty())
    svg += fmt::format(
        "<text transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
        px((kTop + bottom) / 2), kAxisColor, escape_html(labels.y_label));
  svg += x_axis(x, xticks, kTop, bottom, labels.x_label);
  for (const double v : reference_lines) {
    if (!std::isfinite(v)) continue;
    svg += fmt::format(
        "<line class=\"reference\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" "
        "stroke-dasharray=\"5 4\"/>\n",
        px(kLeft), px(kWidth - kRight), px(y(v)), kAxisColor);
  }
  const double dodge = series.size() > 1 ? 6.0 : 0.0;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const ChartSeries& cs = series[s];
    const char* color = kPalette[s % kPalette.size()];
    const std::size_t n = std::min(cs.x.size(), cs.y.size());
    const bool has_band = cs.lower.size() == n && cs.upper.size() == n && n > 0;
    const auto finite = [&](std::size_t i) { return std::isfinite(cs.x[i]) && std::isfinite(cs.y[i]); };
    svg += fmt::format("<g class=\"series\" fill=\"{0}\" stroke=\"{0}\">", color);
    if (kind == ChartKind::points) {
      const double offset = (static_cast<double>(s) - static_cast<double>(series.size() - 1) / 2) * dodge;
      for (std::size_t i = 0; i < n; ++i) {
        if (!finite(i)) continue;
        const double cx = x(cs.x[i]) + offset;
        if (has_band && std::isfinite(cs.lower[i]) && std::isfinite(cs.upper[i]))
          svg += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke-width=\"2\"/>", px(cx),
                             px(y(cs.lower[i])), px(y(cs.upper[i])));
        svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" stroke=\"none\"/>", px(cx), px(y(cs.y[i])));
      }
    } else {
      // Bands first, under the lines; a gap (non-finite value) starts a new segment.
      std::vector<std::vector<std::size_t>> segments(1);
      for (std::size_t i = 0; i < n; ++i) {
        const bool ok =
            finite(i) && (!has_band || (std::isfinite(cs.lower[i]) && std::isfinite(cs.upper[i])));
        if (ok)
          segments.back().push_back(i);
        else if (!segments.back().empty())
          segments.emplace_back();
      }
      for (const auto& seg : segments) {
        if (seg.empty()) continue;
        if (has_band) {
          std::string points;
          for (const std::size_t i : seg) points += px(x(cs.x[i])) + "," + px(y(cs.upper[i])) + " ";
          for (auto it = seg.rbegin(); it != seg.rend(); ++it)
            points += px(x(cs.x[*it])) + "," + px(y(cs.lower[*it])) + " ";
          points.pop_back();
          svg += fmt::format("<polygon points=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>", points);
        }
        std::string points;
        for (const std::size_t i : seg) points += px(x(cs.x[i])) + "," + px(y(cs.y[i])) + " ";
        points.pop_back();
        svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke-width=\"2\"/>", points);
      }
    }
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace casebook::site

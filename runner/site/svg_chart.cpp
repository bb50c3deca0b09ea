#include "site/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "site/format.hpp"
#include "site/html_text.hpp"

namespace casebook::site {
namespace {

// Every chart's text is kFont units high in a viewBox kWidth units wide (wider only when one word
// of a row label needs it). The SVG scales with its column: on a 390-px phone (a 361-px column)
// 14 of 480 units are 10.5 px; on a desktop the stylesheet caps it near the body text's size.
constexpr double kWidth = 480;
constexpr double kFont = 14;
constexpr double kLine = 17;        // between the lines of a wrapped label
constexpr double kEdge = 6;         // kept free at the viewBox's edges
constexpr double kLabelWrap = 190;  // a row label wraps to lines at most this wide
constexpr double kMinPlot = 220;    // the narrowest plotting area beside the row labels
// A line of text reaches this far above and below its baseline (a Korean font's box is the
// tallest: 1.16 and 0.29 of the font size).
constexpr double kAscent = 1.16 * kFont, kDescent = 0.3 * kFont;
constexpr std::array<const char*, 6> kPalette = {"#0b5cad", "#c2410c", "#047857",
                                                 "#a21caf", "#92400e", "#0e7490"};
constexpr const char* kTruthColor = "#c2410c";
constexpr const char* kAxisColor = "#59636e";
constexpr const char* kGridColor = "#e5e9ee";
constexpr const char* kTextColor = "#1f2328";

// Coordinates with two decimals: enough for the eye and the same bytes on every machine.
std::string px(double v) { return fmt::format("{:.2f}", v); }

// Width of an ASCII character in ems, as wide as DejaVu Sans draws it (the widest of the usual
// system sans fonts, and Debian's), so that an estimate errs on the side of room.
double ascii_em(char c) {
  if (std::strchr(" .,:;'`|!iljI", c)) return 0.32;
  if (std::strchr("ftr()[]{}/\\-\"*", c)) return 0.45;
  if (std::strchr("mwMW%@", c)) return 1.0;
  if (std::strchr("#+<=>^~&", c)) return 0.84;
  if (c >= 'A' && c <= 'Z') return 0.78;
  return 0.64;  // digits, the other lowercase letters
}

// The text between <tspan>s or <text> tags, escaped.
std::string tspans(const std::vector<std::string>& lines, double x, double first_dy) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += fmt::format("<tspan x=\"{}\" dy=\"{}\">{}</tspan>", px(x), px(i == 0 ? first_dy : kLine),
                       escape_html(lines[i]));
  return out;
}

// Lines of text at x, anchored at `anchor`, the block's middle at y: one line as plain text,
// more as <tspan>s (a screen reader reads them as one phrase).
std::string text_block(const std::vector<std::string>& lines, double x, double y, const char* anchor,
                       const char* fill) {
  const double first = y + 5 - kLine * static_cast<double>(lines.size() - 1) / 2;
  const auto open =
      fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" fill=\"{}\">", px(x), px(first), anchor, fill);
  if (lines.size() == 1) return open + escape_html(lines[0]) + "</text>";
  return open + tspans(lines, x, 0) + "</text>";
}

double widest_line(const std::vector<std::string>& lines) {
  double widest = 0;
  for (const std::string& line : lines) widest = std::max(widest, text_width(line));
  return widest;
}

// Entries side by side from `left`, a new line when the next would pass `right`; an entry too
// long for a line wraps its text. Each marker is drawn centred on (x, y) by `draw`, `width` wide.
class Legend {
 public:
  Legend(double left, double right, double top) : left_(left), right_(right), x_(left), y_(top + kLine / 2) {}
  void add(double marker_width, const std::function<std::string(double x, double y)>& draw,
           const std::string& text) {
    const double room = right_ - left_ - marker_width - 6;
    const std::vector<std::string> lines = wrap_text(text, room);
    const double entry = marker_width + 6 + widest_line(lines);
    if (x_ > left_ && x_ + entry > right_) {
      x_ = left_;
      y_ = bottom_ + kLine / 2 + 4;
    }
    const double middle = y_ + kLine * static_cast<double>(lines.size() - 1) / 2;
    svg_ += draw(x_ + marker_width / 2, y_);
    svg_ += text_block(lines, x_ + marker_width + 6, middle, "start", kAxisColor);
    bottom_ = std::max(bottom_, y_ + kLine * static_cast<double>(lines.size() - 1) + kLine / 2);
    x_ += entry + 18;
  }
  std::string svg() const { return "<g class=\"legend\">" + svg_ + "</g>\n"; }
  // Below the last line of entries.
  double bottom() const { return bottom_; }

 private:
  double left_, right_, x_, y_, bottom_ = 0;
  std::string svg_;
};

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

std::string open_svg(double width, double height, const ChartLabels& labels, const std::string& css_class) {
  const std::string id = escape_html(labels.id);
  return fmt::format(
      "<svg class=\"chart {}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" aria-labelledby=\"{}-title {}-desc\" font-size=\"{}\">\n"
      "<title id=\"{}-title\">{}</title>\n<desc id=\"{}-desc\">{}</desc>\n",
      css_class, px(width), px(height), px(width), px(height), id, id, kFont, id, escape_html(labels.title),
      id, escape_html(labels.description));
}

// Room right of the plotting area for half of the last tick's number, centred on its tick.
double right_margin(const std::vector<double>& ticks) {
  return std::max(16.0, (ticks.empty() ? 0 : text_width(format_number(ticks.back())) / 2) + kEdge);
}

// The x axis below the plotting area: ticks, numbers and the label (wrapped to the chart's
// width, centred under the plot as far as it fits). Returns the SVG and the chart's height.
std::pair<std::string, double> x_axis(const Scale& x, const std::vector<double>& ticks, double top,
                                      double bottom, const std::string& label, double chart_width) {
  std::string out;
  for (const double t : ticks) {
    out += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\"/>\n", px(x(t)),
                       px(top), px(bottom), kGridColor);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n", px(x(t)),
                       px(bottom + 18), kAxisColor, escape_html(format_number(t)));
  }
  out += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>\n", px(x.r0),
                     px(x.r1), px(bottom), kAxisColor);
  double height = bottom + 18 + kDescent + kEdge;
  if (!label.empty()) {
    const std::vector<std::string> lines = wrap_text(label, chart_width - 2 * kEdge);
    const double half = widest_line(lines) / 2;
    const double centre =
        std::clamp((x.r0 + x.r1) / 2, kEdge + half, std::max(kEdge + half, chart_width - kEdge - half));
    const double first = bottom + 40;
    out += text_block(lines, centre, first - 5 + kLine * static_cast<double>(lines.size() - 1) / 2, "middle",
                      kAxisColor);
    height = first + kLine * static_cast<double>(lines.size() - 1) + kDescent + kEdge;
  }
  return {out, height};
}

// The truth's mark: a diamond outline centred on (x, y).
std::string diamond(double x, double y, double half_width, double half_height) {
  return fmt::format(
      "<path d=\"M{0} {1} L{2} {3} L{0} {4} L{5} {3} Z\" fill=\"none\" stroke=\"{6}\" stroke-width=\"2\"/>",
      px(x), px(y - half_height), px(x + half_width), px(y), px(y + half_height), px(x - half_width),
      kTruthColor);
}

std::string dot(double x, double y, double r, const char* color) {
  return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>", px(x), px(y), r, color);
}

// Row labels right-aligned at the end of a label column: each wrapped to kLabelWrap, the column
// as wide as its widest line (or a longer word), so that no label is cut at the chart's left.
struct RowLabels {
  std::vector<std::vector<std::string>> lines;
  double right = 0;  // where the labels end (their text-anchor)
  explicit RowLabels(const std::vector<std::string>& labels) {
    double widest = 40;
    for (const std::string& label : labels) {
      lines.push_back(wrap_text(label, kLabelWrap));
      widest = std::max(widest, widest_line(lines.back()));
    }
    right = kEdge + widest;
  }
  // A row tall enough for its label's lines.
  double row_height(std::size_t i, double minimum) const {
    return std::max(minimum, kLine * static_cast<double>(lines[i].size()) + 10);
  }
  // The rows stacked down from `top`, each at least `minimum` tall: their middles, and the bottom
  // of the last.
  std::pair<std::vector<double>, double> stack(double top, double minimum) const {
    std::vector<double> middles;
    double bottom = top;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const double height = row_height(i, minimum);
      middles.push_back(bottom + height / 2);
      bottom += height;
    }
    return {middles, bottom};
  }
};

}  // namespace

double text_width(std::string_view text, double font_size) {
  double ems = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80)
      ems += ascii_em(static_cast<char>(c));
    else if (c == 0xCC || c == 0xCD)
      ++i;  // a combining mark (the hat of τ̂): no width of its own; skip its second byte
    else if (c >= 0xE0)
      ems += 1.0;  // a 3- or 4-byte character: Hangul, CJK, a dash or a math sign
    else if (c >= 0xC0)
      ems += 0.7;  // a 2-byte character: Greek, accented Latin
  }
  return ems * font_size;
}

std::vector<std::string> wrap_text(std::string_view text, double max_width, double font_size) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(at, end - at);
    if (!word.empty()) {
      const std::string joined = line.empty() ? std::string(word) : line + " " + std::string(word);
      if (!line.empty() && text_width(joined, font_size) > max_width) {
        lines.push_back(line);
        line = std::string(word);
      } else {
        line = joined;
      }
    }
    at = end + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

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
  constexpr double kRow = 30;
  std::vector<std::string> names;
  Range range;
  for (const ForestRow& r : rows) {
    names.push_back(r.label);
    range.add(r.estimate);
    if (r.low) range.add(*r.low);
    if (r.high) range.add(*r.high);
    if (r.truth) range.add(*r.truth);
  }
  const RowLabels row_labels(names);
  const Range padded = range.padded();
  const std::vector<double> ticks = nice_ticks(padded.low, padded.high);
  const Range domain = with_ticks(padded, ticks);
  const double plot_left = row_labels.right + 14, right = right_margin(ticks);
  const double width = std::max(kWidth, plot_left + kMinPlot + right);
  const Scale x{domain.low, domain.high, plot_left, width - right};

  // Legend: what the dot, the bar and the diamond mean.
  Legend legend(kEdge, width - kEdge, kEdge);
  legend.add(
      28,
      [](double cx, double cy) {
        return fmt::format(
                   "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>",
                   px(cx - 12), px(cx + 12), px(cy), kPalette[0]) +
               dot(cx, cy, 4.5, kPalette[0]);
      },
      labels.estimate);
  legend.add(
      14, [](double cx, double cy) { return diamond(cx, cy, 6, 6); }, labels.truth);
  const double top = legend.bottom() + 12;
  const auto [row_middle, plot_bottom] = row_labels.stack(top, kRow);
  const auto [axis, height] = x_axis(x, ticks, top, plot_bottom, labels.x_label, width);

  std::string svg = open_svg(width, height, labels, "forest-plot") + legend.svg() + axis;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ForestRow& r = rows[i];
    const double y = row_middle[i];
    svg += "<g class=\"row\">";
    svg += text_block(row_labels.lines[i], row_labels.right, y, "end", kTextColor);
    if (r.low && r.high && std::isfinite(*r.low) && std::isfinite(*r.high)) {
      svg += fmt::format(
          "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2.5\"/>",
          px(x(*r.low)), px(x(*r.high)), px(y), kPalette[0]);
    }
    if (std::isfinite(r.estimate)) svg += dot(x(r.estimate), y, 5, kPalette[0]);
    if (r.truth && std::isfinite(*r.truth)) svg += diamond(x(*r.truth), y, 6, 8);
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

std::string dot_chart_svg(const std::vector<std::string>& categories, const std::vector<ChartSeries>& series,
                          const std::vector<double>& reference_lines, const ChartLabels& labels) {
  constexpr double kRow = 24;
  const RowLabels row_labels(categories);
  Range range;
  for (const ChartSeries& s : series)
    for (const double v : s.x) range.add(v);
  for (const double v : reference_lines) range.add(v);
  Range padded = range.padded();
  // Magnitudes (|SMD| in a Love plot) are read against zero: start the axis there.
  if (!range.empty() && range.low >= 0) padded.low = 0;
  const std::vector<double> ticks = nice_ticks(padded.low, padded.high);
  const Range domain = with_ticks(padded, ticks);
  const double plot_left = row_labels.right + 14, right = right_margin(ticks);
  const double width = std::max(kWidth, plot_left + kMinPlot + right);
  const Scale x{domain.low, domain.high, plot_left, width - right};

  Legend legend(kEdge, width - kEdge, kEdge);
  for (std::size_t s = 0; s < series.size(); ++s) {
    const char* color = kPalette[s % kPalette.size()];
    legend.add(
        10, [color](double cx, double cy) { return dot(cx, cy, 5, color); }, series[s].name);
  }
  const double top = legend.bottom() + 12;
  const auto [row_middle, bottom] = row_labels.stack(top, kRow);
  const auto [axis, height] = x_axis(x, ticks, top, bottom, labels.x_label, width);

  std::string svg = open_svg(width, height, labels, "dot-chart") + legend.svg() + axis;
  for (const double v : reference_lines) {
    if (!std::isfinite(v)) continue;
    svg += fmt::format(
        "<line class=\"reference\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
        "stroke-dasharray=\"5 4\"/>\n",
        px(x(v)), px(top), px(bottom), kAxisColor);
  }
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const double y = row_middle[i];
    svg += "<g class=\"row\">";
    svg += text_block(row_labels.lines[i], row_labels.right, y, "end", kTextColor);
    // A thin line from the first series' dot to the last's shows how far the row moved.
    Range row;
    for (const ChartSeries& s : series)
      if (i < s.x.size()) row.add(s.x[i]);
    if (!row.empty() && row.high > row.low)
      svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>", px(x(row.low)),
                         px(x(row.high)), px(y), kGridColor);
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (i >= series[s].x.size() || !std::isfinite(series[s].x[i])) continue;
      svg += dot(x(series[s].x[i]), y, 5, kPalette[s % kPalette.size()]);
    }
    svg += "</g>\n";
  }
  svg += "</svg>";
  return svg;
}

std::string xy_chart_svg(ChartKind kind, const std::vector<ChartSeries>& series,
                         const std::vector<double>& reference_lines, const ChartLabels& labels) {
  constexpr double kPlotHeight = 240;
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
  // Left of the plot: the y label turned upright (on as many lines as the plot's height needs),
  // then the widest tick number.
  const std::vector<std::string> y_label =
      labels.y_label.empty() ? std::vector<std::string>{} : wrap_text(labels.y_label, kPlotHeight);
  const double y_label_x = kEdge + kAscent;
  double left =
      y_label.empty() ? kEdge : y_label_x + kLine * static_cast<double>(y_label.size() - 1) + kDescent + 8;
  double widest_tick = 0;
  for (const double t : yticks) widest_tick = std::max(widest_tick, text_width(format_number(t)));
  left += widest_tick + 8;
  const double right = right_margin(xticks);

  Legend legend(left, kWidth - kEdge, kEdge);
  for (std::size_t s = 0; s < series.size(); ++s) {
    const char* color = kPalette[s % kPalette.size()];
    legend.add(
        12,
        [color](double cx, double cy) {
          return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>", px(cx - 6),
                             px(cy - 6), color);
        },
        series[s].name);
  }
  const double top = series.empty() ? kEdge + kAscent : legend.bottom() + 14;
  const double bottom = top + kPlotHeight;
  const Scale x{xd.low, xd.high, left, kWidth - right};
  const Scale y{yd.low, yd.high, bottom, top};
  const auto [axis, height] = x_axis(x, xticks, top, bottom, labels.x_label, kWidth);

  std::string svg =
      open_svg(kWidth, height, labels, kind == ChartKind::points ? "points-chart" : "lines-chart") +
      legend.svg();
  for (const double t : yticks) {
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\"/>\n", px(x.r0),
                       px(x.r1), px(y(t)), kGridColor);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{}\">{}</text>\n", px(x.r0 - 8),
                       px(y(t) + 5), kAxisColor, escape_html(format_number(t)));
  }
  // Each line of the y label is its own <text>, turned about its own point.
  for (std::size_t i = 0; i < y_label.size(); ++i)
    svg += fmt::format(
        "<text transform=\"translate({} {}) rotate(-90)\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
        px(y_label_x + kLine * static_cast<double>(i)), px((top + bottom) / 2), kAxisColor,
        escape_html(y_label[i]));
  svg += axis;
  for (const double v : reference_lines) {
    if (!std::isfinite(v)) continue;
    svg += fmt::format(
        "<line class=\"reference\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" "
        "stroke-dasharray=\"5 4\"/>\n",
        px(x.r0), px(x.r1), px(y(v)), kAxisColor);
  }
  const double dodge = series.size() > 1 ? 6.0 : 0.0;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const ChartSeries& cs = series[s];
    const char* color = kPalette[s % kPalette.size()];
    const std::size_t n = std::min(cs.x.size(), cs.y.size());
    // Dense series (an RD plot's bins) get smaller dots: they would overlap, and a printed circle
    // costs Chromium more Bézier segments the larger it is drawn.
    const double radius = n > 40 ? 2.5 : 4.0;
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
        svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" stroke=\"none\"/>", px(cx), px(y(cs.y[i])),
                           radius);
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

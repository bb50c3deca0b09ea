#include "site/math.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "site/html_text.hpp"

namespace casebook::site {
namespace {

// A placeholder is U+E000, the nonce, the span's number, U+E001: private-use characters that
// cmark passes through untouched, and letters and digits that no markdown rule changes.
constexpr std::string_view kOpen = "\xEE\x80\x80";
constexpr std::string_view kClose = "\xEE\x80\x81";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t line_end(std::string_view text, std::size_t from) {
  const auto end = text.find('\n', from);
  return end == std::string_view::npos ? text.size() : end + 1;
}

// Where the paragraph containing `from` ends: the start of the next blank line.
std::size_t paragraph_end(std::string_view text, std::size_t from) {
  for (std::size_t line = line_end(text, from); line < text.size(); line = line_end(text, line)) {
    std::size_t i = line;
    while (i < text.size() && text[i] != '\n' && is_space(text[i])) ++i;
    if (i >= text.size() || text[i] == '\n') return line;
  }
  return text.size();
}

// A fence line: up to three spaces, then three or more ` or ~. Returns the run, or empty.
std::string_view fence_at(std::string_view text, std::size_t line) {
  std::size_t i = line;
  while (i < text.size() && i - line < 3 && text[i] == ' ') ++i;
  if (i >= text.size() || (text[i] != '`' && text[i] != '~')) return {};
  std::size_t j = i;
  while (j < text.size() && text[j] == text[i]) ++j;
  return j - i >= 3 ? text.substr(i, j - i) : std::string_view{};
}

std::size_t run_length(std::string_view text, std::size_t from, char c) {
  std::size_t j = from;
  while (j < text.size() && text[j] == c) ++j;
  return j - from;
}

// The end (one past) of a code span opening with `ticks` backticks at `from`, or npos.
std::size_t code_span_end(std::string_view text, std::size_t from, std::size_t ticks, std::size_t limit) {
  for (std::size_t j = from + ticks; j < limit;) {
    if (text[j] != '`') {
      ++j;
      continue;
    }
    const std::size_t run = run_length(text, j, '`');
    if (run == ticks) return j + run;
    j += run;
  }
  return std::string_view::npos;
}

// The position of the `$` closing inline math opened at `from`, or npos.
std::size_t inline_math_close(std::string_view text, std::size_t from, std::size_t limit) {
  if (from + 1 >= limit || is_space(text[from + 1]) || text[from + 1] == '$') return std::string_view::npos;
  for (std::size_t j = from + 1; j < limit; ++j) {
    if (text[j] == '\\') {
      ++j;  // \$ and \\ inside math are TeX
      continue;
    }
    if (text[j] != '$') continue;
    const bool followed_by_digit =
        j + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[j + 1]));
    if (!is_space(text[j - 1]) && !followed_by_digit) return j;
  }
  return std::string_view::npos;
}

// The position of the `$$` closing display math opened at `from`, or npos.
std::size_t display_math_close(std::string_view text, std::size_t from, std::size_t limit) {
  for (std::size_t j = from + 2; j + 1 < limit; ++j) {
    if (text[j] == '\\') {
      ++j;
      continue;
    }
    if (text[j] == '$' && text[j + 1] == '$') return j;
  }
  return std::string_view::npos;
}

bool is_blank(std::string_view text) {
  for (const char c : text) {
    if (!is_space(c)) return false;
  }
  return true;
}

// FNV-1a: stable everywhere (unlike std::hash), and it never reaches the page.
std::string nonce_of(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  std::string hex;
  for (int shift = 60; shift >= 0; shift -= 4) hex += "0123456789abcdef"[(hash >> shift) & 0xf];
  return hex;
}

void add_span(MathCut& cut, std::string_view tex, std::string_view source, bool display) {
  cut.text += kOpen;
  cut.text += cut.nonce;
  cut.text += std::to_string(cut.spans.size());
  cut.text += kClose;
  cut.spans.push_back({std::string(tex), std::string(source), display});
}

}  // namespace

MathCut cut_math(std::string_view text) {
  MathCut cut;
  cut.nonce = nonce_of(text);
  cut.text.reserve(text.size());
  std::string_view open_fence;  // non-empty while inside a fenced code block
  std::size_t i = 0;
  while (i < text.size()) {
    if (i == 0 || text[i - 1] == '\n') {
      const std::string_view fence = fence_at(text, i);
      const bool closes = !open_fence.empty() && !fence.empty() && fence[0] == open_fence[0] &&
                          fence.size() >= open_fence.size();
      if (closes)
        open_fence = {};
      else if (open_fence.empty() && !fence.empty())
        open_fence = fence;
      if (!fence.empty() || !open_fence.empty()) {
        const std::size_t end = line_end(text, i);
        cut.text += text.substr(i, end - i);
        i = end;
        continue;
      }
    }
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      cut.text += text.substr(i, 2);
      i += 2;
    } else if (c == '`') {
      const std::size_t ticks = run_length(text, i, '`');
      const std::size_t end = code_span_end(text, i, ticks, paragraph_end(text, i));
      const std::size_t copied = end == std::string_view::npos ? ticks : end - i;
      cut.text += text.substr(i, copied);
      i += copied;
    } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      const std::size_t close = display_math_close(text, i, paragraph_end(text, i));
      if (close == std::string_view::npos || is_blank(text.substr(i + 2, close - i - 2))) {
        cut.text += "$$";
        i += 2;
      } else {
        add_span(cut, text.substr(i + 2, close - i - 2), text.substr(i, close + 2 - i), true);
        i = close + 2;
      }
    } else if (c == '$') {
      const std::size_t close = inline_math_close(text, i, paragraph_end(text, i));
      if (close == std::string_view::npos) {
        cut.text += c;
        ++i;
      } else {
        add_span(cut, text.substr(i + 1, close - i - 1), text.substr(i, close + 1 - i), false);
        i = close + 1;
      }
    } else {
      cut.text += c;
      ++i;
    }
  }
  return cut;
}

std::string restore_math(std::string_view html, const MathCut& cut) {
  const std::string open = std::string(kOpen) + cut.nonce;
  std::string out;
  out.reserve(html.size());
  bool in_tag = false;
  int code_depth = 0;  // inside <code>, math is shown as written
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      in_tag = true;
      if (html.substr(i, 6) == "<code>" || html.substr(i, 6) == "<code ") ++code_depth;
      if (html.substr(i, 7) == "</code>" && code_depth > 0) --code_depth;
    } else if (c == '>') {
      in_tag = false;
    } else if (html.substr(i, open.size()) == open) {
      const std::size_t digits = i + open.size();
      const std::size_t close = html.find(kClose, digits);
      std::size_t index = cut.spans.size();
      if (close != std::string_view::npos && close > digits && close - digits < 10) {
        const std::string_view number = html.substr(digits, close - digits);
        if (std::all_of(number.begin(), number.end(), [](char d) { return d >= '0' && d <= '9'; })) {
          index = std::stoul(std::string(number));
        }
      }
      if (index < cut.spans.size()) {
        const MathSpan& span = cut.spans[index];
        const std::size_t after = close + kClose.size();
        const std::string tex = escape_html(span.tex);
        if (in_tag || code_depth > 0) {
          out += escape_html(span.source);
        } else if (span.display && out.ends_with("<p>") && html.substr(after, 4) == "</p>") {
          out.resize(out.size() - 3);
          out += "<div class=\"math display\">" + tex + "</div>";
          i = after + 4;
          continue;
        } else {
          out += span.display ? "<span class=\"math display\">" : "<span class=\"math inline\">";
          out += tex + "</span>";
        }
        i = after;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace casebook::site

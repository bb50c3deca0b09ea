#include "site/case_text.hpp"

#include <algorithm>
#include <string_view>

#include "site/case_sections.hpp"

namespace casebook::site {
namespace {

constexpr std::string_view kOpen = "<h2>", kClose = "</h2>";

bool is_one_of(std::string_view title, const std::vector<SectionHeading>& sections) {
  return std::any_of(sections.begin(), sections.end(),
                     [&](const SectionHeading& section) { return is_heading(title, section); });
}

}  // namespace

CaseText arrange_case_text(const std::string& html, bool claims_beside_table) {
  CaseText text;
  std::size_t at = html.find(kOpen);
  text.html = html.substr(0, at);  // what comes before the first heading (the data note)
  while (at != std::string::npos) {
    const std::size_t title_end = html.find(kClose, at);
    if (title_end == std::string::npos) {  // not cmark's output: left as it is
      text.html += html.substr(at);
      break;
    }
    const std::string_view title(html.data() + at + kOpen.size(), title_end - at - kOpen.size());
    const std::size_t body_begin = title_end + kClose.size();
    const std::size_t next = html.find(kOpen, body_begin);
    const std::string heading = html.substr(at, body_begin - at);
    const std::string body = html.substr(body_begin, next == std::string::npos ? next : next - body_begin);
    if (claims_beside_table && is_heading(title, claims_section()))
      text.claims_html = body;
    else if (is_one_of(title, folded_sections()))
      text.html +=
          "<details class=\"text-section\">\n<summary>" + heading + "</summary>" + body + "</details>\n";
    else
      text.html += heading + body;
    at = next;
  }
  return text;
}

}  // namespace casebook::site

#include "site/index_view.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "site/format.hpp"
#include "site/page_view.hpp"

namespace casebook::site {
namespace {

// A sort key that orders numbers as numbers in the table's script: fixed notation.
std::string sort_key(const std::optional<double>& value) {
  return value ? fmt::format("{:.10g}", *value) : "";
}

std::string upper(std::string text) {
  for (char& c : text) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return text;
}

}  // namespace

std::string inline_markdown(const std::string& markdown) {
  std::string html = markdown_to_html(markdown);
  while (!html.empty() && (html.back() == '\n' || html.back() == ' ')) html.pop_back();
  if (html.starts_with("<p>") && html.ends_with("</p>") && html.find("<p>", 3) == std::string::npos)
    html = html.substr(3, html.size() - 7);
  return html;
}

mstch::array method_links(const CaseFacts& facts, const SiteContext& ctx, const Language& language,
                          std::string_view from_page) {
  mstch::array links;
  std::vector<const MethodInfo*> seen;
  for (const std::string& name : facts.methods) {
    const MethodInfo* method = ctx.methods.for_case_method(name);
    if (!method) {
      links.push_back(mstch::map{{"title", name}, {"href", std::string()}});
      continue;
    }
    if (std::find(seen.begin(), seen.end(), method) != seen.end()) continue;  // "iv" and "2sls" are one page
    seen.push_back(method);
    links.push_back(mstch::map{{"title", method->title.in(language.code)},
                               {"href", page_href(language, from_page, method_page(method->id))}});
  }
  return links;
}

mstch::map index_view(const SiteContext& ctx, const Language& language) {
  const std::string_view lang = language.code;
  mstch::array rows;
  bool has_math = false;
  for (const CaseFacts& facts : ctx.cases) {
    const std::string question_html = inline_markdown(lang == "ko" ? facts.question_ko : facts.question_en);
    has_math = has_math || question_html.find("class=\"math ") != std::string::npos;
    const std::string estimate = facts.primary_estimate ? format_number(*facts.primary_estimate) : kMissing;
    const std::string ci = facts.primary_low && facts.primary_high
                               ? format_interval(*facts.primary_low, *facts.primary_high)
                               : std::string();
    std::optional<double> error;
    if (facts.primary_estimate && facts.primary_truth)
      error = std::abs(*facts.primary_estimate - *facts.primary_truth);
    const double pass_share =
        facts.claims.total > 0 ? static_cast<double>(facts.claims.passed) / facts.claims.total : -1.0;
    rows.push_back(mstch::map{
        {"id", facts.id},
        // Index and case pages sit in the same language folder, so the link needs no root.
        {"href", case_page(facts.id)},
        {"title", facts.title(lang)},
        {"organization", facts.organization(lang)},
        {"domain", facts.domain(lang)},
        {"question_html", question_html},
        {"design", method_links(facts, ctx, language, index_page())},
        {"estimand", facts.primary_estimand_type.empty() ? kMissing : upper(facts.primary_estimand_type)},
        {"primary", lang == "ko" ? facts.primary_label_ko : facts.primary_label},
        {"estimate", estimate},
        {"ci", ci},
        {"estimate_sort", sort_key(facts.primary_estimate)},
        {"truth", facts.primary_truth ? format_number(*facts.primary_truth) : kMissing},
        {"truth_sort", sort_key(facts.primary_truth)},
        {"error", error ? format_number(*error) : kMissing},
        {"error_sort", sort_key(error)},
        {"claims_short",
         facts.has_results ? fmt::format("{}/{}", facts.claims.passed, facts.claims.total) : kMissing},
        {"claims_summary", claims_summary(facts, ctx.strings, lang)},
        {"claims_status", claims_status(facts)},
        {"claims_sort", sort_key(pass_share)},
    });
  }
  mstch::map view = layout_view(ctx.strings, language, index_page(), "", has_math);
  view["has_sort"] = true;
  view.emplace("cases", std::move(rows));
  view.emplace("case_count", std::to_string(ctx.cases.size()));
  return view;
}

}  // namespace casebook::site

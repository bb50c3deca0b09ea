#include "site/case_view.hpp"

#include <string>

#include "site/case_facts.hpp"
#include "site/json_access.hpp"
#include "site/page_view.hpp"
#include "site/results_view.hpp"

namespace casebook::site {
namespace {

// case.md opens with "# Title" (see templates/case.md), which the page already shows from
// case.json in its own language; a second <h1> would repeat it.
std::string_view without_leading_title(std::string_view markdown) {
  const auto first = markdown.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || markdown.substr(first, 2) != "# ") return markdown;
  const auto line_end = markdown.find('\n', first);
  return line_end == std::string_view::npos ? std::string_view{} : markdown.substr(line_end + 1);
}

}  // namespace

mstch::map case_view(const CasePage& page, const UiStrings& strings, const Language& language) {
  const CaseFacts facts = case_facts(page);
  const std::string_view lang = language.code;

  // The Korean page falls back to the English text, saying so, until case.ko.md exists.
  const bool translation_missing = lang == kKorean.code && page.markdown_ko.empty();
  const std::string& markdown =
      lang == kKorean.code && !translation_missing ? page.markdown_ko : page.markdown_en;
  const std::string markdown_html = markdown_to_html(without_leading_title(markdown));
  const bool has_math = markdown_html.find("class=\"math ") != std::string::npos;

  mstch::array methods(facts.methods.begin(), facts.methods.end());
  mstch::array sources;
  for (const SourceLink& source : facts.sources) {
    sources.push_back(mstch::map{{"title", source.title}, {"url", source.url}});
  }

  mstch::array analyses = analysis_rows(page.results);
  mstch::array claims = claim_rows(page.results, strings, lang);
  mstch::array diagnostics = diagnostic_blocks(page.results);
  mstch::array truth = truth_rows(page.results);
  // The has_ flags let a template show a heading only above a list that is not empty.
  const bool has_sources = !sources.empty();
  const bool has_diagnostics = !diagnostics.empty();
  const bool has_truth = !truth.empty();

  mstch::map view = layout_view(strings, language, case_page(page.id), facts.title(lang), has_math);
  view.emplace("case", mstch::map{
                           {"id", facts.id},
                           {"title", facts.title(lang)},
                           {"organization", facts.organization},
                           {"domain", facts.domain},
                           {"summary", facts.summary},
                           {"methods", std::move(methods)},
                           {"sources", std::move(sources)},
                           {"has_sources", has_sources},
                           {"claims_summary", claims_summary(facts, strings, lang)},
                           {"claims_status", claims_status(facts)},
                           {"markdown_html", markdown_html},
                           {"translation_missing", translation_missing},
                           {"has_results", facts.has_results},
                           {"analyses", std::move(analyses)},
                           {"claims", std::move(claims)},
                           {"diagnostic_blocks", std::move(diagnostics)},
                           {"has_diagnostics", has_diagnostics},
                           {"truth", std::move(truth)},
                           {"has_truth", has_truth},
                           {"data", data_view(page.results)},
                           {"command", text_member(page.results, "command")},
                       });
  return view;
}

}  // namespace casebook::site

#include "site/page_view.hpp"

namespace casebook::site {

mstch::map layout_view(const UiStrings& strings, const Language& language, std::string_view page,
                       const std::string& title, bool has_math) {
  const std::string file = page_file(language, page);
  const std::string root = root_from(file);
  const Language& other = other_language(language);
  const std::string site_name = strings.get(language.code, "site_name");
  return mstch::map{
      {"lang", std::string(language.code)},
      {"root", root},
      {"assets", root + "assets/"},
      {"t", strings.as_map(language.code)},
      {"page_title", title.empty() ? site_name : title + " \u00b7 " + site_name},
      {"home_href", root + page_file(language, index_page())},
      {"flowchart_href", root + page_file(language, flowchart_page())},
      {"methods_href", root + page_file(language, methods_page())},
      {"nav_cases", page == index_page() || page.starts_with("cases/")},
      {"nav_flowchart", page == flowchart_page()},
      {"nav_methods", page.starts_with("methods/")},
      {"has_sort", false},
      {"switch_href", root + page_file(other, page)},
      {"switch_lang", std::string(other.code)},
      {"has_math", has_math},
  };
}

std::string page_href(const Language& language, std::string_view from_page, std::string_view to_page) {
  return root_from(page_file(language, from_page)) + page_file(language, to_page);
}

std::string claims_summary(const CaseFacts& facts, const UiStrings& strings, std::string_view lang) {
  if (!facts.has_results) return strings.get(lang, "not_run");
  return fill(strings.get(lang, "claims_summary"), {{"passed", std::to_string(facts.claims.passed)},
                                                    {"total", std::to_string(facts.claims.total)}});
}

std::string claims_status(const CaseFacts& facts) {
  if (facts.claims.failed > 0) return "fail";
  if (facts.claims.total > 0 && facts.claims.passed == facts.claims.total) return "pass";
  return "skipped";
}

}  // namespace casebook::site

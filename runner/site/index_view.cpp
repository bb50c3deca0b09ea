#include "site/index_view.hpp"

#include <string>

#include "site/page_view.hpp"

namespace casebook::site {

mstch::map index_view(const std::vector<CaseFacts>& cases, const UiStrings& strings,
                      const Language& language) {
  const std::string_view lang = language.code;
  mstch::array rows;
  for (const CaseFacts& facts : cases) {
    std::string methods;
    for (const std::string& method : facts.methods) methods += (methods.empty() ? "" : ", ") + method;
    rows.push_back(mstch::map{
        {"id", facts.id},
        // Index and case pages sit in the same language folder, so the link needs no root.
        {"href", case_page(facts.id)},
        {"title", facts.title(lang)},
        {"organization", facts.organization},
        {"domain", facts.domain},
        {"methods", methods},
        {"claims_summary", claims_summary(facts, strings, lang)},
        {"claims_status", claims_status(facts)},
    });
  }
  mstch::map view = layout_view(strings, language, index_page(), "", false);
  view.emplace("cases", std::move(rows));
  view.emplace("case_count", std::to_string(cases.size()));
  return view;
}

}  // namespace casebook::site

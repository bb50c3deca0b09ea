#include "site/site_context.hpp"

#include <algorithm>

namespace casebook::site {

bool SiteContext::has_pdf(const Language& language) const {
  return std::find(pdf_languages.begin(), pdf_languages.end(), language.code) != pdf_languages.end();
}

std::vector<const CaseFacts*> SiteContext::cases_using(const MethodInfo& method) const {
  std::vector<const CaseFacts*> found;
  for (const CaseFacts& facts : cases) {
    const bool uses = std::any_of(facts.methods.begin(), facts.methods.end(), [&](const std::string& name) {
      return methods.for_case_method(name) == &method;
    });
    if (uses) found.push_back(&facts);
  }
  return found;
}

std::vector<const CaseFacts*> SiteContext::cases_answering(const std::string& answer_id) const {
  std::vector<const CaseFacts*> found;
  for (const CaseFacts& facts : cases) {
    if (std::find(facts.flowchart.begin(), facts.flowchart.end(), answer_id) != facts.flowchart.end())
      found.push_back(&facts);
  }
  return found;
}

}  // namespace casebook::site

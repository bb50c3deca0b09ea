#pragma once
// What every page may refer to besides its own data: the interface strings, the flowchart,
// the method catalogue, all cases (for "cases that use this method") and the estimators the
// runner implements.
#include <optional>
#include <string>
#include <vector>

#include "site/case_facts.hpp"
#include "site/flowchart.hpp"
#include "site/method_catalog.hpp"
#include "site/page_paths.hpp"
#include "site/site.hpp"
#include "site/ui_strings.hpp"

namespace casebook::site {

struct SiteContext {
  const UiStrings& strings;
  const std::optional<Flowchart>& flowchart;  // absent when the project has no flowchart.json
  const MethodCatalog& methods;
  const std::vector<CaseFacts>& cases;  // sorted by id
  const std::vector<EstimatorEntry>& estimators;
  const std::vector<std::string>& pdf_languages;  // the languages whose case pages have a PDF
  const std::string& repository_url;              // SiteOptions::repository_url

  bool has_pdf(const Language& language) const;

  // The cases whose case.json "methods" name this method (by id or alias).
  std::vector<const CaseFacts*> cases_using(const MethodInfo& method) const;
  // The cases whose case.json "flowchart" lists this answer.
  std::vector<const CaseFacts*> cases_answering(const std::string& answer_id) const;
};

}  // namespace casebook::site

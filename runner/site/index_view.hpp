#pragma once
// The mustache data of the index page in one language.
#include <vector>

#include <mstch/mstch.hpp>

#include "site/case_facts.hpp"
#include "site/page_paths.hpp"
#include "site/ui_strings.hpp"

namespace casebook::site {

// The layout's keys plus "cases": [{id, href, title, organization, domain, methods,
// claims_summary, claims_status}] in the order given, and "case_count".
mstch::map index_view(const std::vector<CaseFacts>& cases, const UiStrings& strings,
                      const Language& language);

}  // namespace casebook::site

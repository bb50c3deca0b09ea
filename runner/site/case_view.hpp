#pragma once
// The mustache data of one case page in one language.
#include <mstch/mstch.hpp>

#include "site/page_paths.hpp"
#include "site/site.hpp"
#include "site/ui_strings.hpp"

namespace casebook::site {

// The layout's keys plus "case": id, title, organization, domain, summary, methods, sources,
// claims_summary, claims_status, markdown_html, translation_missing, has_results, analyses,
// claims, diagnostic_blocks, truth, data, command.
mstch::map case_view(const CasePage& page, const UiStrings& strings, const Language& language);

}  // namespace casebook::site

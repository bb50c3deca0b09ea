#pragma once
// The mustache data of the index page in one language: the comparison table of all cases.
#include <mstch/mstch.hpp>

#include "site/page_paths.hpp"
#include "site/site_context.hpp"

namespace casebook::site {

// The layout's keys plus "cases": [{id, href, title, organization, domain, question_html,
// design [{title, href}], estimand, primary, estimate, estimate_sort, truth, truth_sort,
// claims_short, claims_summary, claims_status, claims_sort, seed}] in the order of
// ctx.cases, "case_count", and has_sort for the table's script.
mstch::map index_view(const SiteContext& ctx, const Language& language);

// The methods of a case as links to their pages (plain text for names the catalogue lacks):
// [{title, href}], hrefs relative to `from_page`.
mstch::array method_links(const CaseFacts& facts, const SiteContext& ctx, const Language& language,
                          std::string_view from_page);

// Markdown of one paragraph as inline HTML (the <p> wrapper removed), for table cells and cards.
std::string inline_markdown(const std::string& markdown);

}  // namespace casebook::site

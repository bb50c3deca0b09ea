#pragma once
// The mustache data of one case page in one language.
#include <mstch/mstch.hpp>

#include "site/page_paths.hpp"
#include "site/site.hpp"
#include "site/site_context.hpp"

namespace casebook::site {

// The layout's keys plus "case": id, title, organization, domain, summary, methods [{title,
// href}], flowchart [{question, answer, href}], card [{label, html}], sources, claims_summary,
// claims_status, markdown_html, translation_missing, has_results, forest_svg, analyses, claims,
// graph, identification, refutations, monte_carlo, diagnostic_blocks, plots, truth, data, command.
mstch::map case_view(const CasePage& page, const SiteContext& ctx, const Language& language);

}  // namespace casebook::site

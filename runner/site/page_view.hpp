#pragma once
// What every page's layout needs: language, the way back to the site root, the interface
// strings and the language switch.
#include <string>
#include <string_view>

#include <mstch/mstch.hpp>

#include "site/case_facts.hpp"
#include "site/page_paths.hpp"
#include "site/ui_strings.hpp"

namespace casebook::site {

// lang, root, assets, t (the strings), page_title, home_href, flowchart_href, methods_href,
// nav_cases/nav_flowchart/nav_methods (the current section), switch_href, switch_lang, has_math,
// has_sort (false; the index sets it for the sortable table's script).
// `page` is the page's language-neutral place, e.g. "cases/x.html".
mstch::map layout_view(const UiStrings& strings, const Language& language, std::string_view page,
                       const std::string& title, bool has_math);

// A link from one page to another in the same language: "../methods/x.html".
std::string page_href(const Language& language, std::string_view from_page, std::string_view to_page);

// "4/4 claims pass" in the page's language, or the "not run" text when there are no results.
std::string claims_summary(const CaseFacts& facts, const UiStrings& strings, std::string_view lang);
// The CSS class of that summary: pass (all claims pass), fail (any fails), or skipped.
std::string claims_status(const CaseFacts& facts);

}  // namespace casebook::site

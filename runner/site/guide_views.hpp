#pragma once
// The mustache data of the guide pages: the flowchart, the list of methods and each method.
#include <string>

#include <mstch/mstch.hpp>

#include "site/page_paths.hpp"
#include "site/site_context.hpp"

namespace casebook::site {

// The layout's keys plus "flowchart": has_flowchart, diagram_svg, questions [{id, number,
// text, answers [{id, text, href, leaf_label}]}], leaves [{id, label, path [{question,
// answer}], methods [{title, href}], cases [{title, href}], has_cases}].
mstch::map flowchart_view(const SiteContext& ctx, const Language& language, const std::string& diagram_svg);

// The layout's keys plus "methods": [{id, title, href, case_count, leaves}].
mstch::map methods_index_view(const SiteContext& ctx, const Language& language);

// The layout's keys plus "method": id, title, markdown_html, translation_missing,
// estimators [{name, description, available}], cases [{title, href, organization}],
// leaves [{label, href, path}].
mstch::map method_view(const MethodInfo& method, const SiteContext& ctx, const Language& language);

}  // namespace casebook::site

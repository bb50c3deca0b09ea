#pragma once
// Small pieces of HTML safety shared by the markdown and the page views.
#include <string>
#include <string_view>

#include "core/external_url.hpp"

namespace casebook::site {

// Escapes & < > " ' so text is safe both as element content and inside a quoted attribute.
std::string escape_html(std::string_view text);

// Links a page may carry to the outside world (core/external_url.hpp); anything else from
// case.json is shown as text, not linked.
using casebook::is_safe_external_url;

}  // namespace casebook::site

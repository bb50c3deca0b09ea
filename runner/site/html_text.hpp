#pragma once
// Small pieces of HTML safety shared by the markdown and the page views.
#include <string>
#include <string_view>

namespace casebook::site {

// Escapes & < > " ' so text is safe both as element content and inside a quoted attribute.
std::string escape_html(std::string_view text);

// True for links a page may carry to the outside world: http, https and mailto. Anything else
// (javascript:, data:, file:, relative paths from case.json) is shown as text, not linked.
bool is_safe_external_url(std::string_view url);

}  // namespace casebook::site

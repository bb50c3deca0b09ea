#pragma once
// Which links may leave a page for the outside world: the linter warns about any other source
// link in case.json, and the site shows such a link as text.
#include <string_view>

namespace casebook {

// True for http, https and mailto links with something after the scheme and no spaces, control
// characters, quotes or angle brackets. Anything else (javascript:, data:, file:, a relative
// path) is not a link to the outside world.
bool is_safe_external_url(std::string_view url);

}  // namespace casebook

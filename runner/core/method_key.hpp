#pragma once
// How method names are compared: "Instrumental variables" -> "instrumental-variables". The case
// loader checks a case's "methods" with it and the site finds method pages with it.
#include <string>
#include <string_view>

namespace casebook {

std::string method_key(std::string_view name);

}  // namespace casebook

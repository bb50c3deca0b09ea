#pragma once
// Messages quote what the user wrote (a column name, a field, an argument), which may hold a
// newline or a terminal escape sequence. Printed through one_line, an error stays one line and
// cannot drive the terminal.
#include <string>
#include <string_view>

namespace casebook {

// Control characters (below U+0020, and DEL) as C escapes: \n, \r, \t, or \xNN; UTF-8 kept.
std::string one_line(std::string_view message);

}  // namespace casebook

// Errors quote what the user wrote; printed through one_line they stay one line (core/one_line.hpp).
#include <gtest/gtest.h>

#include "core/one_line.hpp"

namespace casebook {
namespace {

TEST(OneLine, EscapesControlCharactersAndKeepsUtf8) {
  EXPECT_EQ(one_line("no column 'a\nb'"), "no column 'a\\nb'");
  EXPECT_EQ(one_line("x\r\ty"), "x\\r\\ty");
  EXPECT_EQ(one_line("\x1b[31mred"), "\\x1b[31mred");  // a terminal escape cannot colour the screen
  EXPECT_EQ(one_line(std::string("nul\0here", 8)), "nul\\x00here");
  EXPECT_EQ(one_line("del\x7f"), "del\\x7f");
  EXPECT_EQ(one_line("열 '소득' 없음"), "열 '소득' 없음");
}

}  // namespace
}  // namespace casebook

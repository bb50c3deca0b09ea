#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "site/format.hpp"
#include "site/html_text.hpp"

namespace casebook::site {
namespace {

TEST(FormatNumber, FourSignificantDigits) {
  EXPECT_EQ(format_number(2.05123), "2.051");
  EXPECT_EQ(format_number(-0.123456), "-0.1235");
  EXPECT_EQ(format_number(2.1), "2.1");
  EXPECT_EQ(format_number(3.0), "3");
  EXPECT_EQ(format_number(1234.5678), "1235");
  EXPECT_EQ(format_number(123456.7), "123457");
  EXPECT_EQ(format_number(0.000012345), "1.234e-05");
  EXPECT_EQ(format_number(1.5e12), "1.5e+12");
  EXPECT_EQ(format_number(9.99996), "10");
}

TEST(FormatNumber, ZeroAndNonFinite) {
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(-0.00001), "-1e-05");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), kMissing);
}

TEST(FormatValue, JsonValues) {
  EXPECT_EQ(format_value(nlohmann::json(100000)), "100000");
  EXPECT_EQ(format_value(nlohmann::json(20211101u)), "20211101");
  EXPECT_EQ(format_value(nlohmann::json(0.051234)), "0.05123");
  EXPECT_EQ(format_value(nlohmann::json()), kMissing);
  EXPECT_EQ(format_value(nlohmann::json("treated")), "treated");
  EXPECT_EQ(format_interval(nlohmann::json(1.95), nlohmann::json(2.25)), "[1.95, 2.25]");
  EXPECT_EQ(format_interval(nlohmann::json(), nlohmann::json(2.25)), kMissing);
}

TEST(HtmlText, EscapesAndUrlCheck) {
  EXPECT_EQ(escape_html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_TRUE(is_safe_external_url("https://www.tripadvisor.com/x?a=1"));
  EXPECT_TRUE(is_safe_external_url("HTTP://example.com"));
  EXPECT_FALSE(is_safe_external_url("javascript:alert(1)"));
  EXPECT_FALSE(is_safe_external_url(" https://example.com"));
  EXPECT_FALSE(is_safe_external_url("https://"));
  EXPECT_FALSE(is_safe_external_url("data:text/html,x"));
}

}  // namespace
}  // namespace casebook::site

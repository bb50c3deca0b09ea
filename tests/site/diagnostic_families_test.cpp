// A family of diagnostics reads as a table: rows by the placeholder's value in numeric order
// (-9 before -2 before 0, not as text), a column per pattern, a gap where a member is missing;
// non-numeric keys keep text order; names outside a family stay out.
#include <gtest/gtest.h>

#include "site/diagnostic_families.hpp"
#include "site/format.hpp"

namespace casebook::site {
namespace {

using nlohmann::json;

TEST(DiagnosticFamilies, PeriodsInNumericOrderWithAColumnPerPattern) {
  const json diagnostics = {{"coef_-2", 0.02}, {"coef_-9", 0.47}, {"coef_0", 1.2}, {"coef_10", 4.0},
                            {"se_-2", 0.09},   {"se_-9", 0.14},   {"se_0", 0.1},   {"pretrend_F", 3.9}};
  json kinds = {{"pretrend_F", "p_value"}};
  for (const auto& [name, value] : diagnostics.items()) {
    if (name.starts_with("coef_")) kinds[name] = "family:coef_{period}";
    if (name.starts_with("se_")) kinds[name] = "family:se_{period}";
  }
  const auto tables = family_tables(diagnostics, kinds);
  ASSERT_EQ(tables.size(), 1u);
  const FamilyTable& t = tables[0];
  EXPECT_EQ(t.placeholder, "period");
  EXPECT_EQ(t.columns, (std::vector<std::string>{"coef", "se"}));
  std::vector<std::string> keys;
  for (const auto& row : t.rows) keys.push_back(row.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"-9", "-2", "0", "10"}));
  EXPECT_EQ(t.rows[0].cells[0], 0.47);
  EXPECT_EQ(t.rows[3].cells[0], 4.0);
  EXPECT_TRUE(t.rows[3].cells[1].is_null()) << "se_10 is missing: a gap, not a shifted column";
}

TEST(DiagnosticFamilies, TermsKeepTextOrderAndTheMostSpecificPatternNamesTheColumn) {
  const json diagnostics = {{"blp_age", 0.3}, {"blp_age_se", 0.1}, {"blp_male", -0.2}, {"blp_male_se", 0.05}};
  const json kinds = {{"blp_age", "family:blp_{term}"},
                      {"blp_age_se", "family:blp_{term}_se"},
                      {"blp_male", "family:blp_{term}"},
                      {"blp_male_se", "family:blp_{term}_se"}};
  const auto tables = family_tables(diagnostics, kinds);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].columns, (std::vector<std::string>{"blp", "blp_se"}));
  ASSERT_EQ(tables[0].rows.size(), 2u);
  EXPECT_EQ(tables[0].rows[0].key, "age");
  EXPECT_EQ(tables[0].rows[1].cells[1], 0.05);
}

TEST(DiagnosticFamilies, PValuesBelowRoundingReadAsSuch) {
  EXPECT_EQ(format_p_value(0.0), "< 1e-16");
  EXPECT_EQ(format_p_value(3e-20), "< 1e-16");
  EXPECT_EQ(format_p_value(0.0001377), "0.0001377");
}

}  // namespace
}  // namespace casebook::site

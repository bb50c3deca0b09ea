#pragma once
// The check every matching estimator's test makes of its balance table against summary.matchit
// (a fixture's "balance": names, and before/after smd, var_ratio, ecdf_max per covariate), and of
// the diagnostics max_abs_smd_before / max_abs_smd drawn from it.
#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimators/estimate.hpp"

namespace casebook::testing {

// Each number to `tolerance` relative to max(|expected|, floor): a floor of 1 compares numbers
// that are R's rounding noise (an SMD of 1e-17 after exact matching) on the scale of 1.
inline void expect_balance_table(const Estimate& e, const nlohmann::json& balance, double tolerance,
                                 double floor = 0) {
  const auto close = [&](double actual, double expected) {
    return near_relative(actual, expected, tolerance, std::max(std::abs(expected), floor));
  };
  ASSERT_EQ(e.tables.size(), 1u);
  const Table& table = e.tables.front();
  EXPECT_EQ(table.id, "balance");
  const auto& names = balance.at("names");
  ASSERT_EQ(table.rows.size(), names.size());
  double max_before = 0, max_after = 0;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::string name = names[k].get<std::string>();
    SCOPED_TRACE(name);
    const auto row = std::find_if(table.rows.begin(), table.rows.end(),
                                  [&](const auto& r) { return std::get<std::string>(r[0]) == name; });
    ASSERT_NE(row, table.rows.end());
    const auto number = [&](std::size_t column) { return std::get<double>((*row)[column]); };
    for (const auto& [part, smd_col, ratio_col, ecdf_col] :
         {std::tuple{"before", 1, 3, 5}, std::tuple{"after", 2, 4, 6}}) {
      const auto& expected = balance.at(part);
      EXPECT_TRUE(close(number(smd_col), expected.at("smd")[k].get<double>())) << part << " smd";
      EXPECT_TRUE(close(number(ecdf_col), expected.at("ecdf_max")[k].get<double>())) << part << " ecdf";
      if (expected.at("var_ratio")[k].is_null()) {
        EXPECT_EQ(std::get<std::string>((*row)[ratio_col]), "") << part << " var ratio";
      } else {
        EXPECT_TRUE(close(number(ratio_col), expected.at("var_ratio")[k].get<double>()))
            << part << " var ratio";
      }
    }
    max_before = std::max(max_before, std::abs(balance.at("before").at("smd")[k].get<double>()));
    max_after = std::max(max_after, std::abs(balance.at("after").at("smd")[k].get<double>()));
  }
  EXPECT_TRUE(close(e.diagnostics.at("max_abs_smd_before"), max_before));
  EXPECT_TRUE(close(e.diagnostics.at("max_abs_smd"), max_after));
}

}  // namespace casebook::testing

// An estimate as JSON: terms in broom::tidy's columns, tables as rows keyed by column, and a value
// that JSON cannot hold (NaN, ±inf) written as null with a note saying which and why.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "cases/results.hpp"

namespace casebook {
namespace {

TEST(EstimateJson, TermsAndTablesWithNonFiniteValuesExplained) {
  Estimate e;
  e.se_type = "hc1";
  e.notes = {"an estimator's own note"};
  e.terms = {{"(Intercept)", 1.5, 0.5, 3, 0.01, 0.5, 2.5},
             {"x", 2, 0, std::numeric_limits<double>::infinity(), 0, 2, 2}};
  e.tables = {{"by-period",
               "Effects by period",
               {"period", "label", "estimate"},
               {{-1.0, std::string("lead"), std::nan("")}}}};
  const nlohmann::json j = estimate_json(e);
  EXPECT_EQ(j["se_type"], "hc1");
  EXPECT_EQ(j["terms"][0], (nlohmann::json{{"term", "(Intercept)"},
                                           {"estimate", 1.5},
                                           {"std.error", 0.5},
                                           {"statistic", 3},
                                           {"p.value", 0.01},
                                           {"conf.low", 0.5},
                                           {"conf.high", 2.5}}));
  EXPECT_TRUE(j["terms"][1]["statistic"].is_null());
  EXPECT_EQ(j["tables"][0]["columns"], (nlohmann::json{"period", "label", "estimate"}));
  EXPECT_EQ(j["tables"][0]["rows"][0]["period"], -1.0);
  EXPECT_EQ(j["tables"][0]["rows"][0]["label"], "lead");
  EXPECT_TRUE(j["tables"][0]["rows"][0]["estimate"].is_null());
  EXPECT_EQ(j["notes"],
            (nlohmann::json{"an estimator's own note", "statistic of term 'x' is infinite, written as null",
                            "estimate in row 1 of table 'by-period' is undefined (NaN), written as null"}));
}

TEST(EstimateJson, FiniteValuesAddNoNote) {
  Estimate e;
  e.terms = {{"t", 1, 0.1, 10, 0, 0.8, 1.2}};
  EXPECT_TRUE(estimate_json(e)["notes"].empty());
}

}  // namespace
}  // namespace casebook

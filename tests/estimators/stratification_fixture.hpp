#pragma once
// The data and MatchIt reference of the stratifying estimators (cem, subclassification), written
// by tests/fixtures/make_cem_subclass_fixture.R, and the checks both test files hold them to:
// each row's subclass and weight, the effect and HC3 SE (lm + sandwich::vcovHC), the counts and
// summary.matchit's balance table.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "balance_reference.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "estimators/subclass_weights.hpp"

namespace casebook::stratification_fixture {

using testing::near_relative;

// The same arithmetic as R's on the same data: only summation order separates the numbers.
constexpr double kTolerance = 1e-10;

const std::vector<std::string> kCovariates{"x1", "x2", "visits", "x3", "region"};

inline const Dataset& data() {
  static const Dataset d = read_csv(testing::fixture_path("cem_subclass_data.csv"));
  return d;
}

inline const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("cem_subclass_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

inline EstimatorArgs case_args(const nlohmann::json& ref) {
  std::map<std::string, std::string> options;
  for (const auto& [key, value] : ref.at("options").items()) options[key] = value.get<std::string>();
  return testing::example_args("y", ref.at("treatment").get<std::string>(), kCovariates, options);
}

// R's subclass per row (1, 2, …; 0 for none) and MatchIt's weight per row.
inline void expect_strata(const SubclassWeights& w, const nlohmann::json& ref) {
  const auto& subclass = ref.at("subclass");
  const auto& weights = ref.at("weights");
  ASSERT_EQ(w.subclass.size(), subclass.size());
  ASSERT_EQ(w.weights.size(), weights.size());
  EXPECT_EQ(w.strata, ref.at("strata").get<std::size_t>());
  for (std::size_t i = 0; i < w.subclass.size(); ++i) {
    EXPECT_EQ(w.subclass[i] + 1, subclass[i].get<std::ptrdiff_t>()) << "subclass of row " << i + 1;
    EXPECT_TRUE(near_relative(w.weights[i], weights[i].get<double>(), kTolerance, 1.0))
        << "weight of row " << i + 1;
  }
}

// Every diagnostic and row output the estimate holds is declared in the estimator's registry entry.
inline void expect_declared(const std::string& estimator, const Estimate& e) {
  const EstimatorInfo& info = find_estimator(estimator);
  for (const auto& [name, value] : e.diagnostics)
    EXPECT_TRUE(std::any_of(info.diagnostics.begin(), info.diagnostics.end(), [&](const DiagnosticSpec& d) {
      return diagnostic_name_matches(d.name, name);
    })) << name;
  for (const auto& [name, values] : e.row_outputs) {
    EXPECT_NE(std::find(info.row_outputs.begin(), info.row_outputs.end(), name), info.row_outputs.end())
        << name;
    EXPECT_EQ(values.size(), data().rows()) << name;
  }
}

inline void expect_effect_and_balance(const Estimate& e, const nlohmann::json& ref) {
  EXPECT_TRUE(near_relative(e.estimate, ref.at("estimate").get<double>(), kTolerance)) << "estimate";
  EXPECT_TRUE(near_relative(e.se, ref.at("se").get<double>(), kTolerance)) << "se";
  EXPECT_EQ(e.se_type, "hc3");
  EXPECT_EQ(e.n, ref.at("n").get<std::size_t>());
  for (const char* name : {"n_matched_treated", "n_matched_control", "n_unmatched"})
    EXPECT_EQ(e.diagnostics.at(name), ref.at(name).get<double>()) << name;
  for (const char* name : {"ess_treated", "ess_control"})
    EXPECT_TRUE(near_relative(e.diagnostics.at(name), ref.at(name).get<double>(), kTolerance)) << name;
  for (const auto& [name, value] : e.diagnostics) EXPECT_TRUE(std::isfinite(value)) << name;

  // Exactly matched covariates have SMDs of R's rounding noise (1e-17): compared on the scale of 1.
  testing::expect_balance_table(e, ref.at("balance"), kTolerance, 1.0);
  ASSERT_TRUE(e.row_outputs.contains("weight"));
  ASSERT_TRUE(e.row_outputs.contains("subclass"));
  const auto& subclass = ref.at("subclass");
  for (std::size_t i = 0; i < subclass.size(); ++i)
    ASSERT_EQ(e.row_outputs.at("subclass")[i], subclass[i].get<double>()) << "row " << i + 1;
}

}  // namespace casebook::stratification_fixture

#pragma once
// The data and R reference of the weighting estimators (iptw, overlap-weights, aipw), written by
// tests/fixtures/make_weighting_fixture.R: the stacked estimating equations from Lunceford &
// Davidian 2004 and Li, Morgan & Zaslavsky 2018, with the propensity block checked against
// sandwich::sandwich(glm) and the naive SE against lm(weights) + vcovHC HC0; a poor-overlap data
// set; and a small data set for bad-input tests.
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

namespace casebook::weighting_fixture {

using testing::near_relative;

inline const Dataset& good() {
  static const Dataset data = read_csv(testing::fixture_path("weighting_data.csv"));
  return data;
}

inline const Dataset& poor() {
  static const Dataset data = read_csv(testing::fixture_path("weighting_poor_overlap.csv"));
  return data;
}

inline const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("weighting_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

inline EstimatorArgs good_args(std::map<std::string, std::string> options = {}) {
  return testing::example_args("y", "t", {"x1", "x2", "region"}, std::move(options));
}

inline EstimatorArgs poor_args() { return testing::example_args("y", "t", {"x1", "x2"}); }

inline Estimate run(const std::string& estimator, const Dataset& data, const EstimatorArgs& args) {
  return find_estimator(estimator).run(data, args);
}

// Every number the reference holds for this run, to 1e-6 relative; and no NaN anywhere.
inline void expect_reference(const Estimate& e, const std::string& key) {
  SCOPED_TRACE(key);
  const nlohmann::json& r = reference().at(key);
  EXPECT_TRUE(near_relative(e.estimate, r.at("estimate").get<double>())) << "estimate";
  EXPECT_TRUE(near_relative(e.se, r.at("se").get<double>())) << "se";
  EXPECT_EQ(e.n, r.at("n").get<std::size_t>());
  for (const char* name : {"se_ignoring_ps", "min_propensity", "max_propensity", "ess_treated", "ess_control",
                           "max_weight", "n_trimmed"}) {
    if (!r.contains(name)) continue;
    ASSERT_TRUE(e.diagnostics.contains(name)) << name;
    const double expected = r.at(name).get<double>();
    EXPECT_TRUE(near_relative(e.diagnostics.at(name), expected, 1e-6, expected == 0 ? 1 : -1)) << name;
  }
  EXPECT_EQ(e.se_type, "influence");
  for (const double v : {e.estimate, e.se, e.ci_low, e.ci_high, e.p_value}) EXPECT_TRUE(std::isfinite(v));
  for (const auto& [name, value] : e.diagnostics) EXPECT_TRUE(std::isfinite(value)) << name;
  for (const auto& [name, values] : e.row_outputs)
    for (const double v : values) ASSERT_TRUE(std::isfinite(v)) << name;
}

// Bad input: one line naming the option or column.
inline Dataset small_data(const std::vector<double>& t) {
  std::vector<double> y, x;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double u = static_cast<double>(i);
    y.push_back(std::sin(1.7 * u) + t[i]);
    x.push_back(std::cos(2.3 * u));
  }
  Dataset data("small.csv");
  data.add_column({"y", y, {}});
  data.add_column({"t", t, {}});
  data.add_column({"x", x, {}});
  return data;
}

}  // namespace casebook::weighting_fixture

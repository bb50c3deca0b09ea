// The causal forest's summaries against R: the doubly robust ATE and grf's calibration test,
// recomputed from the same out-of-bag columns by tests/fixtures/make_causal_forest_fixture.R.
#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "data/csv.hpp"
#include "effect_summaries/doubly_robust_ate.hpp"
#include "effect_summaries/test_calibration.hpp"

namespace casebook {
namespace {

void expect_relative(double actual, double expected, const char* what) {
  EXPECT_LE(std::abs(actual - expected), 1e-6 * std::abs(expected))
      << what << ": " << actual << " vs " << expected;
}

struct Fixture {
  Dataset data = read_csv(std::string(CASEBOOK_FIXTURES) + "/causal_forest_calibration.csv");
  nlohmann::json reference =
      nlohmann::json::parse(std::ifstream(std::string(CASEBOOK_FIXTURES) + "/causal_forest_reference.json"));
  const std::vector<double>& operator[](const std::string& column) const {
    return data.column(column).values;
  }
};

TEST(CausalForestSummaries, DoublyRobustAteMatchesR) {
  const Fixture f;
  const DoublyRobustEffect ate = doubly_robust_ate(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"]);
  expect_relative(ate.estimate, f.reference["ate"], "ate");
  expect_relative(ate.se, f.reference["ate_se"], "ate se");
}

TEST(CausalForestSummaries, CalibrationTestMatchesR) {
  const Fixture f;
  const CalibrationTest test = test_calibration(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"]);
  const auto check = [](const CalibrationCoefficient& c, const nlohmann::json& r) {
    expect_relative(c.estimate, r["estimate"], "estimate");
    expect_relative(c.se, r["se"], "se");
    expect_relative(c.t_statistic, r["t"], "t");
    expect_relative(c.p_value, r["p_one_sided"], "one-sided p");
  };
  check(test.mean_prediction, f.reference["mean_forest_prediction"]);
  check(test.differential_prediction, f.reference["differential_forest_prediction"]);
}

}  // namespace
}  // namespace casebook

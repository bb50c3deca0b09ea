// did, twfe and event-study against estimatr::lm_robust and lm + sandwich on the committed panel
// (tests/fixtures/panel_data.csv, made by make_panel_fixtures.R).
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

// The panel is staggered; group alone is a valid 2×2 treatment for did.
const testing::RegisterExample kDid{
    "did",
    {"panel_data.csv", testing::example_args("y", "group", {}, {{"group", "group"}, {"post", "post"}}),
     true}};
const testing::RegisterExample kTwfe{
    "twfe",
    {"panel_data.csv", testing::example_args("y", "d", {}, {{"unit", "unit"}, {"time", "period"}}), true}};
const testing::RegisterExample kEventStudy{
    "event-study",
    {"panel_data.csv",
     testing::example_args("y", "d", {}, {{"unit", "unit"}, {"time", "period"}, {"adoption", "adopt"}}),
     true}};

using testing::near_relative;

const Dataset& panel() {
  static const Dataset data = read_csv(testing::fixture_path("panel_data.csv"));
  return data;
}

const nlohmann::json& reference() {
  static const nlohmann::json ref = [] {
    std::ifstream in(testing::fixture_path("panel_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return ref;
}

void expect_matches(const Estimate& e, const nlohmann::json& r) {
  EXPECT_TRUE(near_relative(e.estimate, r["estimate"].get<double>()));
  EXPECT_TRUE(near_relative(e.se, r["se"].get<double>()));
  EXPECT_TRUE(near_relative(e.ci_low, r["ci_low"].get<double>()));
  EXPECT_TRUE(near_relative(e.ci_high, r["ci_high"].get<double>()));
  EXPECT_TRUE(near_relative(e.p_value, r["p_value"].get<double>()));
  EXPECT_EQ(e.diagnostics.at("df"), r["df"].get<double>());
}

// The fixture's rows whose value in `column` is one of `values`.
Dataset rows_where(const std::string& column, std::initializer_list<double> values) {
  const Dataset& data = panel();
  const auto& key = data.column(column).values;
  Dataset out(data.source());
  for (const auto& c : data.columns()) {
    Column kept{c.name, {}, c.levels};
    for (std::size_t i = 0; i < key.size(); ++i)
      if (std::find(values.begin(), values.end(), key[i]) != values.end()) kept.values.push_back(c.values[i]);
    out.add_column(std::move(kept));
  }
  return out;
}

// The 2×2 subset: never treated vs the cohort adopting in period 4.
Dataset two_by_two() { return rows_where("adopt", {0, 4}); }

EstimatorArgs did_args() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"group", "group"}, {"post", "post"}};
  return args;
}

TEST(PanelReference, DidMatchesLmRobustHc1AndCr1) {
  const Dataset data = two_by_two();
  ASSERT_EQ(data.rows(), reference()["did_rows"].get<std::size_t>());
  expect_matches(find_estimator("did").run(data, did_args()), reference()["did_hc1"]);
  EstimatorArgs clustered = did_args();
  clustered.cluster = "unit";
  clustered.se_type = "cr1";
  expect_matches(find_estimator("did").run(data, clustered), reference()["did_cr1"]);
}

TEST(PanelReference, DidTreatmentMayBeTheGroupColumn) {
  EstimatorArgs args = did_args();
  args.treatment = "group";
  EXPECT_TRUE(near_relative(find_estimator("did").run(two_by_two(), args).estimate,
                            reference()["did_hc1"]["estimate"].get<double>()));
}

TEST(PanelReference, DidNaiveContrastsAreCellMeanDifferences) {
  const Dataset data = two_by_two();
  const Estimate did = find_estimator("did").run(data, did_args());
  const auto& m = did.diagnostics;
  EstimatorArgs args = did_args();
  args.options["comparison"] = "post-difference";
  EXPECT_TRUE(near_relative(find_estimator("did").run(data, args).estimate,
                            m.at("mean_treated_post") - m.at("mean_control_post"), 1e-10));
  args.options["comparison"] = "before-after";
  EXPECT_TRUE(near_relative(find_estimator("did").run(data, args).estimate,
                            m.at("mean_treated_post") - m.at("mean_treated_pre"), 1e-10));
  EXPECT_TRUE(near_relative(did.estimate,
                            m.at("mean_treated_post") - m.at("mean_treated_pre") - m.at("mean_control_post") +
                                m.at("mean_control_pre"),
                            1e-10));
}

EstimatorArgs panel_args() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"unit", "unit"}, {"time", "period"}};
  return args;
}

TEST(PanelReference, TwfeMatchesLmRobustWithFixedEffects) {
  expect_matches(find_estimator("twfe").run(panel(), panel_args()), reference()["twfe"]);
  EstimatorArgs args = panel_args();
  args.covariates = {"x"};
  expect_matches(find_estimator("twfe").run(panel(), args), reference()["twfe_covariate"]);
}

// Four units (two adopting, two never treated) give a cluster-robust variance of rank at most 3 for
// the four leads: one constraint is dropped, and the note says how to test every lead.
TEST(PanelReference, APretrendTestWithMoreLeadsThanClustersSaysWhatItDropped) {
  const Dataset four = rows_where("unit", {1, 2, 4, 8});
  EstimatorArgs args = panel_args();
  args.options["adoption"] = "adopt";
  const Estimate e = find_estimator("event-study").run(four, args);
  EXPECT_EQ(e.diagnostics.at("df"), 3);
  EXPECT_LE(e.diagnostics.at("pretrend_df1"), 3);
  EXPECT_GE(e.diagnostics.at("pretrend_df1"), 1);
  EXPECT_GE(e.diagnostics.at("pretrend_p"), 0);
  EXPECT_LE(e.diagnostics.at("pretrend_p"), 1);
  const bool noted = std::any_of(e.notes.begin(), e.notes.end(), [](const std::string& note) {
    return note.find("the pre-trend test has 4 leads but their variance has rank") != std::string::npos &&
           note.find("min_relative") != std::string::npos;
  });
  EXPECT_TRUE(noted);
  // The full fixture (80 units) tests all four.
  const Estimate all = find_estimator("event-study").run(panel(), args);
  EXPECT_EQ(all.diagnostics.at("pretrend_df1"), 4);
}

TEST(PanelReference, EventStudyMatchesLmRobustAndLmWithDummies) {
  EstimatorArgs args = panel_args();
  args.options["adoption"] = "adopt";  // some units miss their first treated period
  const Estimate e = find_estimator("event-study").run(panel(), args);
  const auto& r = reference()["event_study"];
  const auto times = r["relative_times"].get<std::vector<double>>();
  for (std::size_t j = 0; j < times.size(); ++j) {
    const std::string k = fmt::format("{}", times[j]);
    SCOPED_TRACE("relative period " + k);
    EXPECT_TRUE(near_relative(e.diagnostics.at("coef_" + k), r["coefficients"][j].get<double>()));
    EXPECT_TRUE(near_relative(e.diagnostics.at("se_" + k), r["se"][j].get<double>()));
    EXPECT_TRUE(near_relative(e.diagnostics.at("coef_" + k), r["lm_coefficients"][j].get<double>()));
    EXPECT_TRUE(near_relative(e.diagnostics.at("se_" + k), r["lm_se_cr1"][j].get<double>()));
  }
  EXPECT_TRUE(near_relative(e.estimate, r["post_average"].get<double>()));
  EXPECT_TRUE(near_relative(e.se, r["post_average_se"].get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("pretrend_F"), r["pretrend_F"].get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("pretrend_p"), r["pretrend_p"].get<double>()));
  EXPECT_EQ(e.diagnostics.at("df"), r["df"].get<double>());
  ASSERT_EQ(e.plots.size(), 2u);
  EXPECT_EQ(e.plots[0].id, "event-study");
  EXPECT_EQ(e.plots[0].series[0].x.size(), times.size() + 1);  // with the reference period at 0
  EXPECT_EQ(e.plots[1].id, "group-means");
  EXPECT_EQ(e.plots[1].series.size(), 3u);  // two cohorts and the never treated
}

}  // namespace
}  // namespace casebook

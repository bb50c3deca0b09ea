// Every term of every regression-type estimator against R (tests/fixtures/make_*_fixtures.R): the
// names R gives its coefficients, and each term's estimate, SE, statistic, p-value and interval to
// 1e-6 relative; and the named tables of the event studies against the same references.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

using testing::near_relative;

nlohmann::json read_reference(const std::string& file) {
  std::ifstream in(testing::fixture_path(file));
  return nlohmann::json::parse(in);
}

const nlohmann::json& estimators_reference() { return testing::estimator_reference(); }
const nlohmann::json& panel_reference() {
  static const nlohmann::json ref = read_reference("panel_reference.json");
  return ref;
}
const nlohmann::json& sun_abraham_reference() {
  static const nlohmann::json ref = read_reference("sun_abraham_reference.json");
  return ref;
}

const Dataset& panel() {
  static const Dataset data = read_csv(testing::fixture_path("panel_data.csv"));
  return data;
}
const Dataset& staggered() {
  static const Dataset data = read_csv(testing::fixture_path("sun_abraham_data.csv"));
  return data;
}

// Tiny p-values are compared on an absolute floor: both are "zero" for any reader.
::testing::AssertionResult near_p_value(double actual, double expected) {
  return near_relative(actual, expected, 1e-6, std::max(std::abs(expected), 1e-12));
}

// The terms in R's order and names, every column to 1e-6 relative.
void expect_terms_match(const std::vector<Term>& terms, const nlohmann::json& r_terms) {
  ASSERT_EQ(terms.size(), r_terms.size());
  for (std::size_t j = 0; j < terms.size(); ++j) {
    const Term& t = terms[j];
    const nlohmann::json& r = r_terms[j];
    SCOPED_TRACE("term " + r["term"].get<std::string>());
    EXPECT_EQ(t.term, r["term"].get<std::string>());
    EXPECT_TRUE(near_relative(t.estimate, r["estimate"].get<double>())) << "estimate";
    EXPECT_TRUE(near_relative(t.std_error, r["std.error"].get<double>())) << "std.error";
    EXPECT_TRUE(near_relative(t.statistic, r["statistic"].get<double>())) << "statistic";
    EXPECT_TRUE(near_p_value(t.p_value, r["p.value"].get<double>())) << "p.value";
    EXPECT_TRUE(near_relative(t.conf_low, r["conf.low"].get<double>())) << "conf.low";
    EXPECT_TRUE(near_relative(t.conf_high, r["conf.high"].get<double>())) << "conf.high";
  }
}

// The headline is one of the terms: the same numbers, not a second computation that could drift.
void expect_headline_is_term(const Estimate& e, const std::string& name) {
  const auto found =
      std::find_if(e.terms.begin(), e.terms.end(), [&](const Term& t) { return t.term == name; });
  ASSERT_NE(found, e.terms.end()) << name;
  EXPECT_EQ(found->estimate, e.estimate);
  EXPECT_EQ(found->std_error, e.se);
  EXPECT_EQ(found->conf_low, e.ci_low);
  EXPECT_EQ(found->conf_high, e.ci_high);
  EXPECT_EQ(found->p_value, e.p_value);
}

const Table& table(const Estimate& e, const std::string& id) {
  for (const Table& t : e.tables)
    if (t.id == id) return t;
  throw std::runtime_error("no table " + id);
}

double number(const TableCell& cell) { return std::get<double>(cell); }

EstimatorArgs ols_args(const std::string& se_type) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x1", "x2", "region"};
  args.se_type = se_type;
  return args;
}

EstimatorArgs iv_args(const std::string& se_type) {
  EstimatorArgs args = ols_args(se_type);
  args.outcome = "y_iv";
  args.treatment = "d";
  args.instruments = {"z_bin", "z_cont"};
  return args;
}

EstimatorArgs outcome_on_treatment(const std::string& outcome, const std::string& treatment) {
  EstimatorArgs args;
  args.outcome = outcome;
  args.treatment = treatment;
  return args;
}

Estimate run(const std::string& estimator, const Dataset& data, const EstimatorArgs& args) {
  return find_estimator(estimator).run(data, args);
}

class OlsTermsMatchR : public ::testing::TestWithParam<std::string> {};

TEST_P(OlsTermsMatchR, EveryTermWithItsVarianceType) {
  const Estimate e = run("ols", testing::estimator_fixture_data(), ols_args(GetParam()));
  EXPECT_EQ(e.se_type, GetParam());
  expect_terms_match(e.terms, estimators_reference()["ols_" + GetParam()]["terms"]);
  expect_headline_is_term(e, "t");
}

INSTANTIATE_TEST_SUITE_P(SeTypes, OlsTermsMatchR, ::testing::Values("iid", "hc0", "hc1", "hc2", "hc3"));

TEST(OlsTermsMatchR, ClusteredAsEstimatrTidyAndAtOtherLevels) {
  EstimatorArgs args = ols_args("hc1");
  args.cluster = "g";
  const Estimate clustered = run("ols", testing::estimator_fixture_data(), args);
  EXPECT_EQ(clustered.se_type, "cr1");
  expect_terms_match(clustered.terms, estimators_reference()["ols_cr1"]["estimatr_terms"]);

  EstimatorArgs at_90 = ols_args("hc1");
  at_90.confidence_level = 0.90;
  expect_terms_match(run("ols", testing::estimator_fixture_data(), at_90).terms,
                     estimators_reference()["ols_hc1_90"]["terms"]);
  const Estimate plain = run("ols", testing::estimator_fixture_data(), outcome_on_treatment("y", "t"));
  expect_terms_match(plain.terms, estimators_reference()["ols_no_covariates_hc1"]["terms"]);
}

class TwoStageLeastSquaresTermsMatchR : public ::testing::TestWithParam<std::string> {};

TEST_P(TwoStageLeastSquaresTermsMatchR, SecondStageTermsAsIvreg) {
  const Estimate e = run("2sls", testing::estimator_fixture_data(), iv_args(GetParam()));
  EXPECT_EQ(e.se_type, GetParam());
  expect_terms_match(e.terms, estimators_reference()["iv_" + GetParam()]["terms"]);
  expect_headline_is_term(e, "d");
}

INSTANTIATE_TEST_SUITE_P(SeTypes, TwoStageLeastSquaresTermsMatchR, ::testing::Values("iid", "hc0", "hc1"));

TEST(TwoStageLeastSquaresTermsMatchR, ClusteredAsIvRobustTidy) {
  EstimatorArgs args = iv_args("hc1");
  args.cluster = "g";
  const Estimate e = run("2sls", testing::estimator_fixture_data(), args);
  EXPECT_EQ(e.se_type, "cr1");
  expect_terms_match(e.terms, estimators_reference()["iv_cr1"]["estimatr_terms"]);
}

TEST(DifferenceInMeansTermsMatchR, OneTermNamedByTheTreatment) {
  const Estimate e =
      run("difference-in-means", testing::estimator_fixture_data(), outcome_on_treatment("y", "t"));
  EXPECT_EQ(e.se_type, "neyman");
  expect_terms_match(e.terms, estimators_reference()["difference_in_means"]["terms"]);
  expect_headline_is_term(e, "t");
}

// The 2×2 subset of the panel: never treated vs the cohort adopting in period 4.
Dataset two_by_two() {
  const Dataset& data = panel();
  const auto& adopt = data.column("adopt").values;
  Dataset out(data.source());
  for (const auto& column : data.columns()) {
    Column kept{column.name, {}, column.levels};
    for (std::size_t i = 0; i < adopt.size(); ++i)
      if (adopt[i] == 0 || adopt[i] == 4) kept.values.push_back(column.values[i]);
    out.add_column(std::move(kept));
  }
  return out;
}

EstimatorArgs did_args(const std::string& comparison = "did") {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"group", "group"}, {"post", "post"}, {"comparison", comparison}};
  return args;
}

TEST(DidTermsMatchR, InteractionModelAndNaiveContrasts) {
  const Dataset data = two_by_two();
  const Estimate did = run("did", data, did_args());
  EXPECT_EQ(did.se_type, "hc1");
  expect_terms_match(did.terms, panel_reference()["did_hc1"]["terms"]);
  expect_headline_is_term(did, "group:post");

  EstimatorArgs clustered = did_args();
  clustered.cluster = "unit";
  const Estimate did_cr1 = run("did", data, clustered);
  EXPECT_EQ(did_cr1.se_type, "cr1");
  expect_terms_match(did_cr1.terms, panel_reference()["did_cr1"]["terms"]);

  expect_terms_match(run("did", data, did_args("post-difference")).terms,
                     panel_reference()["did_post_difference_terms"]);
  expect_terms_match(run("did", data, did_args("before-after")).terms,
                     panel_reference()["did_before_after_terms"]);
}

EstimatorArgs panel_args() {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"unit", "unit"}, {"time", "period"}};
  return args;
}

TEST(TwfeTermsMatchR, TreatmentAndCovariatesWithEffectsAbsorbed) {
  const Estimate e = run("twfe", panel(), panel_args());
  EXPECT_EQ(e.se_type, "cr1");
  expect_terms_match(e.terms, panel_reference()["twfe"]["terms"]);
  EstimatorArgs args = panel_args();
  args.covariates = {"x"};
  const Estimate with_x = run("twfe", panel(), args);
  expect_terms_match(with_x.terms, panel_reference()["twfe_covariate"]["terms"]);
  expect_headline_is_term(with_x, "d");
}

TEST(EventStudyTermsMatchR, OneTermPerRelativePeriodAndATableByPeriod) {
  EstimatorArgs args = panel_args();
  args.options["adoption"] = "adopt";
  const Estimate e = run("event-study", panel(), args);
  const auto& r = panel_reference()["event_study"];
  EXPECT_EQ(e.se_type, "cr1");
  expect_terms_match(e.terms, r["terms"]);

  const Table& by_period = table(e, "event-study");
  EXPECT_EQ(by_period.columns, (std::vector<std::string>{"period", "estimate", "std.error", "statistic",
                                                         "p.value", "conf.low", "conf.high"}));
  const auto times = r["relative_times"].get<std::vector<double>>();
  ASSERT_EQ(by_period.rows.size(), times.size());  // the reference period has no row
  for (std::size_t j = 0; j < times.size(); ++j) {
    const auto& row = by_period.rows[j];
    ASSERT_EQ(row.size(), by_period.columns.size());
    EXPECT_EQ(number(row[0]), times[j]);
    EXPECT_TRUE(near_relative(number(row[1]), r["coefficients"][j].get<double>())) << times[j];
    EXPECT_TRUE(near_relative(number(row[2]), r["se"][j].get<double>())) << times[j];
  }
}

EstimatorArgs staggered_args(const std::string& control) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  args.options = {{"unit", "unit"}, {"time", "period"}, {"adoption", "adopt"}, {"control", control}};
  return args;
}

class SunAbrahamTermsMatchR : public ::testing::TestWithParam<std::string> {};

TEST_P(SunAbrahamTermsMatchR, CellTermsAndTablesByPeriodAndByCohort) {
  const auto& r = sun_abraham_reference()[GetParam()];
  const Estimate e = run("sun-abraham", staggered(), staggered_args(GetParam()));
  EXPECT_EQ(e.se_type, "cr1");
  expect_terms_match(e.terms, r["terms"]);

  const Table& by_period = table(e, "sun-abraham");
  const auto periods = r["relative_periods"].get<std::vector<double>>();
  ASSERT_EQ(by_period.rows.size(), periods.size());
  for (std::size_t p = 0; p < periods.size(); ++p) {
    EXPECT_EQ(number(by_period.rows[p][0]), periods[p]);
    EXPECT_TRUE(near_relative(number(by_period.rows[p][1]), r["iw"][p].get<double>())) << periods[p];
    EXPECT_TRUE(near_relative(number(by_period.rows[p][2]), r["iw_se"][p].get<double>())) << periods[p];
  }

  const Table& cells = table(e, "cells");
  EXPECT_EQ(cells.columns[0], "cohort");
  EXPECT_EQ(cells.columns[1], "period");
  EXPECT_EQ(cells.columns[2], "rows");
  ASSERT_EQ(cells.rows.size(), r["cell_cohort"].size());
  for (std::size_t j = 0; j < cells.rows.size(); ++j) {
    EXPECT_EQ(number(cells.rows[j][0]), r["cell_cohort"][j].get<double>());
    EXPECT_EQ(number(cells.rows[j][1]), r["cell_relative"][j].get<double>());
    EXPECT_EQ(number(cells.rows[j][2]), r["cell_rows"][j].get<double>());
    EXPECT_TRUE(near_relative(number(cells.rows[j][3]), r["coefficients"][j].get<double>()));
    EXPECT_TRUE(near_relative(number(cells.rows[j][4]), r["se"][j].get<double>()));
  }
}

INSTANTIATE_TEST_SUITE_P(Controls, SunAbrahamTermsMatchR, ::testing::Values("never", "last"));

}  // namespace
}  // namespace casebook

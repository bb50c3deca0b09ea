// segment-effects against R on the same data (tests/fixtures/make_segment_effects_fixture.R):
// estimatr's difference_in_means and MatchIt's matching within domain segments, cluster::pam and
// stats::kmeans segments of schools, the size-weighted overall effect and the Wald test of equal
// effects; then segments by CATE quantile, a segment without treated rows, and bad input.
#include <cmath>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "../fixtures/estimator_fixture.hpp"
#include "estimator_examples.hpp"
#include "estimators/estimator.hpp"
#include "input_error.hpp"

namespace casebook {
namespace {

const testing::RegisterExample kExample{
    "segment-effects",
    {"segment_effects_data.csv",
     testing::example_args("y", "t", {"x1", "x2"}, {{"segments", "column"}, {"column", "region"}}), false}};

using testing::near_relative;

const Dataset& data() {
  static const Dataset d = read_csv(testing::fixture_path("segment_effects_data.csv"));
  return d;
}

const nlohmann::json& reference() {
  static const nlohmann::json r = [] {
    std::ifstream in(testing::fixture_path("segment_effects_reference.json"));
    return nlohmann::json::parse(in);
  }();
  return r;
}

Estimate run(std::vector<std::string> covariates, std::map<std::string, std::string> options,
             const Dataset& d = data()) {
  return find_estimator("segment-effects")
      .run(d, testing::example_args("y", "t", std::move(covariates), std::move(options)));
}

const Table& table(const Estimate& e, const std::string& id) {
  for (const Table& t : e.tables)
    if (t.id == id) return t;
  throw std::runtime_error("no table " + id);
}

double cell(const Table& t, std::size_t row, const std::string& column) {
  const auto at = std::find(t.columns.begin(), t.columns.end(), column);
  return std::get<double>(t.rows.at(row).at(static_cast<std::size_t>(at - t.columns.begin())));
}

// Every number the results document would carry is finite (the JSON has no NaN).
void expect_all_finite(const Estimate& e) {
  for (const double v : {e.estimate, e.se, e.ci_low, e.ci_high, e.p_value}) EXPECT_TRUE(std::isfinite(v));
  for (const auto& [name, v] : e.diagnostics) EXPECT_TRUE(std::isfinite(v)) << name;
  for (const Table& t : e.tables)
    for (const auto& row : t.rows)
      for (const TableCell& c : row)
        if (const double* v = std::get_if<double>(&c)) {
          EXPECT_TRUE(std::isfinite(*v)) << t.id;
        }
  for (const Plot& p : e.plots)
    for (const Series& s : p.series)
      for (const auto* values : {&s.y, &s.lower, &s.upper})
        for (const double v : *values) EXPECT_TRUE(std::isfinite(v)) << p.id;
}

void expect_segments(const Estimate& e, const nlohmann::json& segments, bool with_interval) {
  const Table& t = table(e, "segment_effects");
  ASSERT_EQ(t.rows.size(), segments.size());
  for (std::size_t s = 0; s < segments.size(); ++s) {
    SCOPED_TRACE(s);
    EXPECT_TRUE(near_relative(cell(t, s, "estimate"), segments[s].at("estimate").get<double>()));
    EXPECT_TRUE(near_relative(cell(t, s, "std_error"), segments[s].at("se").get<double>()));
    EXPECT_EQ(cell(t, s, "n"), segments[s].at("n").get<double>());
    EXPECT_EQ(cell(t, s, "treated"), segments[s].at("treated").get<double>());
    if (!with_interval) continue;
    EXPECT_TRUE(near_relative(cell(t, s, "ci_low"), segments[s].at("ci_low").get<double>()));
    EXPECT_TRUE(near_relative(cell(t, s, "ci_high"), segments[s].at("ci_high").get<double>()));
    EXPECT_TRUE(near_relative(cell(t, s, "p_value"), segments[s].at("p_value").get<double>(), 1e-6, 1));
  }
}

void expect_overall(const Estimate& e, const nlohmann::json& overall) {
  EXPECT_TRUE(near_relative(e.estimate, overall.at("estimate").get<double>()));
  EXPECT_TRUE(near_relative(e.se, overall.at("se").get<double>()));
  EXPECT_TRUE(near_relative(e.diagnostics.at("equal_effects_chi2"), overall.at("chi2").get<double>()));
  EXPECT_EQ(e.diagnostics.at("equal_effects_df"), overall.at("df").get<double>());
  EXPECT_TRUE(near_relative(e.diagnostics.at("equal_effects_p"), overall.at("p").get<double>()));
  EXPECT_NEAR(e.ci_low, e.estimate - 1.959963984540054 * e.se, 1e-12);
}

TEST(SegmentEffects, DomainSegmentsAgreeWithEstimatrDifferenceInMeans) {
  for (const std::string estimand : {"ate", "att"}) {
    SCOPED_TRACE(estimand);
    const Estimate e = run({}, {{"segments", "column"},
                                {"column", "region"},
                                {"within", "difference-in-means"},
                                {"estimand", estimand}});
    expect_segments(e, reference().at("region_dim"), true);
    expect_overall(e,
                   reference().at(estimand == "ate" ? "region_dim_overall_ate" : "region_dim_overall_att"));
    EXPECT_EQ(e.se_type, "neyman");
    const Table& t = table(e, "segment_effects");
    for (std::size_t s = 0; s < t.rows.size(); ++s)
      EXPECT_EQ(std::get<std::string>(t.rows[s][0]), reference().at("regions")[s].get<std::string>());
    expect_all_finite(e);
  }
}

TEST(SegmentEffects, PsmWithinSegmentsAgreesWithMatchIt) {
  const Estimate e = run({"x1", "x2"}, {{"segments", "column"}, {"column", "region"}});
  expect_segments(e, reference().at("region_psm"), false);
  expect_overall(e, reference().at("region_psm_overall"));
  EXPECT_EQ(e.se_type, "cr1");
  ASSERT_EQ(e.plots.size(), 1u);
  EXPECT_EQ(e.plots[0].id, "effects_by_segment");
  EXPECT_EQ(e.plots[0].series.size(), 3u);
}

// Option exact reaches psm: each segment's effect is psm's with exact on that segment's rows.
TEST(SegmentEffects, ExactMatchingWithinSegmentsIsPsmsExact) {
  Dataset d = data();
  Column half{"half", {}, {}};  // odd and even schools: strata with enough controls for 1:1 matching
  for (const double school : d.column("school").values) half.values.push_back(std::fmod(school, 2.0));
  d.add_column(half);
  const Estimate e = run({"x1", "x2"}, {{"segments", "column"}, {"column", "region"}, {"exact", "half"}}, d);
  const Table& t = table(e, "segment_effects");
  for (std::size_t s = 0; s < 3; ++s) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < d.rows(); ++i)
      if (d.column("region").values[i] == static_cast<double>(s)) rows.push_back(i);
    const Estimate psm = find_estimator("psm").run(
        select_rows(d, rows), testing::example_args("y", "t", {"x1", "x2"}, {{"exact", "half"}}));
    EXPECT_DOUBLE_EQ(cell(t, s, "estimate"), psm.estimate);
    EXPECT_DOUBLE_EQ(cell(t, s, "std_error"), psm.se);
  }
  EXPECT_NE(e.estimate, run({"x1", "x2"}, {{"segments", "column"}, {"column", "region"}}).estimate);
  EXPECT_CONTAINS(
      testing::input_error("segment-effects", d,
                           testing::example_args("y", "t", {"x1"}, {{"within", "iptw"}, {"exact", "half"}})),
      "option exact applies to within=psm only");
}

TEST(SegmentEffects, SchoolSegmentsByPamAgreeWithClusterPam) {
  const Estimate e = run({}, {{"segments", "pam"},
                              {"k", "3"},
                              {"level", "school"},
                              {"segment_covariates", "s1,s2"},
                              {"within", "difference-in-means"},
                              {"estimand", "ate"}});
  const auto clustering = reference().at("school_pam_clustering").get<std::vector<double>>();
  const std::vector<double>& school = data().column("school").values;
  const std::vector<double>& segment = e.row_outputs.at("segment");
  for (std::size_t i = 0; i < data().rows(); ++i)
    ASSERT_EQ(segment[i], clustering[static_cast<std::size_t>(school[i]) - 1] + 1) << "row " << i;
  expect_segments(e, reference().at("school_pam_dim"), true);
  const Table& profiles = table(e, "segment_profiles");
  ASSERT_EQ(profiles.rows.size(), 3u);
  for (std::size_t s = 0; s < 3; ++s) {
    EXPECT_TRUE(
        near_relative(cell(profiles, s, "s1"), reference().at("school_pam_profiles")[s][0].get<double>()));
    EXPECT_TRUE(
        near_relative(cell(profiles, s, "s2"), reference().at("school_pam_profiles")[s][1].get<double>()));
  }
  EXPECT_EQ(e.diagnostics.at("k"), 3);
  expect_all_finite(e);
}

TEST(SegmentEffects, KMeansPlusPlusStartsReachRsBestOfFiftyStarts) {
  const std::map<std::string, std::string> options{{"segments", "kmeans"},
                                                   {"k", "3"},
                                                   {"level", "school"},
                                                   {"segment_covariates", "s1,s2"},
                                                   {"within", "difference-in-means"}};
  const Estimate e = run({}, options);
  const auto clustering = reference().at("school_kmeans_clustering").get<std::vector<double>>();
  const std::vector<double>& school = data().column("school").values;
  const std::vector<double>& segment = e.row_outputs.at("segment");
  // The same partition of the schools, whatever the labels.
  std::set<std::pair<double, double>> pairs;
  for (std::size_t i = 0; i < data().rows(); ++i)
    pairs.emplace(segment[i], clustering[static_cast<std::size_t>(school[i]) - 1]);
  EXPECT_EQ(pairs.size(), 3u);
  // Same seed, same segments.
  EXPECT_EQ(run({}, options).row_outputs.at("segment"), segment);
}

TEST(SegmentEffects, ChoosesKByTheLargestAverageSilhouette) {
  const Estimate e = run({}, {{"segments", "kmeans"},
                              {"kmax", "6"},
                              {"level", "school"},
                              {"segment_covariates", "s1,s2"},
                              {"within", "difference-in-means"}});
  const Table& t = table(e, "silhouette_by_k");
  ASSERT_EQ(t.rows.size(), 5u);  // k = 2..6
  std::size_t best = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    EXPECT_EQ(cell(t, r, "k"), static_cast<double>(r + 2));
    if (cell(t, r, "average_silhouette") > cell(t, best, "average_silhouette")) best = r;
  }
  EXPECT_EQ(e.diagnostics.at("k"), cell(t, best, "k"));
  EXPECT_EQ(e.diagnostics.at("k"), 3);  // the schools were drawn around three profiles
  EXPECT_EQ(e.diagnostics.at("average_silhouette"), cell(t, best, "average_silhouette"));
}

TEST(SegmentEffects, CateQuantileSegmentsAreEqualSizedAndSeeded) {
  const std::map<std::string, std::string> options{{"segments", "cate"},
                                                   {"k", "4"},
                                                   {"trees", "200"},
                                                   {"within", "difference-in-means"},
                                                   {"level", "school"}};
  const Estimate e = run({"x1", "x2", "s1", "s2"}, options);
  const Table& t = table(e, "segment_effects");
  ASSERT_EQ(t.rows.size(), 4u);
  for (std::size_t s = 0; s < 4; ++s)
    EXPECT_NEAR(cell(t, s, "n"), static_cast<double>(data().rows()) / 4, 1.0);
  EXPECT_EQ(std::get<std::string>(t.rows[0][0]), "CATE Q1");
  EXPECT_EQ(run({"x1", "x2", "s1", "s2"}, options).row_outputs.at("segment"), e.row_outputs.at("segment"));
  expect_all_finite(e);
}

TEST(SegmentEffects, ASegmentWithoutControlsIsNamedAndNotEstimable) {
  // A cohort holding only treated rows beside the three regions.
  Dataset d = data();
  Column cohort{"cohort", {}, {}};
  for (std::size_t i = 0; i < d.rows(); ++i)
    cohort.values.push_back(
        d.column("t").values[i] == 1 && d.column("x1").values[i] > 1.2 ? 9 : d.column("region").values[i]);
  d.add_column(cohort);
  const Estimate e =
      run({}, {{"segments", "column"}, {"column", "cohort"}, {"within", "difference-in-means"}}, d);
  const Table& t = table(e, "segment_effects");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(std::get<std::string>(t.rows[3][0]), "cohort=9");
  EXPECT_EQ(cell(t, 3, "control"), 0);
  EXPECT_EQ(std::get<std::string>(t.rows[3][4]), "not estimable");
  EXPECT_EQ(e.diagnostics.at("segments_not_estimable"), 1);
  EXPECT_EQ(e.diagnostics.at("equal_effects_df"), 2);
  EXPECT_FALSE(e.diagnostics.contains("segment4_effect"));
  bool named = false;
  for (const auto& note : e.notes)
    named = named || note.find("'cohort=9' (no control row)") != std::string::npos;
  EXPECT_TRUE(named);
  expect_all_finite(e);
}

TEST(SegmentEffects, BadInputGivesOneLineNamingTheOption) {
  EXPECT_CONTAINS(
      testing::input_error(
          "segment-effects", data(),
          testing::example_args("y", "t", {"x1"},
                                {{"k", "41"}, {"level", "school"}, {"segment_covariates", "s1,s2"}})),
      "option k = 41 is more than the 40 clusters of 'school'");
  EXPECT_CONTAINS(testing::input_error("segment-effects", data(),
                                       testing::example_args("y", "t", {"x1"}, {{"segments", "column"}})),
                  "segments=column needs option column");
  EXPECT_CONTAINS(testing::input_error("segment-effects", data(),
                                       testing::example_args("y", "t", {"x1"}, {{"estimand", "ate"}})),
                  "within=psm");
  EXPECT_CONTAINS(
      testing::input_error("segment-effects", data(),
                           testing::example_args("y", "t", {"x1"}, {{"segments", "cate"}, {"k", "5000"}})),
      "option k = 5000");
  EXPECT_CONTAINS(testing::input_error("segment-effects", data(), testing::example_args("y", "t", {}, {})),
                  "within=psm needs covariates");
}

}  // namespace
}  // namespace casebook

// The causal forest's targeting summaries against R: the ATE/ATT/ATC with and without clusters, the best
// linear projection, RATE (AUTOC, QINI, TOC) and effects by CATE quintile and by category, recomputed from
// the same out-of-bag columns by tests/fixtures/make_causal_forest_targeting_fixture.R.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "effect_summaries/best_linear_projection.hpp"
#include "effect_summaries/doubly_robust_ate.hpp"
#include "effect_summaries/grouped_treatment_effects.hpp"
#include "effect_summaries/rank_average_treatment_effect.hpp"
#include "effect_summaries/targeted_average_effect.hpp"
#include "effect_summaries/test_calibration.hpp"

namespace casebook {
namespace {

// Relative to the value, or absolute for values near 0 (the TOC at q = 1 is ATE − ATE).
void expect_close(double actual, double expected, double tolerance, const std::string& what) {
  EXPECT_LE(std::abs(actual - expected), tolerance * std::max(1.0, std::abs(expected)))
      << what << ": " << actual << " vs " << expected;
}

struct Fixture {
  Dataset data = read_csv(std::string(CASEBOOK_FIXTURES) + "/causal_forest_calibration.csv");
  Dataset covariates = read_csv(std::string(CASEBOOK_FIXTURES) + "/causal_forest_targeting_covariates.csv");
  nlohmann::json reference = nlohmann::json::parse(
      std::ifstream(std::string(CASEBOOK_FIXTURES) + "/causal_forest_targeting_reference.json"));
  std::vector<double> scores =
      doubly_robust_ate((*this)["y"], (*this)["w"], (*this)["y_hat"], (*this)["w_hat"], (*this)["cate"])
          .scores;

  const std::vector<double>& operator[](const std::string& column) const {
    return data.has(column) ? data.column(column).values : covariates.column(column).values;
  }
  AverageEffect ate(TargetSample target, bool clustered) const {
    AverageEffectOptions options;
    options.target = target;
    if (clustered) options.clusters = (*this)["cluster"];
    const Fixture& f = *this;
    return average_treatment_effect(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"], options);
  }
};

TEST(CausalForestTargeting, AverageEffectsOnEachTargetSampleMatchR) {
  const Fixture f;
  for (const bool clustered : {false, true})
    for (const TargetSample target : {TargetSample::all, TargetSample::treated, TargetSample::control}) {
      const std::string key = std::string(to_string(target)) + (clustered ? "_clustered" : "");
      const AverageEffect effect = f.ate(target, clustered);
      expect_close(effect.estimate, f.reference["ate"][key]["estimate"], 1e-9, key + " estimate");
      expect_close(effect.se, f.reference["ate"][key]["se"], 1e-9, key + " se");
      EXPECT_EQ(effect.clusters, clustered ? 40u : 500u);
    }
}

TEST(CausalForestTargeting, AllSampleWithoutClustersIsDoublyRobustAte) {
  const Fixture f;
  const DoublyRobustEffect plain = doubly_robust_ate(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"]);
  const AverageEffect effect = f.ate(TargetSample::all, false);
  expect_close(effect.estimate, plain.estimate, 1e-12, "estimate");
  expect_close(effect.se, plain.se, 1e-12, "se");
}

TEST(CausalForestTargeting, BestLinearProjectionMatchesR) {
  const Fixture f;
  for (const bool clustered : {false, true}) {
    const BestLinearProjection blp =
        best_linear_projection(f.scores, {f["x1"], f["x2"]}, {"x1", "x2"},
                               clustered ? std::span<const double>(f["cluster"]) : std::span<const double>());
    const nlohmann::json& reference = f.reference[clustered ? "blp_clustered" : "blp"];
    ASSERT_EQ(blp.terms.size(), reference.size());
    EXPECT_EQ(blp.df, 497);
    for (std::size_t k = 0; k < blp.terms.size(); ++k) {
      const ProjectionTerm& term = blp.terms[k];
      const nlohmann::json& r = reference[k];
      EXPECT_EQ(term.name, r["name"].get<std::string>());
      expect_close(term.estimate, r["estimate"], 1e-9, term.name + " estimate");
      expect_close(term.se, r["se"], 1e-9, term.name + " se");
      expect_close(term.t_statistic, r["t"], 1e-9, term.name + " t");
      EXPECT_LE(std::abs(term.p_value - r["p"].get<double>()), 1e-9 * r["p"].get<double>())
          << term.name << " p";
      expect_close(term.ci_low, r["ci_low"], 1e-9, term.name + " ci low");
      expect_close(term.ci_high, r["ci_high"], 1e-9, term.name + " ci high");
    }
  }
}

TEST(CausalForestTargeting, RatePointEstimatesMatchR) {
  const Fixture f;
  for (const auto& [key, column] :
       {std::pair{"rate_cate", "cate"}, std::pair{"rate_tied", "priority_tied"}}) {
    const nlohmann::json& r = f.reference[key];
    RateOptions autoc;
    autoc.q = r["fine_q"].get<std::vector<double>>();
    autoc.bootstrap_reps = 2;
    const RankAverageTreatmentEffect fine = rank_average_treatment_effect(f.scores, f[column], autoc);
    expect_close(fine.estimate, r["autoc"], 1e-9, std::string(key) + " AUTOC");
    for (std::size_t j = 0; j < fine.toc.size(); ++j)
      expect_close(fine.toc[j].estimate, r["toc_fine"][j], 1e-9,
                   std::string(key) + " TOC at " + std::to_string(fine.toc[j].q));
    RateOptions qini;
    qini.target = RateTarget::qini;
    qini.bootstrap_reps = 2;
    const RankAverageTreatmentEffect coarse = rank_average_treatment_effect(f.scores, f[column], qini);
    expect_close(coarse.estimate, r["qini"], 1e-9, std::string(key) + " QINI");
    ASSERT_EQ(coarse.toc.size(), 10u);  // grf's default grid 0.1, …, 1
    for (std::size_t j = 0; j < coarse.toc.size(); ++j)
      expect_close(coarse.toc[j].estimate, r["toc_default"][j], 1e-9,
                   std::string(key) + " default TOC " + std::to_string(j));
  }
}

// The half-sample bootstrap SE is random: C++ (PCG) and R (Mersenne Twister) draw different half samples,
// so the two agree only up to Monte Carlo error. The SD of R replicates has relative error about
// 1/√(2(R − 1)): 1.1% with 4000 C++ replicates, 0.5% with R's 20000, so 6% is over 4 joint standard
// errors, yet a wrong half-sample size (e.g. n instead of n/2, a factor √2 off) or a replicate statistic
// computed differently fails it.
TEST(CausalForestTargeting, RateBootstrapSeAgreesWithLargeReplicateR) {
  const Fixture f;
  const nlohmann::json& r = f.reference["rate_se"];
  auto se = [&](const std::vector<double>& priorities, RateTarget target, bool clustered) {
    RateOptions options;
    options.target = target;
    options.bootstrap_reps = 4000;
    options.seed = 11;
    if (clustered) options.clusters = f["cluster"];
    return rank_average_treatment_effect(f.scores, priorities, options).se;
  };
  const auto check = [](double actual, double expected, const char* what) {
    EXPECT_LE(std::abs(actual - expected), 0.06 * expected) << what << ": " << actual << " vs " << expected;
  };
  check(se(f["cate"], RateTarget::autoc, false), r["autoc_rows"], "AUTOC");
  check(se(f["cate"], RateTarget::autoc, true), r["autoc_clusters"], "AUTOC, clustered");
  check(se(f["cate"], RateTarget::qini, false), r["qini_rows"], "QINI");
  check(se(f["priority_tied"], RateTarget::autoc, false), r["autoc_tied_rows"], "AUTOC, tied priorities");
}

TEST(CausalForestTargeting, RateBootstrapIsIdenticalOnAnyThreadCount) {
  const Fixture f;
  RateOptions options;
  options.seed = 5;
  options.clusters = f["cluster"];
  options.threads = 1;
  const RankAverageTreatmentEffect one = rank_average_treatment_effect(f.scores, f["cate"], options);
  options.threads = 4;
  const RankAverageTreatmentEffect four = rank_average_treatment_effect(f.scores, f["cate"], options);
  EXPECT_EQ(one.se, four.se);
  for (std::size_t j = 0; j < one.toc.size(); ++j) EXPECT_EQ(one.toc[j].se, four.toc[j].se);
  options.seed = 6;
  EXPECT_NE(rank_average_treatment_effect(f.scores, f["cate"], options).se, one.se);
}

TEST(CausalForestTargeting, ClusteredCalibrationTestMatchesR) {
  const Fixture f;
  const CalibrationTest test =
      test_calibration(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"], f["cluster"]);
  const nlohmann::json& r = f.reference["calibration_clustered"];
  for (const auto& [coefficient, key] :
       {std::pair{&test.mean_prediction, "mean_forest_prediction"},
        std::pair{&test.differential_prediction, "differential_forest_prediction"}}) {
    expect_close(coefficient->estimate, r[key]["estimate"].get<double>(), 1e-9,
                 std::string(key) + " estimate");
    expect_close(coefficient->se, r[key]["se"].get<double>(), 1e-9, std::string(key) + " se");
    expect_close(coefficient->t_statistic, r[key]["t"].get<double>(), 1e-9, std::string(key) + " t");
    expect_close(coefficient->p_value, r[key]["p_one_sided"].get<double>(), 1e-9, std::string(key) + " p");
  }
  // Clustering changes the standard error (40 clusters instead of 500 rows), so the test is not vacuous.
  const CalibrationTest rows = test_calibration(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"]);
  EXPECT_NE(rows.differential_prediction.se, test.differential_prediction.se);
}

TEST(CausalForestTargeting, EffectsByCateQuintileMatchR) {
  const Fixture f;
  const std::vector<GroupEffect> groups = effects_by_cate_quantile(f["cate"], f.scores, 5);
  ASSERT_EQ(groups.size(), 5u);
  for (const GroupEffect& g : groups) {
    const nlohmann::json& r = f.reference["by_quintile"][g.label];
    EXPECT_EQ(g.rows, r["rows"].get<std::size_t>()) << g.label;
    expect_close(g.mean_cate, r["mean_cate"], 1e-9, g.label + " mean CATE");
    expect_close(g.estimate, r["estimate"], 1e-9, g.label + " estimate");
    expect_close(g.se, r["se"], 1e-9, g.label + " se");
    expect_close(g.ci_high - g.estimate, 1.959963984540054 * g.se, 1e-12, g.label + " CI half-width");
  }
  for (std::size_t k = 1; k < groups.size(); ++k) EXPECT_LT(groups[k - 1].cate_max, groups[k].cate_min);
}

TEST(CausalForestTargeting, EffectsByCategoryMatchR) {
  const Fixture f;
  const Column& region = f.covariates.column("region");
  const std::vector<GroupEffect> groups =
      effects_by_category(region.values, region.levels, f["cate"], f.scores);
  ASSERT_EQ(groups.size(), 4u);
  for (const GroupEffect& g : groups) {
    const nlohmann::json& r = f.reference["by_region"][g.label];
    EXPECT_EQ(g.rows, r["rows"].get<std::size_t>()) << g.label;
    expect_close(g.mean_cate, r["mean_cate"], 1e-9, g.label + " mean CATE");
    expect_close(g.estimate, r["estimate"], 1e-9, g.label + " estimate");
    expect_close(g.se, r["se"], 1e-9, g.label + " se");
  }
}

TEST(CausalForestTargeting, BadInputsAreInputErrors) {
  const Fixture f;
  const std::vector<double> short_column(10, 1.0);
  const std::vector<double> all_treated(f["w"].size(), 1.0);
  AverageEffectOptions treated;
  treated.target = TargetSample::treated;
  EXPECT_THROW(average_treatment_effect(f["y"], all_treated, f["y_hat"], f["w_hat"], f["cate"], treated),
               InputError);
  AverageEffectOptions bad_clusters;
  bad_clusters.clusters = short_column;
  EXPECT_THROW(average_treatment_effect(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"], bad_clusters),
               InputError);
  const std::vector<double> one_cluster(f["w"].size(), 3.0);
  bad_clusters.clusters = one_cluster;
  EXPECT_THROW(average_treatment_effect(f["y"], f["w"], f["y_hat"], f["w_hat"], f["cate"], bad_clusters),
               InputError);
  EXPECT_THROW(parse_target_sample("overlap"), InputError);

  EXPECT_THROW(best_linear_projection(f.scores, {short_column}, {"short"}), InputError);
  EXPECT_THROW(best_linear_projection(f.scores, {f["x1"], f["x1"]}, {"x1", "x1 again"}), InputError);
  EXPECT_THROW(best_linear_projection(f.scores, {f["x1"]}, {}), InputError);

  EXPECT_THROW(rank_average_treatment_effect(f.scores, short_column), InputError);
  RateOptions bad_grid;
  bad_grid.q = {0.5, 0.9};
  EXPECT_THROW(rank_average_treatment_effect(f.scores, f["cate"], bad_grid), InputError);
  RateOptions few_clusters;
  const std::vector<double> three_clusters = [&] {
    std::vector<double> ids(f.scores.size());
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<double>(i % 3);
    return ids;
  }();
  few_clusters.clusters = three_clusters;
  EXPECT_THROW(rank_average_treatment_effect(f.scores, f["cate"], few_clusters), InputError);
  EXPECT_THROW(parse_rate_target("auc"), InputError);

  EXPECT_THROW(effects_by_cate_quantile(f["cate"], f.scores, 1), InputError);
  EXPECT_THROW(effects_by_cate_quantile(f["cate"], short_column, 5), InputError);
  // Mostly tied CATEs: the quintile breaks coincide and a group is empty.
  std::vector<double> tied(f.scores.size(), 1.0);
  tied[0] = 2.0;
  EXPECT_THROW(effects_by_cate_quantile(tied, f.scores, 5), InputError);
  const Column& region = f.covariates.column("region");
  const std::vector<std::string> too_few_levels{"east", "north"};
  EXPECT_THROW(effects_by_category(region.values, too_few_levels, f["cate"], f.scores), InputError);
}

}  // namespace
}  // namespace casebook

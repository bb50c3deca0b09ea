// Monte Carlo of a case: determinism across thread counts, derived seeds, the summary's
// arithmetic, and the bootstrap section of an analysis.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "broken_cases.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "core/derived_seed.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

Case template_case() { return parse_case(testing::template_case("mc-test"), "case.json", "mc-test"); }

MonteCarloOptions small(std::size_t reps, unsigned threads) {
  MonteCarloOptions options;
  options.reps = reps;
  options.n = 400;
  options.seed = 99;
  options.threads = threads;
  return options;
}

TEST(MonteCarlo, SummaryIsByteIdenticalForAnyThreadCount) {
  const Case c = template_case();
  const std::string one = monte_carlo_json(run_monte_carlo(c, small(23, 1))).dump(2);
  for (unsigned threads : {2u, 3u, 7u})
    EXPECT_EQ(monte_carlo_json(run_monte_carlo(c, small(23, threads))).dump(2), one) << threads << " threads";
  MonteCarloOptions other = small(23, 2);
  other.seed = 100;
  EXPECT_NE(monte_carlo_json(run_monte_carlo(c, other)).dump(2), one);
}

TEST(MonteCarlo, ReplicationUsesTheDerivedSeed) {
  const Case c = template_case();
  const MonteCarloSummary summary = run_monte_carlo(c, small(1, 1));
  RunOptions run;
  run.seed = derive_seed(99, 0);
  run.n = 400;
  const CaseRun single = run_case(c, run);
  ASSERT_EQ(summary.analyses.size(), single.analyses.size());
  for (std::size_t i = 0; i < single.analyses.size(); ++i) {
    EXPECT_EQ(summary.analyses[i].mean_estimate, single.analyses[i].estimate.estimate);
    EXPECT_EQ(summary.analyses[i].mean_se, single.analyses[i].estimate.se);
    EXPECT_FALSE(summary.analyses[i].sd_estimate);  // undefined for one replication
  }
}

TEST(MonteCarlo, SummaryArithmetic) {
  const Case c = template_case();
  std::size_t calls = 0, last_done = 0;
  MonteCarloOptions options = small(40, 2);
  options.progress = [&](std::size_t done, std::size_t total) {
    ++calls;
    EXPECT_EQ(total, 40u);
    EXPECT_EQ(done, last_done + 1);  // one call at a time, counting up
    last_done = done;
  };
  const MonteCarloSummary s = run_monte_carlo(c, options);
  EXPECT_EQ(calls, 40u);
  ASSERT_EQ(s.analyses.size(), c.analyses.size());
  for (const auto& a : s.analyses) {
    EXPECT_EQ(a.reps, 40u);
    EXPECT_DOUBLE_EQ(a.bias, a.mean_estimate - a.mean_truth);
    // The template's effect is a constant 0.3, so every replication has the same truth and
    // RMSE² = bias² + (R-1)/R · SD².
    EXPECT_NEAR(a.mean_truth, 0.3, 1e-12);
    ASSERT_TRUE(a.sd_estimate);
    EXPECT_NEAR(a.rmse * a.rmse, a.bias * a.bias + 39.0 / 40.0 * *a.sd_estimate * *a.sd_estimate, 1e-12);
    EXPECT_GE(a.coverage, 0.8);  // 95% intervals of unbiased estimators on a randomised treatment
    EXPECT_LE(a.coverage, 1.0);
    EXPECT_NEAR(a.mean_se / *a.sd_estimate, 1.0, 0.35);
    // Coverage comes with its Monte Carlo error and a 95% Wilson interval around it.
    EXPECT_NEAR(a.coverage_se, std::sqrt(a.coverage * (1 - a.coverage) / 40), 1e-15);
    EXPECT_LE(a.coverage_low, a.coverage);
    EXPECT_GE(a.coverage_high, a.coverage);
    EXPECT_GT(a.coverage_high - a.coverage_low, 0.05);  // 40 replications cannot pin it closer
  }
  ASSERT_EQ(s.claims.size(), c.claims.size());
  // The template's claims are "the CI covers the truth", so their pass rate is the coverage.
  EXPECT_DOUBLE_EQ(*s.claims[0].pass_rate, s.analyses[0].coverage);
  EXPECT_DOUBLE_EQ(*s.claims[0].pass_rate_se, s.analyses[0].coverage_se);
  EXPECT_EQ(s.claims[0].passed + s.claims[0].failed, 40u);
}

TEST(MonteCarlo, ZeroRepsIsAnInputError) {
  EXPECT_THROW(run_monte_carlo(template_case(), small(0, 1)), InputError);
}

TEST(MonteCarlo, FailingReplicationNamesItsSeed) {
  nlohmann::json j = testing::template_case("mc-test");
  // Nobody is treated, so every replication's estimators reject the data.
  j["simulation"]["variables"][1]["expr"] = "bernoulli(0)";
  j["claims"] = nlohmann::json::array();
  j["estimands"][0]["type"] = "ate";
  const Case c = parse_case(j, "case.json", "mc-test");
  try {
    run_monte_carlo(c, small(3, 2));
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("replication 1 (seed"), std::string::npos) << e.what();
  }
}

TEST(MonteCarlo, AnalysisBootstrapAddsDiagnostics) {
  nlohmann::json j = testing::template_case("mc-test");
  j["analyses"][1]["bootstrap"] = {{"reps", 200}};
  const Case c = parse_case(j, "case.json", "mc-test");
  ASSERT_TRUE(c.analyses[1].bootstrap);
  EXPECT_EQ(c.analyses[1].bootstrap->reps, 200u);
  RunOptions run;
  run.n = 2000;
  const CaseRun result = run_case(c, run);
  const auto& d = result.analyses[1].estimate.diagnostics;
  ASSERT_TRUE(d.count("bootstrap_se"));
  // The pairs bootstrap SE of an OLS coefficient is close to the robust (HC1) SE.
  EXPECT_NEAR(d.at("bootstrap_se") / result.analyses[1].estimate.se, 1.0, 0.2);
  EXPECT_LT(d.at("bootstrap_percentile_low"), d.at("bootstrap_percentile_high"));
  EXPECT_EQ(d.at("bootstrap_reps"), 200);
  EXPECT_FALSE(result.analyses[0].estimate.diagnostics.count("bootstrap_se"));
  // Deterministic: the same run gives the same bootstrap.
  EXPECT_EQ(run_case(c, run).analyses[1].estimate.diagnostics.at("bootstrap_se"), d.at("bootstrap_se"));
}

}  // namespace
}  // namespace casebook

namespace casebook {
namespace {

TEST(MonteCarlo, SavedSummaryIsReadBackForTheSiteOnlyWhenItIsThisCases) {
  const auto root = std::filesystem::temp_directory_path() / "casebook-mc-saved";
  std::filesystem::remove_all(root);
  std::ostringstream warnings;
  EXPECT_FALSE(read_saved_monte_carlo(root, "mc-test", warnings));  // none saved: nothing, quietly
  EXPECT_TRUE(warnings.str().empty());

  const nlohmann::json summary = monte_carlo_json(run_monte_carlo(template_case(), small(3, 1)));
  const auto path = saved_monte_carlo_path(root, "mc-test");
  EXPECT_EQ(path, root / "build" / "mc" / "mc-test.json");
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << summary.dump(2);
  const auto read = read_saved_monte_carlo(root, "mc-test", warnings);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, summary);
  EXPECT_FALSE(read_saved_monte_carlo(root, "other-case", warnings));  // a file under the wrong name
  std::ofstream(saved_monte_carlo_path(root, "other-case")) << summary.dump(2);
  EXPECT_FALSE(read_saved_monte_carlo(root, "other-case", warnings));
  EXPECT_NE(warnings.str().find("is not a Monte Carlo summary of other-case"), std::string::npos);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace casebook

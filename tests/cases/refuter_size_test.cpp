// Size and power of refuters by Monte Carlo (issue 22): `casebook mc --refutations` tallies every
// refutation's verdicts; on a valid design the tests' false-alarm rate stays within their level,
// and on a design that breaks a valid one a refuter that never rejects is caught.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "refute/refutation.hpp"

namespace casebook {
namespace {

const std::filesystem::path kCases = std::filesystem::path(CASEBOOK_SOURCE_DIR) / "cases";

const RefutationSummary& summary_of(const MonteCarloSummary& s, const std::string& id) {
  const auto it = std::find_if(s.refutations.begin(), s.refutations.end(),
                               [&](const RefutationSummary& r) { return r.id == id; });
  if (it == s.refutations.end()) throw std::runtime_error("no refutation " + id);
  return *it;
}

MonteCarloSummary with_refutations(const std::string& id, std::size_t reps, std::size_t n) {
  MonteCarloOptions options;
  options.reps = reps;
  options.n = n;
  options.threads = 2;
  options.refutations = true;
  return run_monte_carlo(load_case(kCases / id), options);
}

TEST(RefuterSize, FlagsAreComputedFromTheCounts) {
  RefutationSummary s;
  s.level = kRefuterLevel;
  s.measures = "size";
  s.passed = 95;
  s.failed = 5;  // 5% against 1% + 2 × 1% (the MC SE at the level over 100 runs)
  s.rejection_rate = 0.05;
  EXPECT_TRUE(s.size_above_level());
  s.passed = 98;
  s.failed = 2;
  s.rejection_rate = 0.02;
  EXPECT_FALSE(s.size_above_level());
  s.level.reset();  // a tolerance rule has no level to exceed
  EXPECT_FALSE(s.size_above_level());

  RefutationSummary always_passes;  // a refuter that passed a broken design in every run
  always_passes.measures = "power";
  always_passes.passed = 50;
  always_passes.rejection_rate = 0.0;
  EXPECT_TRUE(always_passes.never_detects());
  always_passes.measures = "size";  // on a valid design, never rejecting is what it should do
  EXPECT_FALSE(always_passes.never_detects());
}

// The trend-violation variant breaks qanda-quiz-did's parallel trends. Its placebo-date refutation
// catches that in most runs; adding a random covariate to TWFE cannot see a trend, so that refuter
// passes every run: a refuter that always passed is caught as "never detects".
TEST(RefuterSize, OnABrokenDesignARefuterThatAlwaysPassesIsCaught) {
  const MonteCarloSummary s = with_refutations("qanda-quiz-did-trend-violation", 12, 2000);
  EXPECT_EQ(s.valid_counterpart, "qanda-quiz-did");
  const RefutationSummary& placebo_date = summary_of(s, "placebo-date-twfe");
  EXPECT_EQ(placebo_date.measures, "power");
  ASSERT_TRUE(placebo_date.rejection_rate);
  EXPECT_GE(*placebo_date.rejection_rate, 0.75);
  EXPECT_FALSE(placebo_date.never_detects());
  const RefutationSummary& random_cause = summary_of(s, "random-common-cause-twfe");
  EXPECT_EQ(random_cause.failed, 0u);
  EXPECT_TRUE(random_cause.never_detects());
  const nlohmann::json json = monte_carlo_json(s);
  EXPECT_EQ(json["valid_counterpart"], "qanda-quiz-did");
  EXPECT_EQ(json["refutations"].size(), s.refutations.size());
}

// The fastest case with refutations: every test's false-alarm rate within its level plus two MC
// SEs over 200 runs of the valid design (as bench/refuter_size.sh runs every case).
TEST(RefuterSize, FastestCaseHoldsItsLevel) {
  const MonteCarloSummary s = with_refutations("bing-cuped-ab-test", 200, 2000);
  ASSERT_FALSE(s.refutations.empty());
  for (const RefutationSummary& r : s.refutations) {
    EXPECT_EQ(r.passed + r.failed + r.not_assessable, 200u) << r.id;
    EXPECT_EQ(r.not_assessable, 0u) << r.id;
    if (r.measures == "size") {
      EXPECT_FALSE(r.size_above_level()) << r.id << ": " << r.failed << " of 200";
    }
  }
}

// The staggered QANDA case's placebo on sun-abraham (issue 22: at seed 101 the old "3 Monte Carlo
// SEs" rule failed it on 4 placebos). Whole users trade their adoption week and quiz path, so every
// placebo is again a staggered design with never-treated users: all of them can be estimated, and
// they centre on zero.
TEST(RefuterSize, StaggeredPlaceboKeepsItsCohortsAndCentresOnZero) {
  const Case c = load_case(kCases / "qanda-quiz-staggered");
  const SimulatedSample sample = simulate_case(c, 101, 800);
  const std::vector<AnalysisResult> analyses = run_analyses(c, sample.observed, sample.truth, 2);
  const auto sun_abraham = std::find_if(analyses.begin(), analyses.end(),
                                        [](const AnalysisResult& a) { return a.spec->id == "sun-abraham"; });
  ASSERT_NE(sun_abraham, analyses.end());
  RefuterInput input;
  input.data = &sample.observed;
  input.estimator = &find_estimator("sun-abraham");
  input.args = sun_abraham->spec->args;
  input.original = sun_abraham->estimate;
  input.analysis = "sun-abraham";
  input.reps = 40;
  input.seed = 101;
  input.threads = 2;
  const RefutationResult r = run_refuter(find_refuter("placebo-treatment"), input);
  EXPECT_EQ(r.failed, 0u) << r.rule;
  EXPECT_TRUE(r.assessable);
  EXPECT_TRUE(r.pass) << r.rule;
  EXPECT_NE(r.rule.find("whole 'unit' groups trade"), std::string::npos) << r.rule;
  // Centred on zero: the mean within 3 of its SEs of 0, and small next to the real effect (about 2.5).
  EXPECT_LE(std::abs(r.estimate), 3 * r.details.at("monte_carlo_se")) << r.rule;
  EXPECT_LT(std::abs(r.estimate), 0.05 * std::abs(sun_abraham->estimate.estimate));
}

}  // namespace
}  // namespace casebook

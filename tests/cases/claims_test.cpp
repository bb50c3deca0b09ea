#include <gtest/gtest.h>

#include "cases/claims.hpp"
#include "core/input_error.hpp"

namespace casebook {
namespace {

struct Fixture {
  AnalysisSpec a{"a", "A", "ols", "ate", "t", {}};
  AnalysisSpec b{"b", "B", "ols", "ate", "t", {}};
  std::vector<AnalysisResult> results;

  Fixture(double estimate_a, double estimate_b, std::optional<double> truth) {
    Estimate ea;
    ea.estimate = estimate_a;
    ea.ci_low = estimate_a - 1;
    ea.ci_high = estimate_a + 1;
    ea.diagnostics["first_stage_F"] = 25;
    Estimate eb;
    eb.estimate = estimate_b;
    eb.ci_low = estimate_b - 1;
    eb.ci_high = estimate_b + 1;
    results = {{&a, ea, truth}, {&b, eb, truth}};
  }
};

ClaimSpec claim(ClaimKind kind, Relation relation) {
  ClaimSpec c;
  c.id = "c";
  c.kind = kind;
  c.analysis = "a";
  c.relation = relation;
  return c;
}

TEST(Claims, CiCoversTruth) {
  auto c = claim(ClaimKind::ci_covers, Relation::above);
  EXPECT_TRUE(*check_claim(c, Fixture(2.0, 0, 2.9).results).pass);
  EXPECT_FALSE(*check_claim(c, Fixture(2.0, 0, 3.1).results).pass);
  c.reference = 1.5;  // a stated number instead of the truth
  EXPECT_TRUE(*check_claim(c, Fixture(2.0, 0, 9).results).pass);
}

// A CI claim observes the estimate with its interval, checks it against the truth, and says by
// how much: a truth a hair outside the interval is not "covered" at any number of digits.
TEST(Claims, CiCoversObservesTheEstimateAndGivesTheMarginInStandardErrors) {
  auto c = claim(ClaimKind::ci_covers, Relation::above);
  Fixture near_miss(2.0, 0, 0.99990);  // CI [1, 3]: the truth is 0.0001 below it
  near_miss.results[0].estimate.se = 0.5;
  const ClaimResult missed = check_claim(c, near_miss.results);
  EXPECT_FALSE(*missed.pass);
  EXPECT_DOUBLE_EQ(*missed.observed, 2.0);  // the estimate, not the truth
  ASSERT_TRUE(missed.observed_ci.has_value());
  EXPECT_DOUBLE_EQ(missed.observed_ci->first, 1.0);
  EXPECT_DOUBLE_EQ(missed.observed_ci->second, 3.0);
  ASSERT_TRUE(missed.margin_se.has_value());
  EXPECT_NEAR(*missed.margin_se, -0.0002, 1e-12);  // outside by 0.0001 / 0.5 SE
  EXPECT_EQ(missed.statement.phrase, "ci_covers");
  EXPECT_DOUBLE_EQ(missed.statement.numbers.at("truth"), 0.9999);

  Fixture inside(2.0, 0, 2.6);  // 0.4 below the upper bound, the nearer one
  inside.results[0].estimate.se = 0.5;
  const ClaimResult covered = check_claim(c, inside.results);
  EXPECT_TRUE(*covered.pass);
  EXPECT_NEAR(*covered.margin_se, 0.8, 1e-12);

  inside.results[0].estimate.se = 0;  // no SE, no margin (never a division by zero)
  EXPECT_FALSE(check_claim(c, inside.results).margin_se.has_value());
}

// A refutation claim left unchecked because refutations were not run says which command runs them.
TEST(Claims, AnUncheckedRefutationClaimNamesTheCommandsThatCheckIt) {
  auto c = claim(ClaimKind::refutation, Relation::above);
  c.refutation = "placebo";
  const ClaimResult r = check_claim(c, Fixture(2.0, 0, 2.0).results, /*refutations=*/nullptr);
  EXPECT_FALSE(r.pass.has_value());
  EXPECT_NE(r.skip_reason.find("casebook mc --refutations"), std::string::npos) << r.skip_reason;
  EXPECT_EQ(r.skip_phrase, "refutations_not_run");
}

// The Anderson–Rubin set by its shape: a check of its two ends alone would call a truth between
// two rays covered, and one on a ray not.
TEST(Claims, AndersonRubinSetCoversByItsShape) {
  const auto covers = [](std::map<std::string, double> diagnostics, double truth) {
    Fixture f(2.0, 0, truth);
    f.results[0].estimate.diagnostics = std::move(diagnostics);
    return *check_claim(claim(ClaimKind::anderson_rubin_covers, Relation::above), f.results).pass;
  };
  const std::map<std::string, double> interval{
      {"anderson_rubin_bounded", 1}, {"anderson_rubin_low", 1}, {"anderson_rubin_high", 3}};
  EXPECT_TRUE(covers(interval, 2.5));
  EXPECT_FALSE(covers(interval, 3.5));
  const std::map<std::string, double> two_rays{
      {"anderson_rubin_bounded", 0}, {"anderson_rubin_low", 1}, {"anderson_rubin_high", 3}};
  EXPECT_FALSE(covers(two_rays, 2.5));  // between the rays
  EXPECT_TRUE(covers(two_rays, 0.5));
  EXPECT_TRUE(covers(two_rays, 30));
  EXPECT_TRUE(covers({{"anderson_rubin_bounded", 0}}, 1e6));   // the whole line
  EXPECT_FALSE(covers({{"anderson_rubin_bounded", 1}}, 2.0));  // empty
  Fixture without(2.0, 0, 2.0);
  EXPECT_THROW(check_claim(claim(ClaimKind::anderson_rubin_covers, Relation::above), without.results),
               InputError);
}

TEST(Claims, EstimateAboveBelowWithin) {
  auto above = claim(ClaimKind::estimate, Relation::above);
  EXPECT_TRUE(*check_claim(above, Fixture(2.0, 0, 1.9).results).pass);
  EXPECT_FALSE(*check_claim(above, Fixture(2.0, 0, 2.1).results).pass);
  above.quantity = "ci_low";  // 1.0 > 0.9 but not > 1.1
  EXPECT_TRUE(*check_claim(above, Fixture(2.0, 0, 0.9).results).pass);
  EXPECT_FALSE(*check_claim(above, Fixture(2.0, 0, 1.1).results).pass);

  auto below = claim(ClaimKind::estimate, Relation::below);
  below.reference = 3;
  EXPECT_TRUE(*check_claim(below, Fixture(2.0, 0, std::nullopt).results).pass);

  auto within = claim(ClaimKind::estimate, Relation::within);
  within.relative_tolerance = 0.1;
  EXPECT_TRUE(*check_claim(within, Fixture(2.0, 0, 2.2).results).pass);   // |2-2.2| = 0.2 <= 0.22
  EXPECT_FALSE(*check_claim(within, Fixture(2.0, 0, 1.8).results).pass);  // 0.2 > 0.18
}

TEST(Claims, DiagnosticThreshold) {
  auto c = claim(ClaimKind::diagnostic, Relation::above);
  c.diagnostic = "first_stage_F";
  c.reference = 10;
  const auto r = check_claim(c, Fixture(0, 0, 0).results);
  EXPECT_TRUE(*r.pass);
  EXPECT_EQ(*r.observed, 25);
  c.reference = 30;
  EXPECT_FALSE(*check_claim(c, Fixture(0, 0, 0).results).pass);
  c.diagnostic = "nope";
  try {
    check_claim(c, Fixture(0, 0, 0).results);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("reports no diagnostic 'nope' (it reports: first_stage_F)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Claims, ComparisonBetweenAnalyses) {
  auto closer = claim(ClaimKind::comparison, Relation::closer_to_truth);
  closer.other = "b";
  EXPECT_TRUE(*check_claim(closer, Fixture(2.1, 2.5, 2.0).results).pass);
  EXPECT_FALSE(*check_claim(closer, Fixture(2.6, 2.5, 2.0).results).pass);
  auto above = claim(ClaimKind::comparison, Relation::above);
  above.other = "b";
  EXPECT_TRUE(*check_claim(above, Fixture(3, 2, std::nullopt).results).pass);
}

TEST(Claims, ComparisonOfPrecision) {
  Fixture f(2, 2, std::nullopt);
  f.results[0].estimate.se = 0.2;
  f.results[0].estimate.ci_low = 1.6;
  f.results[0].estimate.ci_high = 2.4;  // width 0.8 against b's 2
  f.results[1].estimate.se = 0.5;
  auto narrower = claim(ClaimKind::comparison, Relation::below);
  narrower.other = "b";
  narrower.quantity = "ci_width";
  const auto r = check_claim(narrower, f.results);
  EXPECT_TRUE(*r.pass);
  EXPECT_DOUBLE_EQ(*r.observed, 0.8);
  narrower.quantity = "se";
  EXPECT_TRUE(*check_claim(narrower, f.results).pass);
  narrower.relation = Relation::above;
  EXPECT_FALSE(*check_claim(narrower, f.results).pass);
}

TEST(Claims, TruthClaimsAreSkippedWithoutTruth) {
  const Fixture no_truth(2.0, 1.0, std::nullopt);
  auto covers = claim(ClaimKind::ci_covers, Relation::above);
  const auto r = check_claim(covers, no_truth.results);
  EXPECT_FALSE(r.pass.has_value());
  EXPECT_FALSE(r.skip_reason.empty());
  auto closer = claim(ClaimKind::comparison, Relation::closer_to_truth);
  closer.other = "b";
  EXPECT_FALSE(check_claim(closer, no_truth.results).pass.has_value());
}

}  // namespace
}  // namespace casebook

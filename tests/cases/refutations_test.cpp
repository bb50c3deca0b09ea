// Refutations inside cases: every case runs at least two refuters and each passes unless one of
// the case's claims says it should fail; a deliberately confounded TripAdvisor variant (the
// sign-up "experiment" no longer randomised) fails its negative-control refutation and the claim
// that rests on it.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "../fixtures/case_results.hpp"
#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

const std::filesystem::path kCases = std::filesystem::path(CASEBOOK_SOURCE_DIR) / "cases";

bool expected_to_fail(const Case& c, const std::string& refutation) {
  return std::any_of(c.claims.begin(), c.claims.end(), [&](const ClaimSpec& claim) {
    return claim.kind == ClaimKind::refutation && claim.refutation == refutation && !claim.expect_pass;
  });
}

TEST(CaseRefutations, EveryCaseRunsAtLeastTwoRefutersAndTheyBehaveAsClaimed) {
  for (const auto& [dir, c, results] : testing::every_case_results()) {
    const auto& refutations = results.at("refutations");
    EXPECT_GE(refutations.size(), 2u) << c.id;
    std::size_t refuters_passing = 0;
    for (const auto& r : refutations) {
      const std::string id = r.at("id");
      const bool pass = r.at("pass");
      EXPECT_EQ(pass, !expected_to_fail(c, id)) << c.id << " / " << id << ": " << r.at("rule");
      if (pass) ++refuters_passing;
      EXPECT_FALSE(r.at("reading").at("en").get<std::string>().empty());
      EXPECT_FALSE(r.at("reading").at("ko").get<std::string>().empty());
    }
    EXPECT_GE(refuters_passing, 2u) << c.id;
  }
}

TEST(CaseRefutations, SameResultsOnOneAndTwoThreads) {
  const Case c = load_case(kCases / "tripadvisor-membership-iv");
  const SimulatedSample sample = simulate_case(c, c.simulation.seed, 5000);
  const auto analyses = run_analyses(c, sample.observed, sample.truth, 1);
  const auto one = run_refutations(c, sample.observed, analyses, 7, 1);
  const auto two = run_refutations(c, sample.observed, analyses, 7, 2);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].estimate, two[i].estimate) << one[i].id;
    EXPECT_EQ(one[i].pass, two[i].pass) << one[i].id;
  }
}

TEST(CaseRefutations, ConfoundedInstrumentFailsTheNegativeControl) {
  nlohmann::json document = read_json_file((kCases / "tripadvisor-membership-iv" / "case.json").string());
  bool changed = false;
  for (auto& variable : document["simulation"]["variables"])
    if (variable["name"] == "easier_signup") {
      variable["expr"] = "bernoulli(logistic(1.0 * affinity))";  // engaged users land in the easier flow
      changed = true;
    }
  ASSERT_TRUE(changed);
  const Case c = parse_case(document, "confounded variant", "tripadvisor-membership-iv");
  RunOptions options;
  options.n = 20000;
  const CaseRun run = run_case(c, options);
  const auto refutation =
      std::find_if(run.refutations.begin(), run.refutations.end(),
                   [](const RefutationResult& r) { return r.id == "negative-control-wald"; });
  ASSERT_NE(refutation, run.refutations.end());
  EXPECT_FALSE(refutation->pass) << refutation->rule;
  const auto claim = std::find_if(run.claims.begin(), run.claims.end(), [](const ClaimResult& r) {
    return r.spec->id == "wald-negative-control-passes";
  });
  ASSERT_NE(claim, run.claims.end());
  ASSERT_TRUE(claim->pass.has_value());
  EXPECT_FALSE(*claim->pass);

  // The same variant with the experiment randomised again passes.
  const Case original = load_case(kCases / "tripadvisor-membership-iv");
  const CaseRun sound = run_case(original, options);
  for (const auto& r : sound.refutations)
    if (r.id == "negative-control-wald") {
      EXPECT_TRUE(r.pass) << r.rule;
    }
}

TEST(CaseRefutations, RefutationClaimsAreSkippedWithoutRefutations) {
  const Case c = load_case(kCases / "tripadvisor-membership-iv");
  RunOptions options;
  options.n = 5000;
  options.refutations = false;
  const CaseRun run = run_case(c, options);
  EXPECT_TRUE(run.refutations.empty());
  for (const auto& claim : run.claims)
    if (claim.spec->kind == ClaimKind::refutation) {
      EXPECT_FALSE(claim.pass.has_value()) << claim.spec->id;
    }
}

}  // namespace
}  // namespace casebook

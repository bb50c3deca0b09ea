// `casebook estimate rd-density` end to end: no --outcome needed (the running variable is an
// option), the JSON carries the reference test (tests/fixtures/rd_density_reference.json), and bad
// input exits 2 with one line; the other estimators still ask for --outcome.
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

using casebook::testing::CliTest;
using casebook::testing::Outcome;

const std::string kData = "--data '" + std::string(CASEBOOK_FIXTURES) + "/rd_density_data.csv'";

class RdDensityCli : public CliTest {};

TEST_F(RdDensityCli, RunsWithoutAnOutcome) {
  std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/rd_density_reference.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  nlohmann::json ref;
  for (const auto& c : doc.at("cases"))
    if (c.at("name") == "manipulated_default") ref = c.at("result");
  ASSERT_FALSE(ref.is_null());
  const Outcome o = run("estimate rd-density " + kData + " --option running=x_manipulated --json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const nlohmann::json e = nlohmann::json::parse(o.out);
  EXPECT_EQ(e.at("se_type"), "jackknife");
  EXPECT_NEAR(e.at("estimate").get<double>(), ref.at("diff").get<double>(), 1e-10);
  EXPECT_NEAR(e.at("diagnostics").at("T").get<double>(), ref.at("T").get<double>(), 1e-8);
  EXPECT_EQ(e.at("diagnostics").at("n_h_left").get<double>(), ref.at("n_h_left").get<double>());
}

TEST_F(RdDensityCli, BadInputExitsTwo) {
  expect_bad_input("estimate rd-density " + kData + " --option running=x_clean --option cutoff=9",
                   "cutoff=9 is outside the range of 'x_clean'");
  expect_bad_input("estimate rd-density " + kData, "needs the running variable");
  expect_bad_input("estimate ols " + kData + " --treatment x_clean", "ols needs --outcome");
}

}  // namespace

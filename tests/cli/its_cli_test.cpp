// `casebook estimate its` end to end: --time and --option intervention/hac_lag reach the estimator,
// the JSON carries the (prewhitened, as by default) Newey–West SE of sandwich::NeweyWest
// (tests/fixtures/its_reference.json) and
// the plot, and bad input exits 2 with one line.
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

using casebook::testing::CliTest;
using casebook::testing::Outcome;

const std::string kData =
    "estimate its --data '" + std::string(CASEBOOK_FIXTURES) + "/its_data.csv' --outcome y";

class ItsCli : public CliTest {};

TEST_F(ItsCli, TimeAndLagReachTheEstimator) {
  std::ifstream in(std::string(CASEBOOK_FIXTURES) + "/its_reference.json");
  const nlohmann::json ref = nlohmann::json::parse(in).at("plain").at("runs").at("pw_lag4");
  const Outcome o = run(kData + " --time month --option intervention=61 --option hac_lag=4 --json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const nlohmann::json e = nlohmann::json::parse(o.out);
  EXPECT_EQ(e.at("se_type"), "newey-west");
  EXPECT_NEAR(e.at("estimate").get<double>(), ref.at("estimate")[2].get<double>(), 1e-10);
  EXPECT_NEAR(e.at("se").get<double>(), ref.at("std_error")[2].get<double>(), 1e-10);
  EXPECT_EQ(e.at("diagnostics").at("hac_lag"), 4);
}

TEST_F(ItsCli, BadInputExitsTwo) {
  expect_bad_input(kData + " --time month --option intervention=200", "at least 3 on each side");
  expect_bad_input(kData + " --time month", "--option intervention=T");
  expect_bad_input(kData + " --time week --option intervention=61", "'week' not found");
  expect_bad_input(kData + " --time month --option intervention=61 --option hac_lag=-1", "hac_lag");
  expect_bad_input(kData + " --time month --option intervention=61 --se hc3", "se=newey-west|iid");
}

}  // namespace

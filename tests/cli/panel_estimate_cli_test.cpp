// `casebook estimate` on panels: estimator options from --group/--post/--unit/--time and
// --option key=value reach did, twfe, event-study and sun-abraham (checked against the R reference
// values of tests/fixtures), and bad panels or options give one line and exit 2.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(CASEBOOK_FIXTURES);

using casebook::testing::read_file;

nlohmann::json reference(const std::string& name) {
  return nlohmann::json::parse(read_file(kFixtures / name));
}

bool near_relative(double actual, double expected, double tolerance = 1e-6) {
  return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

using casebook::testing::CliTest;
using casebook::testing::Outcome;

class PanelEstimateCli : public CliTest {
 protected:
  nlohmann::json run_json(const std::string& args) const {
    const Outcome o = run(args + " --json");
    EXPECT_EQ(o.exit_code, 0) << args << "\n" << o.err;
    return o.exit_code == 0 ? nlohmann::json::parse(o.out) : nlohmann::json::object();
  }

  // The rows of panel_data.csv in the never-treated and period-4 cohorts (the did fixture's 2×2).
  fs::path two_by_two_csv() const {
    std::istringstream in(read_file(kFixtures / "panel_data.csv"));
    std::string line, text;
    std::getline(in, line);
    text = line + "\n";
    while (std::getline(in, line)) {
      const auto adopt = std::stod(line.substr(line.find(',', line.find(',') + 1) + 1));
      if (adopt == 0 || adopt == 4) text += line + "\n";
    }
    return write("two_by_two.csv", text);
  }
};

const std::string kPanel = (kFixtures / "panel_data.csv").string();

TEST_F(PanelEstimateCli, DidTakesGroupAndPost) {
  const auto r = reference("panel_reference.json")["did_cr1"];
  const auto e = run_json("estimate did --data '" + two_by_two_csv().string() +
                          "' --outcome y --treatment d --group group --post post --cluster unit");
  EXPECT_EQ(e["estimator"], "did");
  EXPECT_TRUE(near_relative(e["estimate"].get<double>(), r["estimate"].get<double>()));
  EXPECT_TRUE(near_relative(e["se"].get<double>(), r["se"].get<double>()));
  EXPECT_EQ(e["diagnostics"]["df"].get<double>(), r["df"].get<double>());
  // The same through --option, and a naive contrast.
  const auto same =
      run_json("estimate did --data '" + two_by_two_csv().string() +
               "' --outcome y --treatment d --option group=group --option post=post --cluster unit");
  EXPECT_EQ(same["estimate"], e["estimate"]);
  const auto naive =
      run_json("estimate did --data '" + two_by_two_csv().string() +
               "' --outcome y --treatment d --group group --post post --option comparison=before-after");
  EXPECT_NE(naive["estimate"], e["estimate"]);
}

TEST_F(PanelEstimateCli, TwfeTakesUnitAndTime) {
  const auto r = reference("panel_reference.json")["twfe"];
  const auto e =
      run_json("estimate twfe --data '" + kPanel + "' --outcome y --treatment d --unit unit --time period");
  EXPECT_TRUE(near_relative(e["estimate"].get<double>(), r["estimate"].get<double>()));
  EXPECT_TRUE(near_relative(e["se"].get<double>(), r["se"].get<double>()));
  EXPECT_TRUE(near_relative(e["ci_low"].get<double>(), r["ci_low"].get<double>()));
}

TEST_F(PanelEstimateCli, EventStudyTakesOptions) {
  const auto r = reference("panel_reference.json")["event_study"];
  const auto e = run_json("estimate event-study --data '" + kPanel +
                          "' --outcome y --treatment d --unit unit --time period --option adoption=adopt "
                          "--option reference=-1");
  EXPECT_TRUE(near_relative(e["estimate"].get<double>(), r["post_average"].get<double>()));
  EXPECT_TRUE(near_relative(e["se"].get<double>(), r["post_average_se"].get<double>()));
  EXPECT_TRUE(near_relative(e["diagnostics"]["pretrend_p"].get<double>(), r["pretrend_p"].get<double>()));
  ASSERT_FALSE(e["plots"].empty());
  EXPECT_EQ(e["plots"][0]["id"], "event-study");
  // Another reference period moves the coefficients: the option is read, not ignored.
  const auto shifted = run_json("estimate event-study --data '" + kPanel +
                                "' --outcome y --treatment d --option adoption=adopt --option reference=-2");
  EXPECT_EQ(shifted["diagnostics"]["reference"].get<double>(), -2);
  EXPECT_NE(shifted["estimate"], e["estimate"]);
}

TEST_F(PanelEstimateCli, SunAbrahamReportsAttPlotAndTwfeGap) {
  const auto r = reference("sun_abraham_reference.json")["last"];
  const auto e = run_json("estimate sun-abraham --data '" + (kFixtures / "sun_abraham_data.csv").string() +
                          "' --outcome y --treatment d --unit unit --time period --option adoption=adopt "
                          "--option control=last");
  EXPECT_TRUE(near_relative(e["estimate"].get<double>(), r["att"].get<double>()));
  EXPECT_TRUE(near_relative(e["se"].get<double>(), r["att_se"].get<double>()));
  EXPECT_TRUE(
      near_relative(e["diagnostics"]["twfe_estimate"].get<double>(), r["twfe_estimate"].get<double>()));
  ASSERT_FALSE(e["plots"].empty());
  EXPECT_EQ(e["plots"][0]["kind"], "points");
}

TEST_F(PanelEstimateCli, HelpListsTheOptions) {
  const Outcome o = run("estimate --help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* words : {"--option", "--group", "--unit", "sun-abraham", "control"})
    EXPECT_NE(o.out.find(words), std::string::npos) << words;
}

TEST_F(PanelEstimateCli, MalformedOrUnknownOptionsAreOneLine) {
  const std::string base = "estimate event-study --data '" + kPanel + "' --outcome y --treatment d ";
  expect_bad_input(base + "--option reference", "--option 'reference' is not key=value");
  expect_bad_input(base + "--option =3", "is not key=value");
  expect_bad_input(base + "--option reference=", "is not key=value");
  expect_bad_input(base + "--option refrence=-2", "event-study does not take the option 'refrence'");
  expect_bad_input(base + "--group group", "event-study does not take the option 'group' (--group)");
  expect_bad_input(base + "--unit unit --option unit=unit", "the option 'unit' is given twice");
  expect_bad_input("estimate ols --data '" + kPanel + "' --outcome y --treatment d --option a=b",
                   "it takes no options");
  expect_bad_input(base + "--option reference=soon", "option 'reference' must be a whole number");
}

// The bad panels, through the CLI, for every panel estimator.
TEST_F(PanelEstimateCli, BadPanelsAreOneLineAndExit2) {
  std::string fractional = "unit,period,d,y\n", twice = fractional, no_pre = fractional,
              all_treated = fractional;
  for (int u = 1; u <= 6; ++u)
    for (int p = 1; p <= 4; ++p) {
      const double y = 0.3 * u + 0.2 * p + (u * 7 + p * 3) % 5 * 0.1;
      const std::string cell = std::to_string(u) + "," + std::to_string(p);
      fractional += std::to_string(u) + "," + (p == 3 && u == 2 ? "2.5" : std::to_string(p)) + "," +
                    (u <= 3 && p >= 3 ? "1" : "0") + "," + std::to_string(y) + "\n";
      twice += std::to_string(u) + "," + (u == 4 && p == 2 ? "1" : std::to_string(p)) + "," +
               (u <= 3 && p >= 3 ? "1" : "0") + "," + std::to_string(y) + "\n";
      no_pre += cell + "," + (u <= 3 ? "1" : "0") + "," + std::to_string(y) + "\n";
      all_treated += cell + "," + (p >= (u <= 3 ? 3 : 4) ? "1" : "0") + "," + std::to_string(y) + "\n";
    }
  const auto files = std::vector<std::pair<fs::path, std::string>>{
      {write("fractional.csv", fractional), "must hold whole numbers"},
      {write("twice.csv", twice), "appears twice in period"},
      {write("no_pre.csv", no_pre), "no pre-periods"},
      {write("all_treated.csv", all_treated), "every unit is treated"}};
  for (const char* estimator : {"twfe", "event-study"})
    for (const auto& [file, words] : files)
      expect_bad_input(std::string("estimate ") + estimator + " --data '" + file.string() +
                           "' --outcome y --treatment d --unit unit --time period",
                       words);
  // sun-abraham: the same, but with every unit treated it points to the last-cohort control.
  for (std::size_t k = 0; k < 2; ++k)
    expect_bad_input(
        "estimate sun-abraham --data '" + files[k].first.string() + "' --outcome y --treatment d",
        files[k].second);
  expect_bad_input("estimate sun-abraham --data '" + files[2].first.string() + "' --outcome y --treatment d",
                   "no unit adopts after the first period");
  expect_bad_input("estimate sun-abraham --data '" + files[3].first.string() + "' --outcome y --treatment d",
                   "use the option control=last");
  // did on the 2x2 with an all-treated group column: no control cell.
  std::string no_control = "unit,period,group,post,d,y\n";
  for (int u = 1; u <= 4; ++u)
    for (int p = 1; p <= 2; ++p)
      no_control += std::to_string(u) + "," + std::to_string(p) + ",1," + (p == 2 ? "1,1," : "0,0,") +
                    std::to_string(u + p * 0.5) + "\n";
  const Outcome o = run("estimate did --data '" + write("no_control.csv", no_control).string() +
                        "' --outcome y --treatment d --group group --post post");
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

}  // namespace

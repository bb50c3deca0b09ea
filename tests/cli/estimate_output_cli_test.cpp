// `casebook estimate` reads as R and Stata users expect: counts in full, p-values below machine
// precision as "< 2e-16", the Anderson–Rubin set apart from the sensitivity analyses, alpha
// without binary noise, and a note naming a text covariate's reference level.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace casebook::testing {
namespace {

class EstimateOutput : public CliTest {
 protected:
  // A strong instrument, a text covariate and 3,000 rows, so the main p-values underflow.
  std::string data() const {
    std::string csv = "y,d,z,region\n";
    const char* regions[] = {"north", "east", "south"};
    for (int i = 0; i < 3000; ++i) {
      const int z = i % 2, noise = (i * 37) % 11 - 5;
      const int d = (z * 3 + (i * 13) % 5) > 3 ? 1 : 0;
      csv += std::to_string(2.0 * d + 0.1 * noise + (i % 3)) + "," + std::to_string(d) + "," +
             std::to_string(z) + "," + regions[i % 3] + "\n";
    }
    return write("data.csv", csv).string();
  }
};

TEST_F(EstimateOutput, ReadsAsRAndStataUsersExpect) {
  const std::string file = data();
  const Outcome text =
      run("estimate 2sls --data " + file + " --outcome y --treatment d --instruments z --covariates region");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("p < 2e-16  n 3000"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("df                     2996\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("weak-instrument-robust 95% set (Anderson–Rubin): ["), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("one per level but the reference 'east'"), std::string::npos) << text.out;
  const std::string after_sensitivity =
      text.out.substr(text.out.find("sensitivity to unobserved confounding"));
  EXPECT_EQ(after_sensitivity.find("anderson_rubin"), std::string::npos) << after_sensitivity;

  const Outcome json =
      run("estimate ols --data " + file + " --outcome y --treatment d --covariates region --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["sensitivity"]["alpha"].dump(), "0.05");
  const auto iv = nlohmann::json::parse(
      run("estimate 2sls --data " + file + " --outcome y --treatment d --instruments z --json").out);
  ASSERT_TRUE(iv.contains("anderson_rubin")) << iv.dump();
  EXPECT_EQ(iv["anderson_rubin"]["bounded"], true);
  EXPECT_LT(iv["anderson_rubin"]["low"].get<double>(), iv["estimate"].get<double>());
  EXPECT_GT(iv["anderson_rubin"]["high"].get<double>(), iv["estimate"].get<double>());
  for (const auto& [key, value] : iv["sensitivity"].items())
    EXPECT_FALSE(key.starts_with("anderson_rubin")) << key;
}

}  // namespace
}  // namespace casebook::testing

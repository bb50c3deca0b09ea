// `casebook estimate ols|2sls --streaming` on a file: the same table and JSON as without it, a note
// saying how the file was read, and one-line refusals of what needs the rows in memory.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace casebook::testing {
namespace {

class StreamingCli : public CliTest {
 protected:
  std::string data() const {
    std::string csv = "y,d,z,w,g,q,zq\n";
    for (int i = 0; i < 400; ++i) {
      const int z = (i * 7) % 2, w = (i * 13) % 17, d = (z + w % 3 + i % 5) > 3 ? 1 : 0;
      csv += std::to_string(1 + 2 * d + 0.1 * w + ((i * 31) % 11) * 0.05) + "," + std::to_string(d) + "," +
             std::to_string(z) + "," + std::to_string(w) + "," + std::to_string(i % 9) + "," +
             std::to_string(i / 2 % 2) + "," + std::to_string(z * (i / 2 % 2)) + "\n";
    }
    return write("data.csv", csv).string();
  }
};

TEST_F(StreamingCli, GivesTheInMemoryJsonAndSaysHowItReadTheFile) {
  const std::string file = data();
  for (const std::string model : {"ols --treatment d --covariates w --cluster g",
                                  "2sls --treatment d --covariates w --instruments z --se hc2",
                                  "did --treatment zq --group z --post q --cluster g"}) {
    SCOPED_TRACE(model);
    const std::string command = "estimate " + model + " --data " + file + " --outcome y --json";
    const Outcome in_memory = run(command);
    const Outcome streamed = run(command + " --streaming --threads 2");
    ASSERT_EQ(in_memory.exit_code, 0) << in_memory.err;
    ASSERT_EQ(streamed.exit_code, 0) << streamed.err;
    const auto a = nlohmann::json::parse(in_memory.out), b = nlohmann::json::parse(streamed.out);
    EXPECT_EQ(b["streaming"], true);
    EXPECT_EQ(a["se_type"], b["se_type"]);
    EXPECT_NEAR(a["estimate"].get<double>(), b["estimate"].get<double>(), 1e-10);
    EXPECT_NEAR(a["se"].get<double>(), b["se"].get<double>(), 1e-10);
    ASSERT_EQ(a["terms"].size(), b["terms"].size());
    for (std::size_t t = 0; t < a["terms"].size(); ++t)
      EXPECT_NEAR(a["terms"][t]["std.error"].get<double>(), b["terms"][t]["std.error"].get<double>(), 1e-10);
    EXPECT_NE(streamed.out.find("the file read once and its columns kept"), std::string::npos);
  }
  const Outcome table =
      run("estimate ols --data " + file + " --outcome y --treatment d --covariates w --streaming");
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("(Intercept)"), std::string::npos) << table.out;
}

TEST_F(StreamingCli, RefusesWhatNeedsTheRowsInMemoryInOneLine) {
  const std::string file = data();
  const std::string base = " --data " + file + " --outcome y --treatment d --streaming";
  expect_bad_input("estimate ols" + base + " --bootstrap 50",
                   "--streaming cannot be combined with --bootstrap");
  expect_bad_input("estimate difference-in-means" + base, "--streaming is available for ols, 2sls and did");
  expect_bad_input("estimate ols" + base + " --covariates nope", "no column 'nope'");
  expect_bad_input("estimate ols --data " + write("text.csv", "y,d,w\n1,0,a\n2,1,b\n").string() +
                       " --outcome y --treatment d --covariates w --streaming",
                   "line 2: column 'w' holds 'a', not a finite number");
}

// A file too large to read whole is refused before it is read, pointing at --streaming (a sparse
// 2 GB file: its size is what counts).
TEST_F(StreamingCli, AFileTooLargeForMemoryIsRefusedUpFrontWithTheWayOut) {
  const auto big = write("big.csv", "y,d\n1,0\n");
  fs::resize_file(big, std::uintmax_t{2} << 30);
  shell_limits_ = "ulimit -v 3000000; ";
  expect_bad_input(
      "estimate ols --data " + big.string() + " --outcome y --treatment d",
      "whole needs about 5.37 GB (about 2.5 times the file's size), but the address-space limit");
  expect_bad_input("estimate ols --data " + big.string() + " --outcome y --treatment d", "add --streaming");
  expect_bad_input("estimate difference-in-means --data " + big.string() + " --outcome y --treatment d",
                   "estimate on a sample of its rows");
}

}  // namespace
}  // namespace casebook::testing

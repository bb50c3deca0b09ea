// End-to-end: `casebook mc` and `casebook estimate --bootstrap`, in a copy of the project so the
// saved summary (build/mc/<case>.json) never touches the real tree.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using casebook::testing::kRepository;
const std::string kCase = "tripadvisor-membership-iv";

using casebook::testing::CliTest;
using casebook::testing::Outcome;
using casebook::testing::read_file;

class McCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    root_ = dir_ / "project";
    fs::create_directories(root_ / "cases");
    fs::copy(kRepository / "cases" / kCase, root_ / "cases" / kCase, fs::copy_options::recursive);
    fs::copy(kRepository / "templates", root_ / "templates", fs::copy_options::recursive);
  }
};

TEST_F(McCli, JsonIsByteIdenticalForOneAndTwoThreads) {
  const std::string common = "mc " + kCase + " --reps 6 --n 3000 --seed 5 --json ";
  const Outcome one = run(common + "'" + (dir_ / "one.json").string() + "' --threads 1");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const Outcome two = run(common + "'" + (dir_ / "two.json").string() + "' --threads 2");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string json = read_file(dir_ / "one.json");
  EXPECT_EQ(json, read_file(dir_ / "two.json"));
  EXPECT_EQ(one.out, two.out);  // the table too

  // casebook keeps its own copy for the site.
  EXPECT_EQ(read_file(root_ / "build" / "mc" / (kCase + ".json")), json);
  const auto summary = nlohmann::json::parse(json);
  EXPECT_EQ(summary["reps"], 6);
  EXPECT_EQ(summary["n"], 3000);
  ASSERT_EQ(summary["analyses"].size(), 5u);  // naive, ols, wald, iv, ivforest
  for (const auto& a : summary["analyses"])
    for (const char* key : {"mean_estimate", "bias", "rmse", "coverage", "mean_se", "sd_estimate"})
      EXPECT_TRUE(a[key].is_number()) << a["id"] << " " << key;
  // The naive comparison is far off the truth: none of its intervals covers it.
  EXPECT_EQ(summary["analyses"][0]["coverage"], 0.0);
  // Refutations are left out by default: claims about them are skipped in every replication.
  std::size_t skipped_claims = 0;
  for (const auto& c : summary["claims"]) {
    const bool never_checked = c["skipped"] == 6;
    EXPECT_EQ(c["pass_rate"].is_number(), !never_checked) << c["id"];
    skipped_claims += never_checked;
  }
  EXPECT_GT(skipped_claims, 0u);
  EXPECT_NE(one.out.find("coverage ± SE"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("95% Wilson interval"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("pass rate ± SE"), std::string::npos) << one.out;
}

TEST_F(McCli, RefutationsFlagChecksEveryClaim) {
  const Outcome o = run("mc " + kCase + " --reps 2 --n 3000 --seed 5 --refutations --json -");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto summary = nlohmann::json::parse(o.out);
  for (const auto& c : summary["claims"]) EXPECT_TRUE(c["pass_rate"].is_number()) << c["id"];
  EXPECT_NE(summary["command"].get<std::string>().find("--refutations"), std::string::npos);
}

TEST_F(McCli, ShardsMergeToTheUnshardedSummaryByteForByte) {
  const std::string common = "mc " + kCase + " --reps 5 --n 3000 --seed 5 ";
  const Outcome whole = run(common + "--json '" + (dir_ / "whole.json").string() + "'");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  std::string parts;
  for (int k = 0; k < 3; ++k) {
    const auto part = dir_ / ("part-" + std::to_string(k) + ".json");
    const Outcome o = run(common + "--shard " + std::to_string(k) + "/3 --out '" + part.string() + "'");
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.err.find("shard " + std::to_string(k) + "/3: replications"), std::string::npos) << o.err;
    parts = "'" + part.string() + "' " + parts;  // merged in reverse order
  }
  const Outcome merged = run("mc merge " + parts + "--json '" + (dir_ / "merged.json").string() + "'");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(read_file(dir_ / "merged.json"), read_file(dir_ / "whole.json"));
  EXPECT_EQ(merged.out, whole.out);  // the table too

  // Parts of another build are refused: the merge summarises with its own code.
  std::string relabelled;
  for (int k = 0; k < 3; ++k) {
    auto part = nlohmann::json::parse(read_file(dir_ / ("part-" + std::to_string(k) + ".json")));
    part["program"] = "casebook 0.0";
    const auto file = write("old-" + std::to_string(k) + ".json", part.dump());
    relabelled += "'" + file.string() + "' ";
  }
  expect_bad_input("mc merge " + relabelled, "written by casebook 0.0, and this is casebook ");

  // A part is refused once its case's definition changed, naming the part.
  const auto case_json = root_ / "cases" / kCase / "case.json";
  std::ofstream(case_json, std::ios::app) << "\n";
  expect_bad_input("mc merge " + parts, "written for another version of " + kCase + "'s case.json");
  expect_bad_input("mc merge '" + (dir_ / "part-0.json").string() + "'", "no part holds replication 3 of 5");
  expect_bad_input("mc merge '" + (dir_ / "whole.json").string() + "'",
                   "whole.json: monte_carlo_part: missing");
  expect_bad_input(common + "--shard 3/3 --out p.json", "--shard '3/3': expected k/K");
  expect_bad_input(common + "--shard 0/3", "give --out FILE");
  expect_bad_input(common + "--out p.json", "--out is for a shard's part");
  expect_bad_input("mc", "give a case id");
}

TEST_F(McCli, VersionNamesTheProgram) {
  const Outcome o = run("--version");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out.rfind("casebook ", 0), 0u) << o.out;
}

TEST_F(McCli, BadInput) {
  expect_bad_input("mc " + kCase + " --reps 0", "--reps must be at least 1");
  expect_bad_input("mc " + kCase + " --reps -1", "'-1' is not a whole number");
  expect_bad_input("mc " + kCase + " --reps 100000000000", "not in range 0 to 10000000");
  expect_bad_input("mc " + kCase + " --reps 2 --seed -3", "'-3' is not a whole number");
  expect_bad_input("mc " + kCase + " --reps 2 --seed 18446744073709551616", "is not a whole number");
  const auto mine = write("mine.json", "my notes");
  expect_bad_input("mc " + kCase + " --reps 2 --n 500 --json '" + mine.string() + "'", "already exists");
  EXPECT_EQ(read_file(mine), "my notes");
  expect_bad_input("mc no-such-case --reps 2", "no case 'no-such-case'");
}

TEST_F(McCli, EstimateBootstrap) {
  std::string csv = "y,t,g\n";
  for (int i = 0; i < 60; ++i)
    csv += std::to_string(i % 7 + (i % 2) * 2) + "," + std::to_string(i % 2) + "," + std::to_string(i % 6) +
           "\n";
  const auto data = write("d.csv", csv);
  const std::string base = "estimate ols --data '" + data.string() + "' --outcome y --treatment t ";
  const Outcome one = run(base + "--bootstrap 200 --seed 4 --threads 1 --json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const Outcome two = run(base + "--bootstrap 200 --seed 4 --threads 2 --json");
  EXPECT_EQ(one.out, two.out);
  const auto doc = nlohmann::json::parse(one.out);
  ASSERT_TRUE(doc.contains("bootstrap"));
  EXPECT_EQ(doc["bootstrap"]["kind"], "pairs");
  EXPECT_EQ(doc["bootstrap"]["reps"], 200);
  EXPECT_GT(doc["bootstrap"]["se"].get<double>(), 0);
  EXPECT_LT(doc["bootstrap"]["percentile_ci"][0].get<double>(),
            doc["bootstrap"]["percentile_ci"][1].get<double>());

  const Outcome clustered = run(base + "--cluster g --bootstrap 100 --json");
  ASSERT_EQ(clustered.exit_code, 0) << clustered.err;
  EXPECT_EQ(nlohmann::json::parse(clustered.out)["bootstrap"]["kind"], "cluster");
  EXPECT_EQ(nlohmann::json::parse(clustered.out)["bootstrap"]["clusters"], 6);
  const Outcome table = run(base + "--bootstrap 100");
  EXPECT_NE(table.out.find("percentile CI"), std::string::npos) << table.out;

  expect_bad_input(base + "--bootstrap 0", "reps must be at least 1");
  const auto missing = write("m.csv", "y,t\n1,0\nNA,1\n3,0\n4,1\n5,0\n");
  expect_bad_input("estimate ols --data '" + missing.string() + "' --outcome y --treatment t --bootstrap 50",
                   "missing value");
  const auto one_cluster = write("k.csv", "y,t,g\n1,0,a\n2,1,a\n3,0,a\n4,1,a\n5,0,a\n");
  expect_bad_input("estimate ols --data '" + one_cluster.string() +
                       "' --outcome y --treatment t --cluster g --bootstrap 50",
                   "1 distinct value");
}

}  // namespace

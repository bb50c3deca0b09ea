// End-to-end: the casebook binary on every case and on bad input.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_harness.hpp"
#include "core/memory_check.hpp"

namespace {

using casebook::testing::CliTest;
using casebook::testing::Outcome;
using casebook::testing::read_file;
namespace fs = std::filesystem;
const fs::path kRoot = casebook::testing::kRepository;

class Cli : public CliTest {
 protected:
  // A copy of the project with one case whose case.json is `json`.
  fs::path project_with_case(const std::string& id, const std::string& json) const {
    const fs::path root = dir_ / "project";
    fs::create_directories(root / "cases" / id);
    fs::create_directories(root / "templates");
    std::ofstream(root / "cases" / id / "case.json") << json;
    fs::copy_file(kRoot / "templates/case.md", root / "cases" / id / "case.md");
    return root;
  }
};

// Every case passing `verify` is the ctest fixture CaseResults (CMakeLists.txt), which also writes
// the results the site and schema tests read; here, what --json-dir writes.
TEST_F(Cli, VerifyWritesEachCasesResultsAsRunDoes) {
  const fs::path out = dir_ / "results";
  const Outcome o = run("verify bing-cuped-ab-test qanda-quiz-did --json-dir '" + out.string() + "'");
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("2 of 2 cases verified"), std::string::npos) << o.out;
  const Outcome single = run("run qanda-quiz-did --json -");
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(read_file(out / "qanda-quiz-did.json"), single.out);
  EXPECT_TRUE(fs::exists(out / "bing-cuped-ab-test.json"));
  // Nothing written is replaced without --force, and the refusal comes before the work.
  const Outcome again = run("verify qanda-quiz-did --json-dir '" + out.string() + "'");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("qanda-quiz-did.json"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find("[1/1]"), std::string::npos) << again.err;
  EXPECT_EQ(run("verify qanda-quiz-did --json-dir '" + out.string() + "' --force").exit_code, 0);
  // A file where the folder should be is bad input, said in one line.
  const Outcome file =
      run("verify qanda-quiz-did --json-dir '" + (out / "qanda-quiz-did.json").string() + "'");
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_NE(file.err.find("cannot make this folder"), std::string::npos) << file.err;
}

TEST_F(Cli, VerifyShardsTakeEveryKthCase) {
  const std::string cases = "bing-cuped-ab-test qanda-quiz-did job-training-wages-heckman ";
  const Outcome second = run("verify " + cases + "--shard 1/2");
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.err.find("shard 1/2: 1 of 3 cases"), std::string::npos) << second.err;
  EXPECT_NE(second.out.find("qanda-quiz-did"), std::string::npos) << second.out;
  EXPECT_EQ(second.out.find("bing-cuped-ab-test"), std::string::npos) << second.out;
  const Outcome first = run("verify " + cases + "--shard 0/2");
  EXPECT_NE(first.out.find("bing-cuped-ab-test"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("job-training-wages-heckman"), std::string::npos) << first.out;
  expect_bad_input("verify --shard 2/2", "--shard '2/2'");
}

TEST_F(Cli, LintIsCleanOnEveryCase) {
  const Outcome o = run("lint");
  EXPECT_EQ(o.exit_code, 0) << o.err;
}

TEST_F(Cli, SameSeedWritesIdenticalJson) {
  const auto a = dir_ / "a.json", b = dir_ / "b.json";
  ASSERT_EQ(run("run tripadvisor-membership-iv --seed 7 --n 5000 --json '" + a.string() + "'").exit_code == 2,
            false);
  run("run tripadvisor-membership-iv --seed 7 --n 5000 --json '" + b.string() + "'");
  const std::string first = read_file(a);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, read_file(b));
  const auto doc = nlohmann::json::parse(first);
  EXPECT_EQ(doc["case"], "tripadvisor-membership-iv");
  for (const auto& a_ : doc["analyses"])
    for (const char* key : {"id", "estimator", "estimate", "se", "ci_low", "ci_high", "truth"})
      EXPECT_TRUE(a_.contains(key)) << key;
  for (const auto& c : doc["claims"])
    for (const char* key : {"id", "text", "pass", "observed", "expected"})
      EXPECT_TRUE(c.contains(key)) << key;
}

TEST_F(Cli, RunJsonRefusesToOverwrite) {
  const auto target = write("mine.json", "my notes");
  expect_bad_input("run tripadvisor-membership-iv --n 1000 --json '" + target.string() + "'",
                   "already exists");
  EXPECT_EQ(read_file(target), "my notes");
}

TEST_F(Cli, ASampleTooLargeForMemoryIsRefusedUpFront) {
  // TripAdvisor's 17 variables at n = 10⁸: 27 GB for simulate's two tables, 54 GB for run's four.
  // Once these ran out of memory half a minute in; a machine with that much to spare skips the test.
  const auto budget = casebook::memory_budget();
  if (!budget || budget->bytes > 27e9) GTEST_SKIP() << "this machine could hold the sample";
  const auto csv = dir_ / "huge.csv";
  expect_bad_input("simulate tripadvisor-membership-iv --n 100000000 --out '" + csv.string() + "'",
                   "simulating case 'tripadvisor-membership-iv' with n = 100000000 needs about 27.2 GB");
  EXPECT_FALSE(fs::exists(csv));
  expect_bad_input("run tripadvisor-membership-iv --n 100000000",
                   "needs about 54.4 GB (four tables of 17 variables)");
  expect_bad_input("mc tripadvisor-membership-iv --n 100000000 --reps 2", "a smaller --n");
}

// A message quotes the user's text; a newline or an escape sequence in it must not break the one
// line (nor drive the terminal).
TEST_F(Cli, AnErrorQuotingANewlineStaysOneLine) {
  const auto csv = write("names.csv", "\"out\ncome\",\"out\ncome\"\n1,2\n");
  expect_bad_input("estimate ols --data '" + csv.string() + "' --outcome y --treatment d", "out\\ncome");
  const auto ok = write("ok.csv", "y,d\n1,0\n0,1\n2,1\n");
  expect_bad_input(
      "estimate ols --data '" + ok.string() + "' --outcome \"$(printf 'a\\033[31mb')\" --treatment d",
      "a\\x1b[31mb");
}

// Under `ulimit -v` the machine's free memory is not what the process may map: sizes past the
// address-space limit are refused up front (they once ended in std::bad_alloc, exit 3).
TEST_F(Cli, AnAddressSpaceLimitIsHonouredUpFront) {
  shell_limits_ = "ulimit -v 4000000; ";
  const auto csv = dir_ / "huge.csv";
  expect_bad_input("simulate uber-eats-ad-uplift --n 100000000 --out '" + csv.string() + "'",
                   "but the address-space limit (ulimit -v) leaves");
  EXPECT_FALSE(fs::exists(csv));
  expect_bad_input("run uber-eats-ad-uplift --n 100000000", "but the address-space limit (ulimit -v) leaves");
  expect_bad_input("mc uber-eats-ad-uplift --reps 10000000 --threads 2",
                   "10000000 Monte Carlo replications at n = ");
}

// Counts whose kept draws cannot fit are refused before the first draw (causal-impact once ended in
// std::bad_alloc at niter = 10^7; mediation grew its draws until it did).
TEST_F(Cli, DrawsThatCannotFitAreRefusedUpFront) {
  shell_limits_ = "ulimit -v 2000000; ";
  std::string series = "y,x,time\n", sample = "y,d,m\n";
  for (int t = 1; t <= 60; ++t) {
    series += fmt::format("{},{},{}\n", 10 + 0.1 * t + (t % 7) * 0.3 + (t > 40 ? 2 : 0), (t % 5) * 0.2, t);
    sample += fmt::format("{},{},{}\n", (t % 9) * 0.5 + t % 2, t % 2, (t % 4) * 0.7 + t % 2);
  }
  const auto series_csv = write("series.csv", series), sample_csv = write("sample.csv", sample);
  expect_bad_input(
      "estimate causal-impact --data '" + series_csv.string() +
          "' --outcome y --covariates x --option time=time --option post_start=41 --option niter=10000000",
      "causal-impact with niter=10000000 needs about");
  expect_bad_input("estimate mediation --data '" + sample_csv.string() +
                       "' --outcome y --treatment d --option mediator=m --option sims=10000000",
                   "mediation with sims=10000000 needs about");
}

TEST_F(Cli, SimulateThenRunOnTheCsvSkipsTruthClaims) {
  const auto csv = dir_ / "data.csv";
  ASSERT_EQ(run("simulate tripadvisor-membership-iv --n 3000 --out '" + csv.string() + "'").exit_code, 0);
  const Outcome o = run("run tripadvisor-membership-iv --data '" + csv.string() + "' --json -");
  ASSERT_NE(o.exit_code, 2) << o.err;
  const auto doc = nlohmann::json::parse(o.out);
  EXPECT_TRUE(doc["truth"].empty());
  EXPECT_GT(doc["summary"]["claims_skipped"].get<int>(), 0);
}

// A practitioner's file names its columns otherwise: --map renames them to the case's, and a run
// without it says which column is missing and how to map it.
TEST_F(Cli, RunOnYourDataMapsYourColumnNames) {
  const auto csv = dir_ / "data.csv";
  ASSERT_EQ(run("simulate tripadvisor-membership-iv --n 3000 --out '" + csv.string() + "'").exit_code, 0);
  std::string text = read_file(csv);
  text.replace(text.find("days_visited_post"), std::string("days_visited_post").size(), "visits_after");
  const auto renamed = write("renamed.csv", text);
  const std::string data = "run tripadvisor-membership-iv --data '" + renamed.string() + "'";
  expect_bad_input(data,
                   "the file lacks the case's column days_visited_post: name yours with --map "
                   "days_visited_post=YOUR_COLUMN");
  const Outcome mapped = run(data + " --map days_visited_post=visits_after --json -");
  ASSERT_NE(mapped.exit_code, 2) << mapped.err;
  const Outcome original = run("run tripadvisor-membership-iv --data '" + csv.string() + "' --json -");
  auto a = nlohmann::json::parse(mapped.out), b = nlohmann::json::parse(original.out);
  EXPECT_EQ(a["analyses"].dump(), b["analyses"].dump());
  expect_bad_input(data + " --map days_visited=visits_after",
                   "case tripadvisor-membership-iv has no column "
                   "'days_visited' (its columns: ");
  expect_bad_input(data + " --map days_visited_post=nope", "has no column 'nope' (columns: ");
  expect_bad_input(data + " --map days_visited_post",
                   "--map 'days_visited_post' is not case_column=your_column");
  expect_bad_input("run tripadvisor-membership-iv --map a=b", "--map renames the columns of --data");
}

TEST_F(Cli, EstimateJsonHasTheFields) {
  const auto csv = dir_ / "data.csv";
  ASSERT_EQ(run("simulate tripadvisor-membership-iv --n 3000 --out '" + csv.string() + "'").exit_code, 0);
  const Outcome o =
      run("estimate 2sls --data '" + csv.string() +
          "' --outcome days_visited_post --treatment became_member --instruments easier_signup --json");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto doc = nlohmann::json::parse(o.out);
  for (const char* key : {"estimate", "se", "ci_low", "ci_high", "n", "diagnostics"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_TRUE(doc["diagnostics"].contains("first_stage_F"));
}

TEST_F(Cli, BadCaseIds) {
  expect_bad_input("run ../etc", "case id '../etc' is not valid");
  expect_bad_input("run a/b", "case id 'a/b' is not valid");
  expect_bad_input("run no-such-case", "no case 'no-such-case'");
}

TEST_F(Cli, BadEstimateInput) {
  const auto csv = write("d.csv", "y,t,x,c,z\n1,0,1,2,1\n2,1,2,4,0\n3,0,3,6,1\n4,1,5,10,0\n5,1,8,16,1\n");
  const std::string data = " --data '" + csv.string() + "'";
  expect_bad_input("estimate olz" + data + " --outcome y --treatment t", "unknown estimator 'olz'");
  expect_bad_input("estimate ols" + data + " --outcome y --treatment nope", "column 'nope' not found");
  expect_bad_input("estimate ols" + data + " --outcome y --treatment t --covariates x,c", "'c'");  // c = 2x
  const auto constant = write("k.csv", "y,t\n1,1\n2,1\n3,1\n");
  expect_bad_input("estimate ols --data '" + constant.string() + "' --outcome y --treatment t", "constant");
  const auto missing = write("m.csv", "y,t\n1,0\nNA,1\n3,0\n4,1\n");
  expect_bad_input("estimate ols --data '" + missing.string() + "' --outcome y --treatment t", "missing");
  expect_bad_input("estimate ols --data '" + (dir_ / "none.csv").string() + "' --outcome y --treatment t",
                   "none.csv");
}

TEST_F(Cli, BadCaseFiles) {
  std::string json = read_file(kRoot / "templates/case.json");
  json.replace(json.find("{{id}}"), 6, "broken");
  expect_bad_input("run broken", "line", project_with_case("broken", json.substr(0, json.size() / 2)));
  fs::remove_all(dir_ / "project");
  expect_bad_input("run broken", "malformed JSON", project_with_case("broken", "{\"id\": \"broken\",, }"));
  fs::remove_all(dir_ / "project");
  std::string unknown_variable = json;
  unknown_variable.replace(unknown_variable.find("0.3 * t"), 7, "0.3 * tt");
  expect_bad_input("run broken", "unknown variable 'tt'", project_with_case("broken", unknown_variable));
  fs::remove_all(dir_ / "project");
  nlohmann::json headline = nlohmann::json::parse(json);
  headline["primary_analysis"] = "nope";
  expect_bad_input("run broken", "case.json: primary_analysis: no analysis with id 'nope'",
                   project_with_case("broken", headline.dump()));
}

}  // namespace

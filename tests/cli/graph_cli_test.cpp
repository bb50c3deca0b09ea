// casebook graph and identify, end to end.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path kRoot = casebook::testing::kRepository;

using casebook::testing::CliTest;
using casebook::testing::Outcome;
const auto& slurp = casebook::testing::read_file;

class GraphCli : public CliTest {
 protected:
  // A copy of the repository's TripAdvisor case under a scratch root, edited by `edit`.
  fs::path scratch_case(const std::function<void(nlohmann::json&)>& edit) const {
    const fs::path root = dir_ / "root";
    fs::create_directories(root / "cases/tripadvisor-membership-iv");
    fs::create_directories(root / "templates");
    for (const char* f : {"case.md", "case.ko.md"})
      fs::copy_file(kRoot / "cases/tripadvisor-membership-iv" / f,
                    root / "cases/tripadvisor-membership-iv" / f);
    auto doc = nlohmann::json::parse(slurp(kRoot / "cases/tripadvisor-membership-iv/case.json"));
    edit(doc);
    std::ofstream(root / "cases/tripadvisor-membership-iv/case.json") << doc.dump(2);
    return root;
  }

  void expect_one_line_exit_2(const Outcome& o, const std::string& words) const {
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_NE(o.err.find(words), std::string::npos) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  }
};

TEST_F(GraphCli, IdentifyStatesEachVerdict) {
  const Outcome o = run("identify tripadvisor-membership-iv");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto naive = o.out.find("naive (");
  const auto iv = o.out.find("\niv (");
  ASSERT_NE(naive, std::string::npos);
  ASSERT_NE(iv, std::string::npos);
  EXPECT_NE(o.out.find("true graph: NOT identified", naive), std::string::npos);
  EXPECT_LT(o.out.find("became_member <- affinity -> days_visited_post", naive), o.out.find("\nols ("));
  EXPECT_NE(o.out.find("true graph: identified", iv), std::string::npos);
}

TEST_F(GraphCli, RunJsonHasIdentification) {
  const Outcome o = run("run tripadvisor-membership-iv --n 3000 --json -");
  ASSERT_LE(o.exit_code, 1) << o.err;
  const auto doc = nlohmann::json::parse(o.out);
  for (const auto& a : doc.at("analyses")) {
    if (a.at("id") == "naive") {
      EXPECT_FALSE(a.at("identification").at("valid").get<bool>());
    }
    if (a.at("id") == "iv") {
      EXPECT_TRUE(a.at("identification").at("valid").get<bool>());
    }
  }
  const Outcome human = run("run tripadvisor-membership-iv --n 3000");
  EXPECT_NE(human.out.find("NOT identified (backdoor criterion, true graph): path became_member <- affinity "
                           "-> days_visited_post"),
            std::string::npos)
      << human.out;
}

TEST_F(GraphCli, GraphWritesDotAndSvgWithoutOverwriting) {
  const Outcome dot = run("graph tripadvisor-membership-iv");
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_EQ(dot.out.rfind("digraph", 0), 0u);
  const fs::path svg = dir_ / "g.svg", dotfile = dir_ / "g.dot";
  const Outcome drawn = run("graph tripadvisor-membership-iv --analysis naive --svg '" + svg.string() +
                            "' --dot '" + dotfile.string() + "'");
  ASSERT_EQ(drawn.exit_code, 0) << drawn.err;
  EXPECT_EQ(slurp(svg).rfind("<svg", 0), 0u);
  EXPECT_NE(slurp(dotfile).find("open_path"), std::string::npos);
  EXPECT_EQ(run("graph tripadvisor-membership-iv --svg '" + svg.string() + "'").exit_code, 2);  // exists
  EXPECT_EQ(run("graph tripadvisor-membership-iv --assumed --svg '" + svg.string() + "' --force").exit_code,
            0);
  expect_one_line_exit_2(run("graph tripadvisor-membership-iv --analysis nope"), "no analysis 'nope'");
}

TEST_F(GraphCli, ACycleInTheAssumedGraphIsOneLineAndExit2) {
  const fs::path root = scratch_case([](nlohmann::json& j) {
    j["assumed_graph"]["edges"].push_back({"days_visited_post", "easier_signup"});
  });
  expect_one_line_exit_2(run("identify tripadvisor-membership-iv", root),
                         "assumed_graph.edges: the graph has a cycle: became_member -> days_visited_post -> "
                         "easier_signup -> became_member");
}

TEST_F(GraphCli, ALaterVariableInAnExpressionIsNamed) {
  const fs::path root = scratch_case([](nlohmann::json& j) {
    j["simulation"]["variables"][0]["expr"] = "normal(0, 1) + days_visited_post";
  });
  expect_one_line_exit_2(run("graph tripadvisor-membership-iv", root),
                         "'days_visited_post' is defined later");
}

}  // namespace

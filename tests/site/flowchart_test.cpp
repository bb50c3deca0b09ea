// templates/flowchart.json and the method pages' catalogue: the tree is well formed, the answer
// ids cases rely on exist, every leaf's methods have pages in both languages; broken trees are
// rejected with the file and field named; `casebook choose` walks it from stdin; lint reports a
// case whose flowchart answers do not exist.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cases/lint.hpp"
#include "core/input_error.hpp"
#include "estimators/estimator.hpp"
#include "site/flowchart.hpp"
#include "site/flowchart_diagram.hpp"
#include "site/flowchart_dialogue.hpp"
#include "site/method_catalog.hpp"
#include "site/site.hpp"
#include "site_fixture.hpp"

namespace casebook::site {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRepo = CASEBOOK_SOURCE_DIR;

Flowchart project_flowchart() { return Flowchart::load(kRepo / "templates" / "flowchart.json"); }
MethodCatalog project_methods() { return MethodCatalog::load(kRepo / "site" / "methods"); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Flowchart, TheProjectTreeHasTheStudysQuestionsAndStableIds) {
  const Flowchart chart = project_flowchart();
  EXPECT_EQ(chart.start().id, "ab-test");
  for (const char* id :
       {"ab-test-possible", "ab-test-not-possible", "instrument-available", "exogenous-shock-parallel-trends",
        "exogenous-shock-no-parallel-trends", "arbitrary-threshold", "time-series-no-control",
        "selection-on-observables", "none-of-the-above", "pre-existing-differences", "treated-not-taken",
        "effects-vary", "why-it-worked"}) {
    EXPECT_NE(chart.answer(id), nullptr) << id;
  }
  // The TripAdvisor case's path, from the start question to the instrument leaf.
  const auto path = chart.path_to("instrument-available");
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0]->id, "ab-test-not-possible");
  EXPECT_TRUE(path[1]->leaf.has_value());
  EXPECT_EQ(chart.path_to("exogenous-shock-parallel-trends").size(), 3u);
  EXPECT_TRUE(chart.path_to("no-such-answer").empty());
}

TEST(Flowchart, EveryLeafMethodHasAPageInBothLanguages) {
  const Flowchart chart = project_flowchart();
  const MethodCatalog methods = project_methods();
  std::set<std::string> reached;
  for (const FlowchartAnswer* leaf : chart.leaves()) {
    for (const std::string& id : leaf->leaf->methods) {
      const MethodInfo* method = methods.find(id);
      ASSERT_NE(method, nullptr) << leaf->id << " names " << id;
      EXPECT_FALSE(method->markdown_ko.empty()) << id << ".ko.md";
      reached.insert(id);
    }
  }
  // Every method page is reached by some leaf, and each page has the sections readers look for.
  for (const MethodInfo& method : methods.methods()) {
    EXPECT_TRUE(reached.contains(method.id)) << method.id;
    for (const char* heading :
         {"## When to use it", "## Assumptions", "## Estimand", "## Diagnostics", "## In Casebook"})
      EXPECT_TRUE(contains(method.markdown_en, heading)) << method.id << ": " << heading;
    for (const char* heading : {"## 언제 쓰는가", "## 가정", "## 추정 대상", "## 진단", "## Casebook에서"})
      EXPECT_TRUE(contains(method.markdown_ko, heading)) << method.id << ".ko: " << heading;
  }
  EXPECT_EQ(methods.for_case_method("2SLS"), methods.find("instrumental-variables"));
  EXPECT_EQ(methods.for_case_method("Event study"), methods.find("difference-in-differences"));
  EXPECT_EQ(methods.for_case_method("astrology"), nullptr);
}

// The flowchart recommends only what exists: every estimator a method page names is in the
// registry, and every method a leaf recommends is run by some case (regression-forest, which
// estimates no effect, is the causal forest's helper and need not be).
TEST(Flowchart, EveryRecommendedEstimatorExistsAndEveryMethodLeadsToACase) {
  std::set<std::string> used;
  for (const auto& entry : fs::directory_iterator(kRepo / "cases")) {
    if (!fs::exists(entry.path() / "case.json")) continue;
    std::ifstream in(entry.path() / "case.json");
    const json doc = json::parse(in);
    for (const auto& analysis : doc.at("analyses")) used.insert(analysis.at("estimator").get<std::string>());
  }
  const Flowchart chart = project_flowchart();
  const MethodCatalog methods = project_methods();
  for (const FlowchartAnswer* leaf : chart.leaves())
    for (const std::string& id : leaf->leaf->methods) {
      const MethodInfo* method = methods.find(id);
      ASSERT_NE(method, nullptr) << id;
      bool has_case = false;
      for (const std::string& estimator : method->estimators) {
        EXPECT_NO_THROW(find_estimator(estimator)) << id << " names " << estimator;
        has_case = has_case || used.contains(estimator);
      }
      EXPECT_TRUE(has_case) << leaf->id << " recommends " << id << ", which no case runs";
    }
}

json small_tree() {
  return json::parse(R"({"start": "a", "questions": [
    {"id": "a", "text": {"en": "A?"}, "answers": [
      {"id": "a-yes", "text": {"en": "yes"}, "next": "b"},
      {"id": "a-no", "text": {"en": "no"}, "leaf": {"label": {"en": "L"}, "methods": ["regression"]}}]},
    {"id": "b", "text": {"en": "B?"}, "answers": [
      {"id": "b-yes", "text": {"en": "yes"}, "leaf": {"label": {"en": "M"}, "methods": ["mediation"]}},
      {"id": "b-no", "text": {"en": "no"}, "leaf": {"label": {"en": "N"}, "methods": ["regression"]}}]}]})");
}

void expect_rejected(const json& tree, const std::string& fragment) {
  try {
    Flowchart::parse(tree, "flowchart.json");
    ADD_FAILURE() << "accepted a tree that should fail with: " << fragment;
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "flowchart.json")) << e.what();
    EXPECT_TRUE(contains(e.what(), fragment)) << e.what();
  }
}

TEST(Flowchart, BrokenTreesAreRejectedNamingTheField) {
  EXPECT_NO_THROW(Flowchart::parse(small_tree(), "flowchart.json"));
  json t = small_tree();
  t["questions"][0]["answers"][0]["next"] = "zzz";
  expect_rejected(t, "no question \"zzz\"");
  t = small_tree();
  t["questions"][1]["answers"][0]["next"] = "a";  // a loop back to the start
  t["questions"][1]["answers"][0].erase("leaf");
  expect_rejected(t, "reached twice");
  t = small_tree();
  t["questions"][1]["answers"][1]["id"] = "a-yes";
  expect_rejected(t, "appears twice");
  t = small_tree();
  t["questions"][0]["answers"][1].erase("leaf");
  expect_rejected(t, "exactly one of");
  t = small_tree();
  t["questions"][0]["answers"][0]["id"] = "Bad Id";
  expect_rejected(t, "questions[0].answers[0].id");
  t = small_tree();
  t["start"] = "b";
  expect_rejected(t, "never reached");
}

TEST(Flowchart, DiagramIsGraphvizSvgWithLinksToEachStep) {
  const Flowchart chart = project_flowchart();
  const std::string dot = flowchart_dot(chart, "en");
  EXPECT_TRUE(contains(dot, "URL=\"#q-ab-test\""));
  EXPECT_TRUE(contains(dot, "URL=\"#a-instrument-available\""));
  const std::string svg = flowchart_svg(chart, "ko");
  EXPECT_TRUE(svg.starts_with("<svg") || contains(svg.substr(0, 400), "<svg")) << svg.substr(0, 200);
  EXPECT_TRUE(contains(svg, "href=\"#a-exogenous-shock-parallel-trends\""));
  EXPECT_TRUE(contains(svg, "회귀 불연속"));
  EXPECT_EQ(flowchart_svg(chart, "ko"), svg);  // deterministic
  EXPECT_EQ(wrap_label("one two three four", 9), "one two\nthree\nfour");
}

// The page a phone reads a question at a time: each question says how far along it is (counted
// from the start, "of up to" where the answers lead to paths of different lengths) and leads back
// to the start; each leaf leads back too.
TEST(FlowchartPage, EachStepSaysHowFarAlongItIsAndLeadsBackToTheStart) {
  std::random_device device;
  const fs::path out = fs::temp_directory_path() / ("casebook-flowchart-page-" + std::to_string(device()));
  SiteOptions options;
  options.theme_dir = kRepo / "site";
  render_site({}, options, out);
  const std::string en = casebook::testing::read_file(out / "flowchart.html");
  const std::string ko = casebook::testing::read_file(out / "ko" / "flowchart.html");
  fs::remove_all(out);
  const auto section = [](const std::string& html, const std::string& id) {
    const auto at = html.find(" id=\"" + id + "\">");
    return at == std::string::npos ? std::string() : html.substr(at, html.find("</section>", at) - at);
  };
  // ab-test → observational-design → parallel-trends is the longest path; experiment-issue ends
  // every path at its own answers.
  EXPECT_TRUE(contains(en, "<section class=\"flow-question start\" id=\"q-ab-test\">"));
  EXPECT_TRUE(contains(section(en, "q-ab-test"), "Question 1 of up to 3"));
  EXPECT_TRUE(contains(section(en, "q-experiment-issue"), "Question 2 of 2"));
  EXPECT_TRUE(contains(section(en, "q-observational-design"), "Question 2 of up to 3"));
  EXPECT_TRUE(contains(section(en, "q-parallel-trends"), "Question 3 of 3"));
  EXPECT_TRUE(contains(section(ko, "q-parallel-trends"), "질문 3개 중 3번째"));
  EXPECT_FALSE(contains(section(en, "q-ab-test"), "Start again"));
  for (const std::string id : {"q-parallel-trends", "a-instrument-available"}) {
    EXPECT_TRUE(contains(section(en, id), "<a href=\"#q-ab-test\">Start again</a>")) << id;
    EXPECT_TRUE(contains(section(ko, id), "<a href=\"#q-ab-test\">처음부터 다시</a>")) << id;
  }
  // An answer leads to the next question, or to its leaf.
  EXPECT_TRUE(contains(section(en, "q-ab-test"), "href=\"#q-observational-design\""));
  EXPECT_TRUE(contains(section(en, "q-observational-design"), "href=\"#a-instrument-available\""));
  EXPECT_TRUE(contains(en, "<a href=\"#diagram\">Show the whole tree</a>"));
}

struct Dialogue {
  int status;
  std::string out, err;
};

Dialogue ask(const std::string& input, std::string_view lang = "en") {
  const std::vector<ChooseCase> cases = {{"tripadvisor-membership-iv",
                                          "TripAdvisor",
                                          {"instrumental-variables", "2sls"},
                                          {"ab-test-not-possible", "instrument-available"}}};
  std::istringstream in(input);
  std::ostringstream out, err;
  const int status = choose_dialogue(project_flowchart(), project_methods(), cases, lang, in, out, err);
  return {status, out.str(), err.str()};
}

TEST(Choose, NumbersOrIdsLeadToTheMethodAndItsCases) {
  const Dialogue d = ask("2\n4\n");
  EXPECT_EQ(d.status, 0) << d.err;
  EXPECT_TRUE(contains(d.out, "Can you run an A/B test"));
  EXPECT_TRUE(contains(d.out, "=> 2SLS or selection correction"));
  EXPECT_TRUE(contains(d.out, "methods/instrumental-variables.html"));
  EXPECT_TRUE(contains(d.out, "tripadvisor-membership-iv"));
  EXPECT_TRUE(contains(d.out, "\"flowchart\": [\"ab-test-not-possible\", \"instrument-available\"]"));
  EXPECT_EQ(ask("ab-test-not-possible\n  exogenous-shock \n1\n")
                    .out.find("Difference in differences / event study") != std::string::npos,
            true);
}

TEST(Choose, BadAnswersAreAskedAgainAndEndOfInputStopsCleanly) {
  const Dialogue retry = ask("7\nmaybe\n1\n1\n");
  EXPECT_EQ(retry.status, 0);
  EXPECT_TRUE(contains(retry.out, "'7' is not an answer"));
  EXPECT_TRUE(contains(retry.out, "'maybe' is not an answer"));
  EXPECT_TRUE(contains(retry.out, "=> Difference in means"));
  const Dialogue eof = ask("2\n");
  EXPECT_EQ(eof.status, 2);
  EXPECT_TRUE(contains(eof.err, "input ended"));
  EXPECT_EQ(ask("").status, 2);
  EXPECT_EQ(ask("q\n").status, 0);
  const Dialogue korean = ask("1\n4\n", "ko");
  EXPECT_TRUE(contains(korean.out, "이질적 효과"));
}

TEST(Choose, TheBinaryReadsAnswersFromAPipe) {
  const std::string command = std::string("printf '2\\n5\\n' | ") + CASEBOOK_BINARY + " --root " +
                              kRepo.string() + " choose 2>&1; echo \"exit=$?\"";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  pclose(pipe);
  EXPECT_TRUE(contains(output, "=> Matching and weighting")) << output;
  EXPECT_TRUE(contains(output, "exit=0")) << output;
  FILE* eof = popen((std::string("printf 'nonsense\\n' | ") + CASEBOOK_BINARY + " --root " + kRepo.string() +
                     " choose > /dev/null 2>&1; echo \"exit=$?\"")
                        .c_str(),
                    "r");
  ASSERT_NE(eof, nullptr);
  output.clear();
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, eof)) output.append(buffer, n);
  pclose(eof);
  EXPECT_TRUE(contains(output, "exit=2")) << output;
}

TEST(LintFlowchart, ACaseNamingAnUnknownAnswerIsReported) {
  std::random_device device;
  const fs::path root = fs::temp_directory_path() / ("casebook-lint-flowchart-" + std::to_string(device()));
  const fs::path dir = root / "cases" / "tripadvisor-membership-iv";
  fs::create_directories(root / "templates");
  fs::create_directories(dir.parent_path());
  fs::copy(kRepo / "cases" / "tripadvisor-membership-iv", dir, fs::copy_options::recursive);
  fs::copy_file(kRepo / "templates" / "flowchart.json", root / "templates" / "flowchart.json");
  EXPECT_EQ(lint_case(dir), std::vector<std::string>{});
  json meta = json::parse(casebook::testing::read_file(dir / "case.json"));
  meta["flowchart"] = {"ab-test-not-possible", "instrument-avialable"};
  std::ofstream(dir / "case.json") << meta.dump(2);
  const auto problems = lint_case(dir);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(contains(problems[0], "instrument-avialable")) << problems[0];
  EXPECT_TRUE(contains(problems[0], "case.json")) << problems[0];
  fs::remove_all(root);
}

TEST(LintSources, ALinkTheSiteWouldNotFollowIsReported) {
  std::random_device device;
  const fs::path root = fs::temp_directory_path() / ("casebook-lint-sources-" + std::to_string(device()));
  const fs::path dir = root / "cases" / "tripadvisor-membership-iv";
  fs::create_directories(root / "templates");
  fs::create_directories(dir.parent_path());
  fs::copy(kRepo / "cases" / "tripadvisor-membership-iv", dir, fs::copy_options::recursive);
  fs::copy_file(kRepo / "templates" / "flowchart.json", root / "templates" / "flowchart.json");
  json meta = json::parse(casebook::testing::read_file(dir / "case.json"));
  meta["sources"][0]["url"] = "javascript:alert(document.cookie)\nsecond line";
  meta["sources"][1]["url"] = "";  // a source without a link is fine
  std::ofstream(dir / "case.json") << meta.dump(2);
  const auto problems = lint_case(dir);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(contains(problems[0], "sources[0].url 'javascript:alert(document.cookie)?second line'"))
      << problems[0];
  EXPECT_TRUE(contains(problems[0], "case.json")) << problems[0];
  EXPECT_EQ(problems[0].find('\n'), std::string::npos);
  fs::remove_all(root);
}

}  // namespace
}  // namespace casebook::site

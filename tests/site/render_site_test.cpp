// render_site on two synthetic cases: pages in both languages, links that resolve, assets,
// byte-identical reruns, and an output folder that is never a user's folder.
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "site/site.hpp"

namespace casebook {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kTheme = fs::path(CASEBOOK_SOURCE_DIR) / "site";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// Every file of a folder, by path relative to it, with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file())
      files[fs::relative(entry.path(), dir).generic_string()] = read_file(entry.path());
  }
  return files;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The identification of one analysis, as the runner writes it (the site reads these keys).
json identification(bool valid) {
  return {{"criterion", "backdoor"},    {"graph", "true"},         {"valid", valid},     {"reason", "why"},
          {"open_path", json::array()}, {"adjustment_set", {"x"}}, {"treatment", {"t"}}, {"outcome", {"y"}},
          {"instruments", {"z"}}};
}

// A results document with every key the site reads (templates/results.schema.json).
json results_for(const std::string& id, const json& title, const json& meta, bool one_claim_fails) {
  return {
      {"case", id},
      {"title", title},
      {"meta", meta},
      {"primary_analysis", "iv"},
      {"graph", {{"svg", ""}, {"dot", "digraph { z -> t -> y }"}}},
      {"refutations", json::array()},
      {"data",
       {{"source", "simulation"},
        {"seed", 20211101},
        {"n", 100000},
        {"preview",
         {{"columns", {"z", "t", "y"}}, {"rows", {{1, 0, 2.5}, {0, 1, -0.1234567}, {1, 1, nullptr}}}}}}},
      {"truth", {{"late", 2.05}, {"ate", 1.93}}},
      {"analyses",
       {{{"id", "iv"},
         {"label", "Two-stage least squares"},
         {"estimator", "2sls"},
         {"estimand", "late"},
         {"estimate", 2.0812345},
         {"se", 0.0512},
         {"ci_low", 1.9809},
         {"ci_high", 2.1816},
         {"p_value", 0.0},
         {"n", 100000},
         {"truth", 2.05},
         {"diagnostics", {{"first_stage_F", 1234.5678}}},
         {"notes", {"weak-instrument robust"}},
         {"identification", identification(true)},
         {"tables",
          {{{"id", "complier_profile"},
            {"title", "Covariate means of compliers and of everyone"},
            {"columns", {"covariate", "compliers", "population"}},
            {"rows", {{{"covariate", "os_mac"}, {"compliers", 0.61234}, {"population", nullptr}}}}}}},
         {"plots", json::array()}},
        {{"id", "naive"},
         {"label", "Naive difference"},
         {"estimator", "difference_in_means"},
         {"estimand", "ate"},
         {"estimate", 3.4},
         {"se", 0.02},
         {"ci_low", 3.36},
         {"ci_high", 3.44},
         {"p_value", 0.0},
         {"n", 100000},
         {"truth", nullptr},
         {"diagnostics",
          {{"coef_-9", 0.47}, {"coef_-2", 0.02}, {"coef_0", 1.25}, {"bounded", 1}, {"trend_p", 0.0}}},
         {"diagnostic_kinds",
          {{"coef_-9", "family:coef_{period}"},
           {"coef_-2", "family:coef_{period}"},
           {"coef_0", "family:coef_{period}"},
           {"bounded", "boolean"},
           {"trend_p", "p_value"}}},
         {"notes", json::array()},
         {"identification", identification(false)},
         {"tables", json::array()},
         {"plots", json::array()}}}},
      {"claims",
       {{{"id", "covers"},
         {"text", "The 2SLS interval covers the true LATE."},
         {"pass", true},
         {"skipped", false},
         {"observed", 2.0812345},
         {"expected", "covers 2.05 (truth of late)"},
         {"statement",
          {{"phrase", "ci_covers"},
           {"numbers", {{"truth", 2.05}}},
           {"names", {{"estimand", "late"}}},
           {"phrases", {{"reference", "truth_of"}}}}},
         {"published", {{"value", 1.9}, {"source", "TripAdvisor 2021"}, {"note", "Table 3"}}}},
        {{"id", "naive-biased"},
         {"text", "The naive difference overstates the effect."},
         {"pass", !one_claim_fails},
         {"skipped", false},
         {"observed", 3.4},
         {"expected", "estimate above 2.05"},
         {"statement",
          {{"phrase", "estimate_above"},
           {"numbers", {{"reference", 2.05}}},
           {"names", json::object()},
           {"phrases", {{"quantity", "quantity_estimate"}}}}}},
        {{"id", "csv-only"},
         {"text", "Skipped without truth."},
         {"pass", nullptr},
         {"skipped", true},
         {"observed", nullptr},
         {"expected", "covers the truth"},
         {"statement",
          {{"phrase", "ci_covers"},
           {"numbers", json::object()},
           {"names", json::object()},
           {"phrases", {{"reference", "the_truth"}}}}},
         {"skip_reason", "no ground truth"}}}},
      {"summary",
       {{"claims_passed", one_claim_fails ? 1 : 2},
        {"claims_failed", one_claim_fails ? 1 : 0},
        {"claims_skipped", 1},
        {"claims_total", 3}}},
      {"command", "casebook run " + id + " --seed 20211101 --n 100000"},
  };
}

// {"en": text, "ko": text}: what the runner writes for a text with no translation.
json in_both(const std::string& text) { return {{"en", text}, {"ko", text}}; }

std::vector<CasePage> two_cases() {
  CasePage iv;
  iv.id = "tripadvisor-membership-iv";
  iv.markdown_en =
      "# TripAdvisor membership\n\n## Situation\n\nMembers book more. The effect is $\\tau_{LATE} = E[Y_1 - "
      "Y_0]$.\n\n"
      "$$\n\\hat\\beta_{2SLS} = (Z'X)^{-1}Z'y\n$$\n\n[click](javascript:alert(1)) "
      "<script>alert(2)</script>\n";
  iv.markdown_ko = "## 상황\n\n회원은 더 많이 예약합니다. $\\tau_{LATE}$\n";
  const json iv_meta = {{"organization", in_both("TripAdvisor")},
                        {"domain", in_both("Travel")},
                        {"methods", {"instrumental variables", "2SLS"}},
                        {"flowchart", json::array()},
                        {"estimands", {{{"id", "late"}, {"type", "late"}}, {{"id", "ate"}, {"type", "ate"}}}},
                        {"sources",
                         {{{"title", "The paper"}, {"url", "https://example.com/paper"}},
                          {{"title", "Evil source"}, {"url", "javascript:alert(1)"}}}}};
  iv.results = results_for(
      iv.id,
      {{"en", "TripAdvisor membership <script>alert(1)</script>"}, {"ko", "트립어드바이저 회원 가입 효과"}},
      iv_meta, false);

  CasePage uber;
  uber.id = "uber-eats-did";
  uber.markdown_en = "## Situation\n\nNo math here.\n";
  const json uber_meta = {{"organization", in_both("Uber Eats")},
                          {"domain", in_both("Delivery")},
                          {"methods", {"difference-in-differences"}},
                          {"flowchart", json::array()},
                          {"estimands", json::array()},
                          {"sources", json::array()}};
  uber.results = results_for(uber.id, in_both("Uber Eats delivery fee"), uber_meta, true);
  iv.files = {{"case.json", "{\"id\": \"tripadvisor-membership-iv\"}\n"}, {"sample.csv", "z,t,y\n1,0,2.5\n"}};
  return {uber, iv};  // out of order on purpose: the site sorts by id
}

SiteOptions options() {
  SiteOptions o;
  o.theme_dir = kTheme;
  return o;
}

class RenderSite : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    root_ = fs::temp_directory_path() / ("casebook-site-test-" + std::to_string(device()));
    fs::create_directories(root_);
    out_ = root_ / "nested" / "site";
  }
  void TearDown() override { fs::remove_all(root_); }

  // The names in root_'s folder of out_ other than out_ itself (leftover temporaries).
  std::vector<std::string> siblings() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(out_.parent_path())) {
      if (entry.path() != out_) names.push_back(entry.path().filename().string());
    }
    return names;
  }

  fs::path root_;
  fs::path out_;
};

TEST_F(RenderSite, WritesPagesInBothLanguagesWithAssets) {
  const fs::path index = render_site(two_cases(), options(), out_);
  EXPECT_EQ(index, fs::absolute(out_) / "index.html");
  for (const char* file :
       {"index.html", "ko/index.html", "cases/tripadvisor-membership-iv.html", "cases/uber-eats-did.html",
        "ko/cases/tripadvisor-membership-iv.html", "ko/cases/uber-eats-did.html", "assets/style.css",
        "assets/print.css", "assets/print.js", "assets/math.js", "assets/katex/katex.min.js",
        "assets/katex/katex.min.css", "assets/katex/fonts/KaTeX_Main-Regular.woff2", ".casebook-site"}) {
    EXPECT_TRUE(fs::is_regular_file(out_ / file)) << file;
  }
  EXPECT_TRUE(siblings().empty());

  const std::string en_index = read_file(out_ / "index.html");
  const std::string ko_index = read_file(out_ / "ko/index.html");
  EXPECT_TRUE(contains(en_index, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(ko_index, "<html lang=\"ko\">"));
  EXPECT_TRUE(contains(en_index, "href=\"ko/index.html\""));
  EXPECT_TRUE(contains(ko_index, "href=\"../index.html\""));
  // Both cases listed, sorted by id, with organization, domain, methods and the claims tally.
  const auto iv_row = en_index.find("cases/tripadvisor-membership-iv.html");
  const auto uber_row = en_index.find("cases/uber-eats-did.html");
  ASSERT_NE(iv_row, std::string::npos);
  ASSERT_NE(uber_row, std::string::npos);
  EXPECT_LT(iv_row, uber_row);
  // The case's method names ("instrumental variables", "2SLS") lead to one method page.
  EXPECT_TRUE(contains(
      en_index, "<a href=\"methods/instrumental-variables.html\">Instrumental variables (2SLS, CACE)</a>"));
  EXPECT_EQ(en_index.find("methods/instrumental-variables.html"),
            en_index.rfind("methods/instrumental-variables.html"));
  EXPECT_TRUE(contains(en_index, "Delivery"));
  EXPECT_TRUE(contains(en_index, "2/3 claims pass"));
  EXPECT_TRUE(contains(en_index, "1/3 claims pass"));
  EXPECT_TRUE(contains(ko_index, "트립어드바이저 회원 가입 효과"));

  const std::string en_case = read_file(out_ / "cases/tripadvisor-membership-iv.html");
  EXPECT_TRUE(contains(en_case, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(en_case, "href=\"../ko/cases/tripadvisor-membership-iv.html\""));
  EXPECT_TRUE(contains(en_case, "TripAdvisor"));
  EXPECT_TRUE(contains(en_case, "Travel"));
  EXPECT_TRUE(contains(en_case, "2/3 claims pass"));
  EXPECT_TRUE(contains(en_case, "<span class=\"math inline\">\\tau_{LATE} = E[Y_1 - Y_0]</span>"));
  EXPECT_TRUE(contains(en_case, "<div class=\"math display\">"));
  // The markdown's own "# Title" is dropped: the page's title comes from case.json.
  EXPECT_EQ(en_case.find("<h1"), en_case.rfind("<h1"));
  EXPECT_TRUE(contains(en_case, "katex/katex.min.js"));
  // Analyses table: formatted numbers, CI, truth, |error|.
  EXPECT_TRUE(contains(en_case, "Two-stage least squares"));
  EXPECT_TRUE(contains(en_case, ">2.081<"));
  EXPECT_TRUE(contains(en_case, ">0.0512<"));
  EXPECT_TRUE(contains(en_case, "[1.981, 2.182]"));
  EXPECT_TRUE(contains(en_case, ">0.03123<"));  // |2.0812345 - 2.05|
  // Claims table with badges, observed, expected and the published figure.
  EXPECT_TRUE(contains(en_case, "<span class=\"badge pass\">pass</span>"));
  EXPECT_TRUE(contains(en_case, "<span class=\"badge skipped\">skipped</span>"));
  EXPECT_TRUE(contains(en_case, "covers 2.05 (truth of late)"));
  EXPECT_TRUE(contains(en_case, "TripAdvisor 2021"));
  EXPECT_TRUE(contains(en_case, "no ground truth"));
  // Diagnostics, rerun command, data preview.
  EXPECT_TRUE(contains(en_case, "first_stage_F"));
  EXPECT_TRUE(contains(en_case, ">1235<"));
  EXPECT_TRUE(contains(en_case, "weak-instrument robust"));
  // Named tables: a caption, the columns in order, numbers formatted, a dash where a value is null.
  EXPECT_TRUE(contains(en_case, "Covariate means of compliers and of everyone"));
  EXPECT_TRUE(contains(en_case, "<th scope=\"col\">covariate</th><th scope=\"col\">compliers</th>"));
  EXPECT_TRUE(contains(en_case, "<td>os_mac</td><td class=\"num\">0.6123</td><td>\u2014</td>"));
  EXPECT_TRUE(contains(en_case, "casebook run tripadvisor-membership-iv --seed 20211101 --n 100000"));
  EXPECT_TRUE(contains(en_case, "<td>-0.1235</td>"));
  // Sources: safe links linked, others shown as text.
  EXPECT_TRUE(contains(en_case, "href=\"https://example.com/paper\""));
  EXPECT_TRUE(contains(en_case, "Evil source"));

  const std::string uber_case = read_file(out_ / "cases/uber-eats-did.html");
  EXPECT_TRUE(contains(uber_case, "<span class=\"badge fail\">fail</span>"));
  EXPECT_FALSE(contains(uber_case, "katex"));  // no math, no KaTeX

  // Korean: the translation when there is one, else the English text with a notice.
  const std::string ko_iv = read_file(out_ / "ko/cases/tripadvisor-membership-iv.html");
  EXPECT_TRUE(contains(ko_iv, "<html lang=\"ko\">"));
  EXPECT_TRUE(contains(ko_iv, "<h2>상황</h2>"));
  EXPECT_TRUE(contains(ko_iv, "주장 3개 중 2개 통과"));
  EXPECT_TRUE(contains(ko_iv, "href=\"../../cases/tripadvisor-membership-iv.html\""));
  EXPECT_FALSE(contains(ko_iv, "번역되지 않았습니다"));
  const std::string ko_uber = read_file(out_ / "ko/cases/uber-eats-did.html");
  EXPECT_TRUE(contains(ko_uber, "번역되지 않았습니다"));
  EXPECT_TRUE(contains(ko_uber, "No math here."));
}

TEST_F(RenderSite, ScriptsAndJavascriptLinksAreInert) {
  render_site(two_cases(), options(), out_);
  const std::regex any_script_tag("<script(?![^>]*\\bsrc=\"[^\"]*assets/)", std::regex::icase);
  for (const auto& [file, text] : snapshot(out_)) {
    if (!file.ends_with(".html")) continue;
    EXPECT_FALSE(std::regex_search(text, any_script_tag)) << file;  // only our own asset scripts
    EXPECT_FALSE(contains(text, "javascript:alert")) << file;
    EXPECT_FALSE(contains(text, "href=\"javascript")) << file;
  }
  EXPECT_TRUE(contains(read_file(out_ / "index.html"), "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST_F(RenderSite, EveryInternalLinkResolvesAndNothingLeavesTheSite) {
  render_site(two_cases(), options(), out_);
  const std::regex attribute("(href|src)=\"([^\"]*)\"");
  const std::regex css_url("url\\(([^)]*)\\)");
  int checked = 0;
  for (const auto& [file, text] : snapshot(out_)) {
    const fs::path folder = (out_ / file).parent_path();
    if (file.ends_with(".html")) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), attribute); it != std::sregex_iterator();
           ++it) {
        const std::string name = (*it)[1];
        std::string target = (*it)[2];
        // Readers may follow links out of the site; the page itself never loads anything from outside.
        if (target.starts_with("https://") || target.starts_with("http://") ||
            target.starts_with("mailto:")) {
          EXPECT_EQ(name, "href") << file << ": " << target;
          EXPECT_FALSE(contains(text, "<link rel=\"stylesheet\" href=\"" + target)) << file;
          continue;
        }
        if (target.starts_with("#") || target.empty()) continue;
        EXPECT_FALSE(target.starts_with("/")) << file << ": absolute path " << target;
        EXPECT_EQ(target.find(':'), std::string::npos) << file << ": " << target;
        target = target.substr(0, target.find('#'));
        EXPECT_TRUE(fs::is_regular_file(folder / target)) << file << " links to missing " << target;
        ++checked;
      }
    } else if (file.ends_with(".css")) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), css_url); it != std::sregex_iterator();
           ++it) {
        std::string target = (*it)[1];
        if (target.size() >= 2 && (target.front() == '"' || target.front() == '\''))
          target = target.substr(1, target.size() - 2);
        EXPECT_FALSE(target.starts_with("http")) << file << " loads " << target;
        if (target.starts_with("data:")) continue;
        EXPECT_TRUE(fs::is_regular_file(folder / target)) << file << " loads missing " << target;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50);
}

// A reader can get to a rerun: the commands with the case's seed and n, the case's files and a
// sample published beside the page (and in the repository when its address is given), and what a
// run on their own file needs.
TEST_F(RenderSite, PublishesTheCasesFilesAndSaysHowToRerunAndRunOnYourData) {
  SiteOptions o = options();
  o.repository_url = "https://example.com/casebook/blob/main";
  render_site(two_cases(), o, out_);
  EXPECT_EQ(read_file(out_ / "cases" / "tripadvisor-membership-iv" / "sample.csv"), "z,t,y\n1,0,2.5\n");
  EXPECT_EQ(read_file(out_ / "cases" / "tripadvisor-membership-iv" / "case.json"),
            "{\"id\": \"tripadvisor-membership-iv\"}\n");
  for (const auto& [page, root] : {std::pair{"cases/tripadvisor-membership-iv.html", ""},
                                   {"ko/cases/tripadvisor-membership-iv.html", "../"}}) {
    SCOPED_TRACE(page);
    const std::string html = read_file(out_ / page);
    EXPECT_TRUE(contains(html,
                         "casebook simulate tripadvisor-membership-iv --seed 20211101 --n 100000 --out "
                         "tripadvisor-membership-iv.csv"));
    EXPECT_TRUE(contains(
        html, std::string("href=\"") + root + "../cases/tripadvisor-membership-iv/sample.csv\" download"));
    EXPECT_TRUE(contains(
        html, "href=\"https://example.com/casebook/blob/main/cases/tripadvisor-membership-iv/case.json\""));
    EXPECT_FALSE(contains(html, "blob/main/cases/tripadvisor-membership-iv/sample.csv"))
        << "the sample is not in the repository";
    EXPECT_TRUE(contains(html, "<code>z</code> <code>t</code> <code>y</code>"));
    EXPECT_TRUE(
        contains(html, "casebook run tripadvisor-membership-iv --data your.csv --map z=your_column_name"));
  }
  render_site(two_cases(), options(), out_);
  EXPECT_FALSE(
      contains(read_file(out_ / "cases" / "tripadvisor-membership-iv.html"), "example.com/casebook"));
}

// A long table (a staggered synthdid weighs every donor once per cohort) shows its first rows and
// says where the rest are; results.json, when published with the case, is linked as the results.
TEST_F(RenderSite, ALongTableShowsItsFirstRowsAndPointsToTheResultsDocument) {
  std::vector<CasePage> pages = two_cases();
  CasePage& iv = pages[1];
  json rows = json::array();
  for (int i = 0; i < 45; ++i) rows.push_back({{"unit", "donor" + std::to_string(i)}, {"weight", 0.01 * i}});
  iv.results["analyses"][0]["tables"].push_back(
      {{"id", "unit_weights"}, {"title", "Unit weights"}, {"columns", {"unit", "weight"}}, {"rows", rows}});
  iv.files.emplace_back("results.json", iv.results.dump(1));
  render_site(pages, options(), out_);
  const std::string en = read_file(out_ / "cases/tripadvisor-membership-iv.html");
  EXPECT_TRUE(contains(en, "<td>donor29</td>"));
  EXPECT_FALSE(contains(en, "<td>donor30</td>"));
  EXPECT_TRUE(contains(en, "… and 15 more rows: the whole table is in results.json"));
  EXPECT_TRUE(contains(en, "results.json</a> — the results document"));
  EXPECT_EQ(
      json::parse(read_file(out_ / "cases/tripadvisor-membership-iv/results.json"))["analyses"][0]["tables"]
          .back()["rows"]
          .size(),
      45u);
  EXPECT_TRUE(contains(read_file(out_ / "ko/cases/tripadvisor-membership-iv.html"), "… 외 15행"));
  // Only the long table says so: the one-row complier table does not.
  std::size_t notes = 0;
  for (auto at = en.find("class=\"more-rows\""); at != std::string::npos;
       at = en.find("class=\"more-rows\"", at + 1))
    ++notes;
  EXPECT_EQ(notes, 1u);
}

// Diagnostics read as a statistician reads them: a family as a table with its periods in numeric
// order (not as text: coef_-2 before coef_-9), a flag as yes/no, a p-value below rounding as such.
TEST_F(RenderSite, DiagnosticsAreTablesFlagsAndPValuesNotKeyDumps) {
  render_site(two_cases(), options(), out_);
  const std::string html = read_file(out_ / "cases" / "tripadvisor-membership-iv.html");
  const std::string block = html.substr(html.find("id=\"diagnostics-naive\""));
  EXPECT_FALSE(contains(block.substr(0, block.find("</section>")), "<dt>coef_"));
  const std::size_t minus9 = block.find("<th scope=\"row\">-9</th>"),
                    minus2 = block.find("<th scope=\"row\">-2</th>"),
                    zero = block.find("<th scope=\"row\">0</th>");
  ASSERT_NE(minus9, std::string::npos) << block.substr(0, 2000);
  EXPECT_LT(minus9, minus2);
  EXPECT_LT(minus2, zero);
  EXPECT_TRUE(contains(block, "<th scope=\"col\">period</th><th scope=\"col\">coef</th>"));
  EXPECT_TRUE(contains(block, "<dt>bounded</dt><dd class=\"num\">yes</dd>"));
  EXPECT_TRUE(contains(block, "<dt>trend_p</dt><dd class=\"num\">&lt; 1e-16</dd>"));
  const std::string ko = read_file(out_ / "ko" / "cases" / "tripadvisor-membership-iv.html");
  EXPECT_TRUE(contains(ko, "<dt>bounded</dt><dd class=\"num\">예</dd>"));
}

TEST_F(RenderSite, RenderingTwiceIsByteIdentical) {
  render_site(two_cases(), options(), out_);
  const auto first = snapshot(out_);
  render_site(two_cases(), options(), out_);  // replaces its own previous output
  EXPECT_EQ(snapshot(out_), first);
  const fs::path elsewhere = root_ / "other";
  std::vector<CasePage> reversed = two_cases();
  std::swap(reversed[0], reversed[1]);
  render_site(reversed, options(), elsewhere);
  EXPECT_EQ(snapshot(elsewhere), first);
  EXPECT_TRUE(siblings().empty());
}

TEST_F(RenderSite, RefusesAFolderThatIsNotACasebookSite) {
  write_file(out_ / "thesis.tex", "my work");
  EXPECT_THROW(render_site(two_cases(), options(), out_), InputError);
  try {
    render_site(two_cases(), options(), out_);
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), out_.filename().string())) << e.what();
  }
  EXPECT_EQ(snapshot(out_), (std::map<std::string, std::string>{{"thesis.tex", "my work"}}));
  EXPECT_TRUE(siblings().empty());
}

TEST_F(RenderSite, AcceptsAnEmptyFolderAndATrailingSlash) {
  fs::create_directories(out_);
  render_site(two_cases(), options(), out_.string() + "/");
  EXPECT_TRUE(fs::is_regular_file(out_ / "index.html"));
  EXPECT_TRUE(siblings().empty());
}

TEST_F(RenderSite, AFailedRenderLeavesThePreviousSite) {
  render_site(two_cases(), options(), out_);
  const auto before = snapshot(out_);
  // A theme without the case page template fails after the index is written.
  const fs::path broken = root_ / "theme";
  fs::copy(kTheme, broken, fs::copy_options::recursive);
  fs::remove(broken / "templates" / "case.mustache");
  SiteOptions o = options();
  o.theme_dir = broken;
  EXPECT_THROW(render_site(two_cases(), o, out_), InputError);
  EXPECT_EQ(snapshot(out_), before);
  EXPECT_TRUE(siblings().empty());
}

// A PDF can be asked for only in a language the site has; a failing printer (no such Chromium)
// leaves the previous site as it was.
TEST_F(RenderSite, PdfsInAnUnknownLanguageOrWithoutChromiumLeaveNoSite) {
  SiteOptions o = options();
  o.pdf_languages = {"fr"};
  EXPECT_THROW(render_site(two_cases(), o, out_), InputError);
  EXPECT_FALSE(fs::exists(out_));
  render_site(two_cases(), options(), out_);
  const auto before = snapshot(out_);
  o.pdf_languages = {"ko"};
  o.chromium = root_ / "no-such-chromium";
  EXPECT_THROW(render_site(two_cases(), o, out_), InputError);
  EXPECT_EQ(snapshot(out_), before);
  EXPECT_TRUE(siblings().empty());
}

TEST_F(RenderSite, RejectsCaseIdsThatAreNotFileNames) {
  std::vector<CasePage> cases = two_cases();
  cases[0].id = "../escape";
  EXPECT_THROW(render_site(cases, options(), out_), InputError);
  cases[0].id = cases[1].id;
  EXPECT_THROW(render_site(cases, options(), out_), InputError);
  EXPECT_FALSE(fs::exists(out_));
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// Links between cases as the repository writes them ("../<id>/case.md", with or without a
// fragment) point at the rendered pages; other links are left as written, however long.
TEST_F(RenderSite, CaseLinksPointAtPagesAndLongLinksDoNotCrash) {
  CasePage page;
  page.id = "qanda-uplift";
  const std::string long_link = "https://example.com/" + std::string(200000, 'a');
  page.markdown_en =
      "## Situation\n\nSee [the DiD case](../qanda-quiz-did/case.md#claims), "
      "[its Korean page](../qanda-quiz-did/case.ko.md), [a folder](../qanda-quiz-did/) "
      "and [a long link](" +
      long_link + ").\n";
  render_site({page}, options(), out_);
  const std::string html = read_file(out_ / "cases/qanda-uplift.html");
  EXPECT_GE(count_of(html, "href=\"qanda-quiz-did.html\""), 3u);
  EXPECT_FALSE(contains(html, "href=\"../qanda-quiz-did"));
  EXPECT_TRUE(contains(html, "href=\"" + long_link + "\""));
}

TEST_F(RenderSite, ACaseWithoutResultsStillRenders) {
  CasePage bare;
  bare.id = "qanda-uplift";
  bare.markdown_en = "## Situation\n\nNot run.\n";
  render_site({bare}, options(), out_);
  const std::string page = read_file(out_ / "cases/qanda-uplift.html");
  EXPECT_TRUE(contains(page, "This case has no results yet."));
  EXPECT_TRUE(contains(read_file(out_ / "index.html"), "not run yet"));
}

}  // namespace
}  // namespace casebook

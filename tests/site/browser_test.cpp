// The rendered site in a real browser: every case of the repository (run with its own seed)
// plus a synthetic case using every optional results key, loaded in headless Chromium. Checks:
// no console output (errors, failed scripts), math typeset by KaTeX in its own fonts, the table script ran,
// Korean pages say lang="ko", every internal link and #fragment resolves, and screenshots at
// 1280 and 390 pixels wide are written under the build folder (site-browser-test/).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/results.hpp"
#include "estimators/estimator.hpp"
#include "graph/graph_drawing.hpp"
#include "site/site.hpp"
#include "site_fixture.hpp"

namespace casebook {
namespace {
namespace fs = std::filesystem;
using testing::read_file;

const fs::path kRepo = CASEBOOK_SOURCE_DIR;
// The build folder: the casebook binary sits at its top.
const fs::path kOut = fs::path(CASEBOOK_BINARY).parent_path() / "site-browser-test";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string chromium_path() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(candidate)) return candidate;
  }
  return "";
}

struct BrowserRun {
  int status = -1;
  std::string dom;
  std::string log;
};

// One headless Chromium process per page, with a fresh profile and a hard timeout. Console
// messages (console.*, uncaught exceptions) appear in the log as "CONSOLE" lines.
BrowserRun run_chromium(const std::string& chromium, const std::string& action, const fs::path& page,
                        const std::string& tag) {
  const fs::path work = kOut / ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const fs::path profile = work / ("profile-" + tag);
  fs::remove_all(profile);
  const fs::path dom = work / ("dom-" + tag + ".html"), log = work / ("log-" + tag + ".txt");
  const std::string command =
      "timeout 60 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --disable-extensions --hide-scrollbars"
      " --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir='" +
      profile.string() + "' --enable-logging=stderr --v=0 --virtual-time-budget=5000 " + action +
      " 'file://" + page.string() + "' > '" + dom.string() + "' 2> '" + log.string() + "'";
  BrowserRun run;
  run.status = std::system(command.c_str());
  run.dom = read_file(dom);
  run.log = read_file(log);
  fs::remove_all(profile);
  return run;
}

std::vector<std::string> console_lines(const std::string& log) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < log.size()) {
    const auto end = log.find('\n', at);
    const std::string line = log.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (contains(line, ":CONSOLE")) lines.push_back(line);
    at = end == std::string::npos ? log.size() : end + 1;
  }
  return lines;
}

class SiteInBrowser : public ::testing::Test {
 protected:
  // Each test renders its own copy (ctest runs tests in parallel processes; a shared folder
  // would be replaced under a running browser).
  void SetUp() override {
    std::vector<CasePage> pages;
    for (const fs::path& dir : case_directories(kRepo / "cases")) {
      const Case c = load_case(dir);
      RunOptions run_options;
      run_options.refutations = false;  // the synthetic case carries refutations; this keeps the test quick
      const CaseRun run = run_case(c, run_options);
      pages.push_back({c.id,
                       read_file(dir / "case.md"),
                       fs::exists(dir / "case.ko.md") ? read_file(dir / "case.ko.md") : "",
                       results_document(c, run),
                       {{"case.json", read_file(dir / "case.json")}, {"sample.csv", "a,b\n1,2\n"}}});
    }
    pages.push_back(
        testing::case_with_every_result_key(render_svg("digraph g { launch -> orders; season -> orders }")));
    SiteOptions options;
    options.theme_dir = kRepo / "site";
    options.flowchart_file = kRepo / "templates" / "flowchart.json";
    for (const auto& info : estimator_registry()) options.estimators.push_back({info.name, info.summary});
    fs::create_directories(kOut);
    render_site(pages, options, site());
  }
  static fs::path site() {
    return kOut / ::testing::UnitTest::GetInstance()->current_test_info()->name() / "site";
  }
};

TEST_F(SiteInBrowser, EveryInternalLinkAndFragmentResolves) {
  const std::regex attribute("(href|src)=\"([^\"]*)\"");
  const std::regex id_attribute("\\bid=\"([^\"]*)\"");
  std::map<fs::path, std::set<std::string>> ids;
  const auto ids_of = [&](const fs::path& file) -> const std::set<std::string>& {
    auto found = ids.find(file);
    if (found != ids.end()) return found->second;
    std::set<std::string>& set = ids[file];
    const std::string text = read_file(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id_attribute); it != std::sregex_iterator();
         ++it)
      set.insert((*it)[1]);
    return set;
  };
  int pages = 0, links = 0;
  for (const auto& entry : fs::recursive_directory_iterator(site())) {
    if (entry.path().extension() != ".html") continue;
    ++pages;
    const std::string text = read_file(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), attribute); it != std::sregex_iterator();
         ++it) {
      std::string target = (*it)[2];
      if (target.starts_with("https://") || target.starts_with("http://") || target.starts_with("mailto:")) {
        EXPECT_EQ((*it)[1], "href") << entry.path() << " loads "
                                    << target;  // nothing is fetched from outside
        continue;
      }
      ASSERT_EQ(target.find(':'), std::string::npos) << entry.path() << ": " << target;
      const auto hash = target.find('#');
      const std::string fragment = hash == std::string::npos ? "" : target.substr(hash + 1);
      const fs::path file = hash == 0 ? entry.path() : entry.path().parent_path() / target.substr(0, hash);
      ASSERT_TRUE(fs::is_regular_file(file)) << entry.path() << " links to missing " << target;
      if (!fragment.empty() && file.extension() == ".html") {
        EXPECT_TRUE(ids_of(file).contains(fragment)) << entry.path() << " links to missing #" << fragment;
      }
      ++links;
    }
  }
  // 2 languages × (index, flowchart, methods index, 13 methods, the cases).
  EXPECT_GE(pages, 2 * (3 + 13 + 2));
  EXPECT_GT(links, 500);
}

TEST_F(SiteInBrowser, PagesLoadWithoutConsoleErrorsTypesetMathAndRunTheirScripts) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  struct Page {
    std::string file;
    bool math;
    bool korean;
  };
  const std::vector<Page> checked = {
      {"index.html", false, false},
      {"ko/index.html", false, true},
      {"cases/tripadvisor-membership-iv.html", true, false},
      {"ko/cases/tripadvisor-membership-iv.html", true, true},
      {"cases/synthetic-everything.html", true, false},
      {"ko/cases/synthetic-everything.html", true, true},
      {"flowchart.html", false, false},
      {"ko/flowchart.html", false, true},
      {"methods/instrumental-variables.html", true, false},
      {"ko/methods/difference-in-differences.html", true, true},
      {"ko/methods/index.html", false, true},
  };
  for (const Page& page : checked) {
    SCOPED_TRACE(page.file);
    ASSERT_TRUE(fs::is_regular_file(site() / page.file));
    std::string tag = page.file;
    for (char& c : tag) c = (c == '/' || c == '.') ? '-' : c;
    const BrowserRun run = run_chromium(chromium, "--dump-dom", site() / page.file, tag);
    ASSERT_EQ(run.status, 0) << run.log;
    ASSERT_TRUE(contains(run.dom, "</html>")) << "no DOM dumped";
    EXPECT_EQ(console_lines(run.log), std::vector<std::string>{}) << "console output";
    EXPECT_TRUE(contains(run.dom, page.korean ? "<html lang=\"ko\">" : "<html lang=\"en\">"));
    if (page.math) {
      // KaTeX replaced the TeX of every math element with its own markup, and no error box.
      EXPECT_TRUE(contains(run.dom, "class=\"katex\"")) << "math not typeset";
      EXPECT_FALSE(contains(run.dom, "katex-error"));
    }
    if (page.file.ends_with("index.html") && !contains(page.file, "methods")) {
      EXPECT_TRUE(contains(run.dom, "class=\"sort-button\"")) << "table.js did not run";
      EXPECT_TRUE(contains(run.dom, "type=\"search\""));
    }
  }
}

// KaTeX's output keeps KaTeX's fonts, in English and in Korean: a language's font rule that
// matched every element (":lang(ko) { font-family: … }") once overrode them, so formulas showed in
// the body font and ≠ as a box. A copy of each page beside it (its relative links still hold)
// records, once KaTeX has run, every typeset element whose computed font is not KaTeX's.
TEST_F(SiteInBrowser, MathIsSetInKaTeXFonts) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  // The MathML copy KaTeX adds for screen readers takes the browser's math font; only the
  // visible tree (.katex-html) is checked.
  const std::string probe =
      "<script>window.addEventListener('load', function () {"
      " var elements = document.querySelectorAll('.katex-html, .katex-html *'), other = [];"
      " elements.forEach(function (e) {"
      "  var font = getComputedStyle(e).fontFamily;"
      "  if (font.indexOf('KaTeX_') !== 0) other.push((e.getAttribute('class') || e.tagName) + ': ' + font);"
      " });"
      " document.body.setAttribute('data-katex-elements', elements.length);"
      " document.body.setAttribute('data-other-fonts', other.slice(0, 5).join('; '));"
      " var text = getComputedStyle(document.querySelector('main p'));"
      " document.body.setAttribute('data-text', text.fontFamily.split(',')[0] + ' / ' + text.wordBreak);"
      "});</script>";
  for (const std::string file :
       {"cases/tripadvisor-membership-iv.html", "ko/cases/tripadvisor-membership-iv.html",
        "ko/methods/difference-in-differences.html"}) {
    SCOPED_TRACE(file);
    std::string html = read_file(site() / file);
    const auto body_end = html.rfind("</body>");
    ASSERT_NE(body_end, std::string::npos);
    html.insert(body_end, probe);
    const fs::path copy = (site() / file).replace_filename("font-probe.html");
    std::ofstream(copy) << html;
    std::string tag = file;
    for (char& c : tag) c = (c == '/' || c == '.') ? '-' : c;
    const BrowserRun run = run_chromium(chromium, "--dump-dom", copy, tag);
    fs::remove(copy);
    ASSERT_EQ(run.status, 0) << run.log;
    std::smatch count, other;
    ASSERT_TRUE(std::regex_search(run.dom, count, std::regex("data-katex-elements=\"([0-9]+)\"")))
        << "the probe did not run";
    EXPECT_GT(std::stoi(count[1]), 10) << "math typeset";
    ASSERT_TRUE(std::regex_search(run.dom, other, std::regex("data-other-fonts=\"([^\"]*)\"")));
    EXPECT_EQ(other[1], "") << "KaTeX elements in another font";
    // The text around the math keeps its language's font and line breaking.
    std::smatch text;
    ASSERT_TRUE(std::regex_search(run.dom, text, std::regex("data-text=\"([^\"]*)\"")));
    EXPECT_EQ(text[1],
              file.starts_with("ko/") ? "&quot;Noto Sans KR&quot; / keep-all" : "system-ui / normal");
  }
}

TEST_F(SiteInBrowser, ScreenshotsAtDesktopAndPhoneWidths) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  const fs::path shots = kOut / "screenshots";
  fs::create_directories(shots);
  for (const auto& [file, name] : std::vector<std::pair<std::string, std::string>>{
           {"index.html", "index"},
           {"cases/tripadvisor-membership-iv.html", "case"},
           {"ko/cases/tripadvisor-membership-iv.html", "case-ko"},
           {"cases/synthetic-everything.html", "synthetic"},
           {"flowchart.html", "flowchart"},
           {"ko/methods/instrumental-variables.html", "method-ko"}}) {
    for (const int width : {1280, 390}) {
      const fs::path png = shots / (name + "-" + std::to_string(width) + ".png");
      fs::remove(png);
      const BrowserRun run = run_chromium(
          chromium, "--window-size=" + std::to_string(width) + ",2400 --screenshot='" + png.string() + "'",
          site() / file, name + std::to_string(width));
      ASSERT_EQ(run.status, 0) << run.log;
      const std::string bytes = read_file(png);
      ASSERT_GT(bytes.size(), 1000u) << png;
      EXPECT_EQ(bytes.substr(1, 3), "PNG") << png;
    }
  }
}

// site/math.js on its own: a formula that exhausts KaTeX (5,000 braces deep overflows its stack,
// which throwOnError does not cover) stays as its TeX, marked, and the formulas after it are typeset.
TEST(MathScript, AFormulaKaTeXCannotTypesetIsConfinedToItself) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  const fs::path katex = "/usr/share/javascript/katex/katex.min.js";
  if (!fs::exists(katex)) GTEST_SKIP() << "KaTeX is not installed (apt-get install katex)";
  const fs::path work = kOut / ::testing::UnitTest::GetInstance()->current_test_info()->name();
  fs::create_directories(work);  // run_chromium writes the DOM and the log here
  const std::string deep = std::string(5000, '{') + "x" + std::string(5000, '}');
  std::ofstream(work / "page.html")
      << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><script src=\"file://"
      << katex.string() << "\"></script><script src=\"file://" << (kRepo / "site" / "math.js").string()
      << "\"></script></head><body><p><span class=\"math inline\">a^2 + b^2</span></p><p><span "
         "class=\"math inline\">"
      << deep << "</span></p><div class=\"math display\">\\frac{1}{2}</div></body></html>";
  const BrowserRun run = run_chromium(chromium, "--dump-dom", work / "page.html", "math");
  ASSERT_EQ(run.status, 0) << run.log;
  std::size_t typeset = 0;
  for (std::size_t at = run.dom.find("class=\"katex\""); at != std::string::npos;
       at = run.dom.find("class=\"katex\"", at + 1))
    ++typeset;
  EXPECT_EQ(typeset, 2u) << "the formulas before and after the failing one";
  EXPECT_TRUE(contains(run.dom, "class=\"katex-display\""));
  EXPECT_TRUE(contains(run.dom, "math inline math-error")) << "the failing formula is marked";
  EXPECT_TRUE(contains(run.dom, deep)) << "and keeps its TeX";
  EXPECT_EQ(console_lines(run.log), std::vector<std::string>{}) << "no uncaught error";
}

}  // namespace
}  // namespace casebook

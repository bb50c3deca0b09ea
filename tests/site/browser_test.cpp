// The rendered site in a real browser: every case of the repository (run with its own seed)
// plus a synthetic case using every optional results key, loaded in headless Chromium. Checks:
// no console output (errors, failed scripts), math typeset by KaTeX in its own fonts, the table script ran,
// Korean pages say lang="ko", every internal link and #fragment resolves; every page at 390 and
// 1280 pixels wide neither scrolls sideways nor cuts text (tests/site/layout_probe.js measures
// it); the flowchart asks one question at a time on a phone; screenshots at 1280 and 390 pixels
// wide are written under the build folder (site-browser-test/screenshots/).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/case_results.hpp"
#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/results.hpp"
#include "estimators/estimator.hpp"
#include "graph/graph_drawing.hpp"
#include "site/flowchart.hpp"
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
      profile.string() + "' --enable-logging=stderr --v=0 --virtual-time-budget=15000 " + action +
      " 'file://" + page.string() + "' > '" + dom.string() + "' 2> '" + log.string() + "'";
  BrowserRun run;
  run.status = std::system(command.c_str());
  run.dom = read_file(dom);
  run.log = read_file(log);
  fs::remove_all(profile);
  return run;
}

// Headless Chromium makes no window narrower than 500 px (--window-size=390,… gives a 500-px
// viewport), so a page is seen at an exact width inside an <iframe> of that width, in a host page
// written into `folder`; each frame's `src` is relative to it (so may end in a #fragment) and its
// name is its index in `frames`.
struct Frame {
  std::string src;
  int width;
};

fs::path write_host(const fs::path& folder, const std::vector<Frame>& frames, int height,
                    const std::string& name) {
  std::string iframes;
  for (std::size_t i = 0; i < frames.size(); ++i)
    iframes += "<iframe name=\"" + std::to_string(i) + "\" src=\"" + frames[i].src +
               "\" style=\"width:" + std::to_string(frames[i].width) + "px;height:" + std::to_string(height) +
               "px\"></iframe>\n";
  // The frames are file:// pages, another origin: they post their measurements, and the host
  // writes them into its own DOM, which --dump-dom prints.
  const fs::path host = folder / (name + ".host.html");
  std::ofstream(host) << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body { margin: 0; "
                         "background: #8c959f; } iframe { display: block; border: 0; background: #fff; "
                         "margin-bottom: 8px; }</style></head><body>\n"
                      << iframes
                      << "<script>window.addEventListener('message', function (event) {"
                         " var out = document.createElement('pre'); out.className = 'layout';"
                         " out.textContent = event.data; document.body.appendChild(out); });</script>\n"
                         "</body></html>\n";
  return host;
}

std::string unescape_html(std::string text) {
  for (const auto& [entity, character] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&nbsp;", "\u00a0"}, {"&amp;", "&"}}) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + character.size()))
      text.replace(at, entity.size(), character);
  }
  return text;
}

// What tests/site/layout_probe.js measured in each of `files` (relative to `site`, each with an
// optional #fragment) at each width: by file, then by width; a frame that reported nothing is
// missing. Starting Chromium takes seconds here, so one process measures several pages.
std::map<std::string, std::map<int, nlohmann::json>> measure_layouts(const std::string& chromium,
                                                                     const fs::path& site,
                                                                     const std::vector<std::string>& files,
                                                                     const std::vector<int>& widths) {
  constexpr std::size_t kPagesPerBrowser = 8;
  std::map<std::string, std::map<int, nlohmann::json>> measured;
  for (std::size_t first = 0; first < files.size(); first += kPagesPerBrowser) {
    // A copy of each page with the probe, beside it so that its relative links hold.
    std::vector<Frame> frames;
    std::vector<std::string> frame_file;
    std::set<fs::path> copies;
    for (std::size_t i = first; i < files.size() && i < first + kPagesPerBrowser; ++i) {
      const auto hash = files[i].find('#');
      const fs::path page = files[i].substr(0, hash);
      const fs::path copy = fs::path(page).replace_filename(page.stem().string() + ".layout-probe.html");
      if (copies.insert(copy).second) {
        std::string html = read_file(site / page);
        const auto body_end = html.rfind("</body>");
        if (body_end == std::string::npos) continue;
        html.insert(body_end, "<script src=\"file://" + (kRepo / "tests/site/layout_probe.js").string() +
                                  "\"></script>");
        std::ofstream(site / copy) << html;
      }
      for (const int width : widths) {
        frames.push_back({copy.string() + (hash == std::string::npos ? "" : files[i].substr(hash)), width});
        frame_file.push_back(files[i]);
      }
    }
    const fs::path host = write_host(site, frames, 900, "layout");
    const BrowserRun run =
        run_chromium(chromium, "--window-size=1400,1000 --dump-dom", host, "layout-" + std::to_string(first));
    fs::remove(host);
    for (const fs::path& copy : copies) fs::remove(site / copy);
    const std::regex reported("<pre class=\"layout\">([^<]*)</pre>");
    for (auto it = std::sregex_iterator(run.dom.begin(), run.dom.end(), reported);
         it != std::sregex_iterator(); ++it) {
      const nlohmann::json result = nlohmann::json::parse(unescape_html((*it)[1]), nullptr, false);
      if (!result.is_object() || !result.contains("frame")) continue;
      const std::size_t frame = std::stoul(result["frame"].get<std::string>());
      if (frame < frames.size()) measured[frame_file[frame]][frames[frame].width] = result;
    }
  }
  return measured;
}

std::map<int, nlohmann::json> measure_layout(const std::string& chromium, const fs::path& site,
                                             const std::string& file, const std::vector<int>& widths) {
  return measure_layouts(chromium, site, {file}, widths)[file];
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
    for (const auto& [dir, c, results] : testing::every_case_results())
      pages.push_back({c.id,
                       read_file(dir / "case.md"),
                       fs::exists(dir / "case.ko.md") ? read_file(dir / "case.ko.md") : "",
                       results,
                       {{"case.json", read_file(dir / "case.json")}, {"sample.csv", "a,b\n1,2\n"}}});
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

// The containers that may scroll sideways inside a page: a table wider than the screen
// (.table-wrap; on a desktop only a case page's, whose data preview has a column per variable),
// code (pre), a formula longer than the line (KaTeX, in .math) and the whole flowchart, shown at a
// legible size on a phone. A chart that scrolls hides part of itself: it must fit.
bool may_scroll(const std::string& element, int width, bool case_page) {
  const auto has_class = [&](const std::string& name) {
    return std::regex_search(element, std::regex("\\." + name + "(\\.|$)"));
  };
  if (element.starts_with("pre") || has_class("math") || has_class("flowchart-svg")) return true;
  return has_class("table-wrap") && (width < 1000 || case_page);
}

// Everything a reader at `width` cannot see in one measurement of layout_probe.js, one line each;
// chart text shrunk below legibility counts too.
std::vector<std::string> layout_offenders(const nlohmann::json& m, int width, bool case_page) {
  std::vector<std::string> found;
  const auto describe = [](const nlohmann::json& e) {
    return e["element"].get<std::string>() + " \"" + e["text"].get<std::string>() + "\" (" +
           e["detail"].get<std::string>() + ")";
  };
  if (m["scrollWidth"].get<int>() > m["width"].get<int>())
    found.push_back("the page scrolls sideways: " + std::to_string(m["scrollWidth"].get<int>()) + " px wide");
  for (const auto& e : m["overflow"]) found.push_back("sticks out of the page: " + describe(e));
  for (const auto& e : m["clipped"]) found.push_back("cut off: " + describe(e));
  for (const auto& e : m["scrolling"])
    if (!may_scroll(e["element"].get<std::string>(), width, case_page))
      found.push_back("scrolls sideways: " + describe(e));
  // 14-px text in a 480-px chart shrunk to a phone's 361-px column is 10.5 px.
  if (!m["chartText"].is_null() && m["chartText"].get<double>() < 9.5)
    found.push_back("chart text shrunk to " + std::to_string(m["chartText"].get<double>()) + " px");
  return found;
}

class SiteLayout : public SiteInBrowser {
 protected:
  // Every page of the site whose path `select` accepts, at a phone's and a desktop's width: one
  // expectation per page naming what sticks out, is cut off or scrolls (at most 10 of them).
  void check_pages(const std::function<bool(const std::string&)>& select) {
    const std::string chromium = chromium_path();
    if (chromium.empty())
      GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(site())) {
      const std::string file = fs::relative(entry.path(), site()).string();
      if (entry.path().extension() == ".html" && select(file)) files.push_back(file);
    }
    std::sort(files.begin(), files.end());
    ASSERT_FALSE(files.empty());
    auto measured_pages = measure_layouts(chromium, site(), files, {kPhone, kDesktop});
    // A frame that posted nothing before Chromium dumped the page (the flowchart at 390 px, now and
    // then, on a loaded machine) is measured once more in a browser of its own; one that reports
    // nothing twice fails below.
    std::vector<std::string> unmeasured;
    for (const std::string& file : files)
      if (!measured_pages.contains(file) || measured_pages.at(file).size() < 2) unmeasured.push_back(file);
    if (!unmeasured.empty())
      std::cerr << "measuring again " << unmeasured.size() << " page(s) that reported nothing, first "
                << unmeasured.front() << "\n";
    for (auto& [file, by_width] : measure_layouts(chromium, site(), unmeasured, {kPhone, kDesktop}))
      for (auto& [width, result] : by_width) measured_pages[file].emplace(width, std::move(result));
    for (const std::string& file : files) {
      const bool case_page = contains(file, "cases/");
      const auto& measured =
          measured_pages.contains(file) ? measured_pages.at(file) : std::map<int, nlohmann::json>{};
      std::vector<std::string> offenders;
      for (const int width : {kPhone, kDesktop}) {
        const auto m = measured.find(width);
        ASSERT_NE(m, measured.end()) << file << ": nothing measured at " << width << " px";
        for (const std::string& line : layout_offenders(m->second, width, case_page))
          offenders.push_back(std::to_string(width) + " px: " + line);
      }
      std::string listed;
      for (std::size_t i = 0; i < offenders.size() && i < 10; ++i) listed += "\n  " + offenders[i];
      EXPECT_TRUE(offenders.empty()) << file << ": " << offenders.size() << " problems" << listed;
    }
  }
  static constexpr int kPhone = 390, kDesktop = 1280;
};

// The harness itself: a frame of 390 px gives the page a 390-px viewport (a window of 390 would
// give 500), and what a reader would miss is reported: text cut by its box, a long address that
// runs off the page, and an absolutely positioned element escaping a scrolling container that is
// not its containing block (KaTeX's copy of a formula for screen readers did so); a table may
// scroll on a phone but not on a desktop.
TEST(LayoutProbe, FramesGiveTheExactWidthAndTheProbeFindsWhatAReaderMisses) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  const fs::path work = kOut / ::testing::UnitTest::GetInstance()->current_test_info()->name();
  fs::create_directories(work);
  const std::string wide = "<span style=\"display: inline-block; width: 600px\">wide</span>";
  std::ofstream(work / "probe-check.html")
      << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width\"></head><body>"
         "<p style=\"overflow: hidden; width: 5em; white-space: nowrap\">a sentence much longer than five "
         "ems</p>"
         "<p>https://example.org/a/long/address/without/any/place/to/break/a/line</p>"
         "<div class=\"table-wrap\" style=\"overflow-x: auto; width: 200px; white-space: nowrap\">"
      << wide
      << "<span style=\"position: absolute\">escapes</span></div>"
         "<div class=\"table-wrap\" style=\"overflow-x: auto; width: 200px; white-space: nowrap; position: "
         "relative\">"
      << wide << "<span style=\"position: absolute\">stays</span></div></body></html>";
  const auto measured = measure_layout(chromium, work, "probe-check.html", {390, 1280});
  ASSERT_EQ(measured.size(), 2u);
  EXPECT_EQ(measured.at(390)["width"], 390);
  EXPECT_EQ(measured.at(1280)["width"], 1280);
  const auto joined = [](const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
  };
  const std::string phone = joined(layout_offenders(measured.at(390), 390, false));
  EXPECT_TRUE(contains(phone, "the page scrolls sideways")) << phone;
  EXPECT_TRUE(contains(phone, "sticks out of the page: p \"https://example.org")) << phone;
  EXPECT_TRUE(contains(phone, "sticks out of the page: span \"escapes\"")) << phone;
  EXPECT_TRUE(contains(phone, "cut off: p \"a sentence")) << phone;
  EXPECT_FALSE(contains(phone, "stays")) << phone;
  EXPECT_FALSE(contains(phone, "scrolls sideways: div.table-wrap")) << phone;
  EXPECT_EQ(layout_offenders(measured.at(390), 390, false).size(), 4u) << phone;
  const std::string desktop = joined(layout_offenders(measured.at(1280), 1280, false));
  EXPECT_TRUE(contains(desktop, "cut off: p \"a sentence")) << desktop;
  EXPECT_TRUE(contains(desktop, "scrolls sideways: div.table-wrap")) << desktop;
  EXPECT_FALSE(contains(desktop, "sticks out")) << desktop;
}

TEST_F(SiteLayout, IndexFlowchartAndMethodPagesFitAPhoneAndADesktop) {
  check_pages([](const std::string& file) { return !contains(file, "cases/"); });
}

TEST_F(SiteLayout, EnglishCasePagesFitAPhoneAndADesktop) {
  check_pages([](const std::string& file) { return file.starts_with("cases/"); });
}

TEST_F(SiteLayout, KoreanCasePagesFitAPhoneAndADesktop) {
  check_pages([](const std::string& file) { return file.starts_with("ko/cases/"); });
}

// On a phone the flowchart asks one question at a time: the first question, or the step the
// address names (a question, a leaf, or an answer inside a question); on a desktop every step
// shows. The whole tree, shown on request, keeps its natural size and scrolls.
TEST_F(SiteInBrowser, FlowchartAsksOneQuestionAtATimeOnAPhone) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  const site::Flowchart chart = site::Flowchart::load(kRepo / "templates" / "flowchart.json");
  const std::string start = "q-" + chart.start().id, last = "q-" + chart.questions().back().id;
  const site::FlowchartAnswer& leaf = *chart.leaves().back();
  const std::string leaf_question = "q-" + chart.question_of(leaf.id)->id;
  const auto steps = [](const nlohmann::json& m) {
    std::vector<std::string> ids;
    for (const auto& id : m["shown"])
      if (id.get<std::string>().starts_with("q-") || id.get<std::string>().starts_with("a-"))
        ids.push_back(id);
    return ids;
  };
  for (const std::string language : {"", "ko/"}) {
    const std::string page = language + "flowchart.html";
    const std::vector<std::pair<std::string, std::string>> fragments = {{"", start},
                                                                        {"#" + last, last},
                                                                        {"#a-" + leaf.id, "a-" + leaf.id},
                                                                        {"#answer-" + leaf.id, leaf_question},
                                                                        {"#diagram", start}};
    std::vector<std::string> files;
    for (const auto& [fragment, shown] : fragments) files.push_back(page + fragment);
    const auto measured = measure_layouts(chromium, site(), files, {390, 1280});
    for (const auto& [fragment, shown] : fragments) {
      SCOPED_TRACE(page + fragment);
      ASSERT_TRUE(measured.contains(page + fragment) && measured.at(page + fragment).size() == 2u);
      EXPECT_EQ(steps(measured.at(page + fragment).at(390)), std::vector<std::string>{shown});
      EXPECT_EQ(steps(measured.at(page + fragment).at(1280)).size(),
                chart.questions().size() + chart.leaves().size());
      // The whole tree at its natural size scrolls, when asked for.
      EXPECT_EQ(contains(measured.at(page + fragment).at(390)["scrolling"].dump(), "flowchart-svg"),
                fragment == "#diagram");
    }
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
      // The page in a frame of the exact width; at 390 the window's other 110 px show grey.
      const fs::path host = write_host(site(), {{file, width}}, 2400, "screenshot");
      const BrowserRun run = run_chromium(chromium,
                                          "--window-size=" + std::to_string(std::max(width, 500)) +
                                              ",2400 --screenshot='" + png.string() + "'",
                                          host, name + std::to_string(width));
      fs::remove(host);
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

// The case's graph is drawn once; graph.js shows the first analysis on it (TripAdvisor's naive
// comparison: the treatment and outcome filled, the open backdoor path through the latent
// affinity in red), and a link into a folded part opens it (details.js).
TEST_F(SiteInBrowser, TheGraphShowsTheSelectedAnalysisAndLinksOpenFoldedParts) {
  const std::string chromium = chromium_path();
  if (chromium.empty())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  const fs::path page = site() / "cases/tripadvisor-membership-iv.html";
  const BrowserRun run = run_chromium(chromium, "--dump-dom", page, "graph");
  ASSERT_EQ(run.status, 0) << run.log;
  EXPECT_TRUE(contains(run.dom, "<button type=\"button\" aria-pressed=\"true\" data-analysis=\"naive\""));
  EXPECT_TRUE(contains(run.dom, "class=\"node treatment hl hl-treatment hl-path\""));
  EXPECT_TRUE(contains(run.dom, "class=\"node outcome hl hl-outcome hl-path\""));
  EXPECT_TRUE(contains(run.dom, "class=\"node latent hl hl-path\""));
  EXPECT_TRUE(contains(run.dom, "class=\"edge hl hl-path\""));
  EXPECT_FALSE(contains(run.dom, "<details class=\"more\" id=\"diagnostics-details\" open"));

  const std::string opened =
      run_chromium(chromium, "--dump-dom", page.string() + "#diagnostics", "fragment").dom;
  EXPECT_TRUE(contains(opened, "<details class=\"more\" id=\"diagnostics-details\" open=\"\">"));
  EXPECT_FALSE(contains(opened, "<details class=\"more\" id=\"tables-details\" open"));
}

}  // namespace
}  // namespace casebook

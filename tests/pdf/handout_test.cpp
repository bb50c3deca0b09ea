// Every case's handout in both languages, as `casebook site --pdf` prints it beside the pages,
// read back with poppler-utils. Per PDF: no page is blank (pdftoppm, dark pixels above the page
// number), the first page holds the summary grid (every label and the result line, pdftotext of
// page 1), no figure is cut across a page boundary (see figures_cut), no math is left as raw
// TeX, Korean is set in an embedded Nanum Gothic subset and no glyph is drawn as a Type 3 font
// (the PDFs' font dictionaries), the page links its PDF and no link carries a file:// path, and
// the file stays under the size limits below. The run's time is printed; `ctest -L pdf`
// runs this alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../cli/cli_harness.hpp"
#include "core/input_error.hpp"
#include "site/pdf_printer.hpp"

namespace {

namespace fs = std::filesystem;
using casebook::testing::CliTest;
using casebook::testing::Outcome;
using casebook::testing::read_file;

// The largest English handout is ~400 kB (2026-12-06), most of it the causal graphs' dashed edges,
// which Chromium writes out dash by dash. Korean prints in Nanum Gothic, a TrueType font that
// Chromium's PDF writer (Skia) embeds as a subset: with Noto CJK, whose outlines are CFF, it drew
// every Hangul glyph as a Type 3 outline instead, and TripAdvisor's Korean handout was 904 kB; in
// Nanum Gothic it is 535 kB (2026-12-07). A Type 3 font in any handout means some text fell back
// to such a font (monospace ids and SVG labels did, until print.css gave them a Korean fallback).
// Chromium writes a circle as Bézier segments, more of them the larger it is drawn: the phone-legible
// charts' 480-unit viewBox drew the RD plot's 249 bin dots half as large again, at 32 segments
// each, and took airbnb-superhost-rdd's handout to 497 kB in English; a dotted border, printed as
// one rectangle per dot, added 28 kB per page of diagnostics. Smaller dots in dense series and
// solid rules in print brought it to 331 kB (Korean 600 → 432 kB), and tables show their first 30
// rows (2026-12-07).
constexpr std::size_t kMaxEnglishPdfBytes = 450 * 1000;
constexpr std::size_t kMaxKoreanPdfBytes = 600 * 1000;

bool on_path(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

// What the missing tools are, or "" when chromium and poppler-utils are both there.
std::string missing_tools() {
  std::string missing;
  try {
    casebook::site::find_chromium();
  } catch (const casebook::InputError&) {
    missing += "chromium ";
  }
  for (const char* tool : {"pdftotext", "pdftoppm", "pdfinfo"})
    if (!on_path(tool)) missing += std::string(tool) + " (poppler-utils) ";
  return missing;
}

std::string shell_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

// Text without any white space: pdftotext breaks lines where the page does, the HTML where its
// source does.
std::string squeezed(const std::string& text) {
  std::string out;
  for (const char c : text)
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') out += c;
  return out;
}

// Each page's text (pdftotext ends every page with a form feed).
std::vector<std::string> page_texts(const fs::path& pdf) {
  const std::string text = shell_output("pdftotext -enc UTF-8 '" + pdf.string() + "' -");
  std::vector<std::string> pages;
  std::size_t at = 0;
  for (auto end = text.find('\f'); end != std::string::npos; at = end + 1, end = text.find('\f', at))
    pages.push_back(text.substr(at, end - at));
  return pages;
}

// The pages with no ink above the footer (the page number): each page drawn at 50 dpi in grey,
// counting inked pixels (darker than light grey: small table text is grey at this resolution)
// above its bottom 8 %; a page of tables has thousands, a blank one none.
std::vector<int> blank_pages(const fs::path& pdf, const fs::path& work) {
  const fs::path prefix = work / (pdf.stem().string() + "-page");
  std::system(("pdftoppm -r 50 -gray '" + pdf.string() + "' '" + prefix.string() + "'").c_str());
  std::vector<int> blank;
  std::vector<fs::path> images;
  for (const auto& entry : fs::directory_iterator(work))
    if (entry.path().filename().string().starts_with(prefix.filename().string()) &&
        entry.path().extension() == ".pgm")
      images.push_back(entry.path());
  std::sort(images.begin(), images.end());
  for (std::size_t page = 0; page < images.size(); ++page) {
    const std::string pgm = read_file(images[page]);
    int width = 0, height = 0, max = 0, header = 0;
    EXPECT_EQ(std::sscanf(pgm.c_str(), "P5 %d %d %d%n", &width, &height, &max, &header), 3) << images[page];
    const std::size_t pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height * 92 / 100);
    int dark = 0;
    for (std::size_t i = 0; i < pixels && header + 1 + i < pgm.size(); ++i)
      dark += static_cast<unsigned char>(pgm[header + 1 + i]) < 200;
    if (dark < 200) blank.push_back(static_cast<int>(page) + 1);
    fs::remove(images[page]);
  }
  return blank;
}

std::string without_tags(const std::string& html) {
  static const std::regex tag("<[^>]*>");
  std::string text = std::regex_replace(html, tag, " ");
  for (const auto& [entity, character] :
       std::vector<std::pair<std::string, std::string>>{{"&lt;", "<"},
                                                        {"&gt;", ">"},
                                                        {"&quot;", "\""},
                                                        {"&#39;", "'"},
                                                        {"&#x27;", "'"},
                                                        {"&#45;", "-"},  // Graphviz writes '-' so
                                                        {"&mdash;", "\u2014"},
                                                        {"&amp;", "&"}}) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + character.size()))
      text.replace(at, entity.size(), character);
  }
  return text;
}

struct Figure {
  std::string caption;             // squeezed
  std::vector<std::string> texts;  // the words of the SVG's text elements
};

// The figures of a rendered page: caption and the words drawn inside the SVG.
std::vector<Figure> figures_of(const std::string& html) {
  static const std::regex figure("<figure[^>]*>([\\s\\S]*?)</figure>");
  static const std::regex caption("<figcaption>([\\s\\S]*?)</figcaption>");
  static const std::regex text("<text[^>]*>([\\s\\S]*?)</text>");
  std::vector<Figure> figures;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), figure); it != std::sregex_iterator(); ++it) {
    const std::string body = (*it)[1];
    Figure f;
    std::smatch found;
    if (std::regex_search(body, found, caption)) f.caption = squeezed(without_tags(found[1]));
    std::set<std::string> seen;
    for (auto t = std::sregex_iterator(body.begin(), body.end(), text); t != std::sregex_iterator(); ++t) {
      // Word by word: pdftotext may put a run in another font ("2×2" beside Hangul) out of order.
      std::istringstream words(without_tags((*t)[1]));
      for (std::string word; words >> word;)
        if (seen.insert(word).second) f.texts.push_back(word);
    }
    figures.push_back(std::move(f));
  }
  return figures;
}

// A figure is whole when one page holds its caption and every word drawn in it: a figure cut
// across a page boundary leaves its upper part's words on the page before its caption. (Words
// that also occur elsewhere on the caption's page can hide a cut; the caption and the SVG's
// first words — a chart's title row, a graph's top nodes — rarely both do.)
std::vector<std::string> figures_cut(const std::vector<Figure>& figures,
                                     const std::vector<std::string>& pages) {
  std::vector<std::string> cut;
  std::vector<std::string> squeezed_pages;
  for (const std::string& page : pages) squeezed_pages.push_back(squeezed(page));
  for (const Figure& f : figures) {
    bool whole = false;
    for (const std::string& page : squeezed_pages) {
      if (page.find(f.caption) == std::string::npos) continue;
      whole = std::all_of(f.texts.begin(), f.texts.end(),
                          [&](const std::string& t) { return page.find(t) != std::string::npos; });
      if (whole) break;
    }
    if (!whole) cut.push_back(f.caption);
  }
  return cut;
}

class Handouts : public CliTest {};

TEST_F(Handouts, EveryCaseInBothLanguagesPrintsWhole) {
  if (const std::string missing = missing_tools(); !missing.empty())
    GTEST_SKIP() << "not installed: " << missing << "(apt-get install chromium fonts-nanum poppler-utils; CI "
                 << "installs them)";
  const fs::path site = dir_ / "site";
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = run("site --pdf --out '" + site.string() + "'");
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::cout << "casebook site --pdf: " << seconds << " s\n";

  const nlohmann::json strings =
      nlohmann::json::parse(read_file(casebook::testing::kRepository / "site/strings.json"));
  // The grid's heading and its Result box are on every case page; the section boxes are those
  // whose section opens with a paragraph (a section opening with a table or a list has none).
  const std::regex card_label("<dt>([^<]*)</dt>");
  const std::regex tex_command("\\\\[a-zA-Z]{2,}");
  const std::regex nanum("/FontName /[A-Z]{6}\\+NanumGothic");
  int printed = 0;
  for (const auto& entry : fs::directory_iterator(casebook::testing::kRepository / "cases")) {
    const std::string id = entry.path().filename();
    for (const std::string lang : {"en", "ko"}) {
      SCOPED_TRACE(id + " " + lang);
      const std::string folder = lang == "ko" ? "ko/cases/" : "cases/";
      const fs::path pdf = site / (folder + id + "." + lang + ".pdf");
      ASSERT_TRUE(fs::is_regular_file(pdf)) << pdf;
      ++printed;
      const std::string html = read_file(site / (folder + id + ".html"));
      EXPECT_NE(html.find("href=\"" + id + "." + lang + ".pdf\""), std::string::npos)
          << "the page links its PDF";
      const std::string bytes = read_file(pdf);
      EXPECT_LE(bytes.size(), lang == "ko" ? kMaxKoreanPdfBytes : kMaxEnglishPdfBytes);
      EXPECT_EQ(bytes.find("file://"), std::string::npos) << "a link carries the folder it was printed from";

      const std::vector<std::string> pages = page_texts(pdf);
      ASSERT_GE(pages.size(), 2u);
      EXPECT_EQ(blank_pages(pdf, dir_), std::vector<int>{});
      const std::string first = squeezed(pages[0]);
      for (const char* key : {"card_title", "card_result"})
        EXPECT_NE(first.find(squeezed(strings[lang][key].get<std::string>())), std::string::npos)
            << "page 1 lacks the grid's " << key;
      const auto card_begin = html.find("<section class=\"summary-card\"");
      ASSERT_NE(card_begin, std::string::npos) << "no summary card";
      const std::string card = html.substr(card_begin, html.find("</section>", card_begin) - card_begin);
      int boxes = 0;
      for (auto it = std::sregex_iterator(card.begin(), card.end(), card_label); it != std::sregex_iterator();
           ++it, ++boxes)
        EXPECT_NE(first.find(squeezed((*it)[1])), std::string::npos)
            << "page 1 lacks the grid's " << (*it)[1];
      EXPECT_GE(boxes, 5);
      // The result line, the grid's last box, ends on page 1 too: "n/m claims pass".
      const std::string claims = strings[lang]["claims_summary"];
      EXPECT_NE(first.find(squeezed(claims.substr(claims.rfind('}') + 1))), std::string::npos)
          << "the result line spills over page 1";
      EXPECT_EQ(figures_cut(figures_of(html), pages), std::vector<std::string>{});
      for (std::size_t p = 0; p < pages.size(); ++p)
        EXPECT_FALSE(std::regex_search(pages[p], tex_command)) << "raw TeX on page " << p + 1;
      if (lang == "ko") {
        EXPECT_TRUE(std::regex_search(bytes, nanum)) << "no Nanum Gothic embedded";
      }
      EXPECT_EQ(bytes.find("/Subtype /Type3"), std::string::npos) << "some text fell back to a Type 3 font";
    }
  }
  EXPECT_GE(printed, 2 * 20);
}

}  // namespace

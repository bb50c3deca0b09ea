// The claims of a case page say by how much and in the page's language, on real cases run by the
// runner: a CI claim shows the estimate with its interval and the truth with its margin in SEs, a
// refutation expected to fail is not shown as an alarm, Monte Carlo rates carry their Monte
// Carlo error, a skipped refutation claim names the command that checks it, and nothing in the
// Korean claims table is English.
#include <cmath>
#include <filesystem>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../fixtures/case_results.hpp"
#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/results.hpp"
#include "site/format.hpp"
#include "site/site.hpp"
#include "site_fixture.hpp"

namespace casebook {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using testing::read_file;

const fs::path kRepo = fs::path(CASEBOOK_SOURCE_DIR);

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool has_hangul(const std::string& text) {
  // U+AC00–U+D7A3 are EA B0 80 – ED 9E A3 in UTF-8.
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0xEA && b <= 0xED) return true;
  }
  return false;
}

// The <tr>…</tr> of a claims-table row.
std::string row_of(const std::string& html, const std::string& claim_id) {
  const auto start = html.find("<tr id=\"claim-" + claim_id + "\"");
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</tr>", start) - start);
}

// A row's cells (the text between <td…> and </td>), in order.
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  for (auto at = row.find("<td"); at != std::string::npos; at = row.find("<td", at + 1)) {
    const auto open = row.find('>', at) + 1;
    cells.push_back(row.substr(open, row.find("</td>", open) - open));
  }
  return cells;
}

// The skip reason under a claim's text, or "".
std::string skip_reason_of(const std::string& text_cell) {
  const auto at = text_cell.find("<div class=\"skip-reason\">");
  return at == std::string::npos ? "" : text_cell.substr(at);
}

// Every <table class="…">…</table> of a page with that class.
std::vector<std::string> tables_of(const std::string& html, const std::string& css_class) {
  std::vector<std::string> tables;
  const std::string open = "<table class=\"" + css_class + "\">";
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1))
    tables.push_back(html.substr(at, html.find("</table>", at) - at));
  return tables;
}

// The English words of the site's claim wording (site/strings.json's expect_, skip_, margin_
// and status_ texts) that its Korean texts do not also use (command names such as casebook).
std::set<std::string> english_claim_words() {
  const json strings = json::parse(read_file(kRepo / "site" / "strings.json"));
  const std::regex word("[A-Za-z]{4,}");
  const auto words_of = [&](const std::string& lang) {
    std::set<std::string> words;
    for (const auto& [key, text] : strings.at(lang).items()) {
      if (!key.starts_with("expect_") && !key.starts_with("skip_") && !key.starts_with("margin_") &&
          !key.starts_with("status_"))
        continue;
      const std::string t = std::regex_replace(text.get<std::string>(), std::regex("\\{[a-z_]+\\}"), " ");
      for (auto it = std::sregex_iterator(t.begin(), t.end(), word); it != std::sregex_iterator(); ++it)
        words.insert(it->str());
    }
    return words;
  };
  std::set<std::string> english = words_of("en");
  for (const std::string& w : words_of("ko")) english.erase(w);
  return english;
}

class ClaimsTable : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    out_ = fs::temp_directory_path() / ("casebook-claims-table-" + std::to_string(device()));
  }
  void TearDown() override { fs::remove_all(out_); }

  // Runs the case as `casebook site` does (its results shared with the other tests,
  // tests/fixtures/case_results.hpp) or without refutations, renders its pages and returns its
  // results.
  json render_case(const std::string& id, bool refutations = true, std::size_t mc_reps = 0) {
    const fs::path dir = kRepo / "cases" / id;
    const Case c = load_case(dir);
    RunOptions run;
    run.refutations = refutations;
    json results = refutations ? testing::case_results(id).results : results_document(c, run_case(c, run));
    if (mc_reps > 0) {
      MonteCarloOptions mc;
      mc.reps = mc_reps;
      results["monte_carlo"] = monte_carlo_json(run_monte_carlo(c, mc));
    }
    SiteOptions options;
    options.theme_dir = kRepo / "site";
    options.flowchart_file = kRepo / "templates" / "flowchart.json";
    render_site({{c.id, read_file(dir / "case.md"), read_file(dir / "case.ko.md"), results, {}}}, options,
                out_);
    en_ = read_file(out_ / "cases" / (id + ".html"));
    ko_ = read_file(out_ / "ko" / "cases" / (id + ".html"));
    return results;
  }

  fs::path out_;
  std::string en_, ko_;
};

const json& analysis_of(const json& results, const std::string& id) {
  for (const json& a : results.at("analyses"))
    if (a.at("id") == id) return a;
  throw std::runtime_error("no analysis " + id);
}

TEST_F(ClaimsTable, ACiClaimShowsTheEstimateWithItsIntervalAndTheTruthWithItsMargin) {
  const json results = render_case("tripadvisor-membership-iv");
  const Case c = load_case(kRepo / "cases" / "tripadvisor-membership-iv");
  int checked = 0;
  for (const ClaimSpec& claim : c.claims) {
    if (claim.kind != ClaimKind::ci_covers) continue;
    SCOPED_TRACE(claim.id);
    const json& a = analysis_of(results, claim.analysis);
    const std::vector<std::string> cells = cells_of(row_of(en_, claim.id));
    ASSERT_GE(cells.size(), 4u);
    // Observed: the estimate and its CI, as the analyses table shows them.
    EXPECT_EQ(cells[2], site::format_value(a.at("estimate")) + " " +
                            site::format_interval(a.at("ci_low"), a.at("ci_high")));
    // Expected: the truth, and how far inside or outside the interval it lies in SEs.
    EXPECT_TRUE(contains(cells[3], "covers " + site::format_value(a.at("truth")))) << cells[3];
    const double truth = a.at("truth"), low = a.at("ci_low"), high = a.at("ci_high"), se = a.at("se");
    const double margin = std::min(truth - low, high - truth) / se;
    EXPECT_TRUE(contains(
        cells[3], fmt::format("<div class=\"margin\">{} the CI by {} SE</div>",
                              margin >= 0 ? "inside" : "outside", site::format_number(std::abs(margin), 2))))
        << cells[3];
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// A margin below 0 reads as outside, however close: CI [1.9996, 2.2] and a truth of 1.9995 both
// print as 2 to four digits.
TEST_F(ClaimsTable, ANearMissReadsAsOutside) {
  CasePage page = testing::case_with_every_result_key("");
  json& claim = page.results["claims"][0];
  claim["pass"] = false;
  claim["observed_ci"] = {1.9996, 2.2};
  claim["statement"]["numbers"]["truth"] = 1.9995;
  claim["margin_se"] = (1.9995 - 1.9996) / 0.1;
  SiteOptions options;
  options.theme_dir = kRepo / "site";
  render_site({page}, options, out_);
  const std::string en = row_of(read_file(out_ / "cases/synthetic-everything.html"), "did-covers");
  EXPECT_TRUE(contains(en, "outside the CI by 0.001 SE")) << en;
  EXPECT_TRUE(contains(en, "<span class=\"badge fail\">")) << en;
  const std::string ko = row_of(read_file(out_ / "ko/cases/synthetic-everything.html"), "did-covers");
  EXPECT_TRUE(contains(ko, "신뢰구간 밖으로 0.001 SE")) << ko;
}

TEST_F(ClaimsTable, ARefutationExpectedToFailIsNotShownAsAFailure) {
  const json results = render_case("tripadvisor-membership-iv");
  std::size_t expected_failures = 0, other_failures = 0;
  for (const json& r : results.at("refutations")) {
    if (r.at("pass") == true || r.at("assessable") == false) continue;
    ++(r.at("expected_to_fail") == true ? expected_failures : other_failures);
  }
  ASSERT_GT(expected_failures, 0u) << "the case has a refutation that fails as its claim expects";
  for (const auto& [page, label] :
       {std::pair{&en_, "failed, as expected"}, std::pair{&ko_, "예상대로 실패"}}) {
    const std::vector<std::string> tables = tables_of(*page, "refutations");
    ASSERT_EQ(tables.size(), 1u);
    std::size_t shown = 0;
    for (auto at = tables[0].find(label); at != std::string::npos; at = tables[0].find(label, at + 1))
      ++shown;
    EXPECT_EQ(shown, expected_failures);
    EXPECT_TRUE(contains(tables[0], "<span class=\"badge expected_fail\">"));
    // Red badges only for the failures no claim expected.
    std::size_t red = 0;
    for (auto at = tables[0].find("badge fail\""); at != std::string::npos;
         at = tables[0].find("badge fail\"", at + 1))
      ++red;
    EXPECT_EQ(red, other_failures);
  }
}

// Every claim kind's wording and every skip reason, in Korean on the Korean page: the runner's
// English "expected" never appears there.
TEST_F(ClaimsTable, TheKoreanClaimsTableIsKorean) {
  const std::set<std::string> english = english_claim_words();
  ASSERT_TRUE(english.contains("covers"));
  ASSERT_TRUE(english.contains("refutation"));
  // Between them: every claim kind, refutations expected to pass and to fail, and skipped ones.
  for (const auto& [id, refutations] :
       {std::pair{"tripadvisor-membership-iv", true}, std::pair{"roblox-avatar-shop-iv-weak-nudge", true},
        std::pair{"bing-cuped-ab-test", true}, std::pair{"qanda-quiz-did", false}}) {
    SCOPED_TRACE(id);
    const json results = render_case(id, refutations);
    for (const json& claim : results.at("claims")) {
      const std::string claim_id = claim.at("id");
      SCOPED_TRACE(claim_id);
      const std::vector<std::string> cells = cells_of(row_of(ko_, claim_id));
      ASSERT_GE(cells.size(), 4u);
      EXPECT_FALSE(contains(ko_, claim.at("expected").get<std::string>()));
      EXPECT_TRUE(has_hangul(cells[3])) << cells[3];
      // The result badge, the skip reason under the claim, the observation, what was expected.
      const std::string shown =
          std::regex_replace(cells[0] + " " + skip_reason_of(cells[1]) + " " + cells[2] + " " + cells[3],
                             std::regex("<[^>]*>"), " ");
      for (const std::string& word : english)
        EXPECT_FALSE(std::regex_search(shown, std::regex("\\b" + word + "\\b"))) << word << " in " << shown;
    }
  }
}

TEST_F(ClaimsTable, ASkippedRefutationClaimNamesTheCommandThatChecksIt) {
  const json results = render_case("qanda-quiz-did", /*refutations=*/false);
  const Case c = load_case(kRepo / "cases" / "qanda-quiz-did");
  int skipped = 0;
  for (const ClaimSpec& claim : c.claims) {
    if (claim.kind != ClaimKind::refutation) continue;
    ++skipped;
    for (const std::string* page : {&en_, &ko_}) {
      const std::string row = row_of(*page, claim.id);
      EXPECT_TRUE(contains(row, "badge skipped")) << row;
      EXPECT_TRUE(contains(row, "casebook mc --refutations")) << row;
      EXPECT_TRUE(contains(row, "casebook run")) << row;
    }
  }
  EXPECT_GT(skipped, 0);
}

TEST_F(ClaimsTable, MonteCarloRatesCarryTheirMonteCarloError) {
  const json results = render_case("qanda-quiz-did", /*refutations=*/true, /*mc_reps=*/3);
  const json& mc = results.at("monte_carlo");
  for (const std::string* page : {&en_, &ko_}) {
    const auto section = page->find("id=\"monte-carlo\"");
    ASSERT_NE(section, std::string::npos);
    const std::string html = page->substr(section);
    for (const json& a : mc.at("analyses")) {
      const double p = a.at("coverage"), reps = a.at("reps");
      // ± one Monte Carlo SE, sqrt(p (1 − p) / R), computed here from the rate and R alone.
      EXPECT_TRUE(
          contains(html, fmt::format(">{:.1f}% ± {:.1f}%<", 100 * p, 100 * std::sqrt(p * (1 - p) / reps))))
          << a.at("id");
      const json& interval = a.at("coverage_interval");
      EXPECT_LE(interval[0].get<double>(), p);
      EXPECT_GE(interval[1].get<double>(), p);
      EXPECT_TRUE(contains(html, fmt::format(">[{:.1f}%, {:.1f}%]<", 100 * interval[0].get<double>(),
                                             100 * interval[1].get<double>())));
    }
    int rates = 0;
    for (const json& claim : mc.at("claims")) {
      if (!claim.at("pass_rate").is_number()) {
        EXPECT_TRUE(contains(html, "casebook mc --refutations")) << claim.at("id");  // never checked: why
        continue;
      }
      const double p = claim.at("pass_rate"),
                   r = claim.at("passed").get<double>() + claim.at("failed").get<double>();
      EXPECT_TRUE(
          contains(html, fmt::format(">{:.1f}% ± {:.1f}%", 100 * p, 100 * std::sqrt(p * (1 - p) / r))));
      ++rates;
    }
    EXPECT_GT(rates, 0);
  }
}

}  // namespace
}  // namespace casebook

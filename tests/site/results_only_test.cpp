// The site renders every real case from its results alone (no Chromium here): a key the site
// requires and does not find stops the render with one line naming the case and the key's path,
// while the schema's optional keys may be absent.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "../fixtures/case_results.hpp"
#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/results.hpp"
#include "core/input_error.hpp"
#include "site/html_text.hpp"
#include "site/site.hpp"
#include "site_fixture.hpp"

namespace casebook {
namespace {
namespace fs = std::filesystem;

const fs::path kRepo = fs::path(CASEBOOK_SOURCE_DIR);

// Every real case as `casebook site` makes it, run once for the suite.
const std::vector<CasePage>& real_cases() {
  static const std::vector<CasePage> pages = [] {
    std::vector<CasePage> out;
    for (const auto& [dir, c, written] : testing::every_case_results()) {
      nlohmann::json results = written;
      if (c.id == "qanda-quiz-did") {  // one case shows a Monte Carlo block, as after `casebook mc`
        MonteCarloOptions mc;
        mc.reps = 2;
        results["monte_carlo"] = monte_carlo_json(run_monte_carlo(c, mc));
      }
      out.push_back({c.id,
                     testing::read_file(dir / "case.md"),
                     fs::exists(dir / "case.ko.md") ? testing::read_file(dir / "case.ko.md") : "",
                     std::move(results),
                     {}});
    }
    return out;
  }();
  return pages;
}

class ResultsOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    out_ = fs::temp_directory_path() / ("casebook-results-only-" + std::to_string(device()));
    options_.theme_dir = kRepo / "site";
    options_.flowchart_file = kRepo / "templates" / "flowchart.json";
  }
  void TearDown() override { fs::remove_all(out_); }

  // The one-line error of a render that must fail, or "" when it succeeds.
  std::string render_error(const std::vector<CasePage>& pages) {
    try {
      render_site(pages, options_, out_);
      return "";
    } catch (const InputError& e) {
      return e.what();
    }
  }

  fs::path out_;
  SiteOptions options_;
};

TEST_F(ResultsOnly, EveryRealCaseRendersWithoutAMissingKey) {
  ASSERT_GE(real_cases().size(), 6u);
  EXPECT_EQ(render_error(real_cases()), "");
  for (const CasePage& page : real_cases()) {
    const std::string html = testing::read_file(out_ / "cases" / (page.id + ".html"));
    // Facts that used to come from case.json now come from the results.
    EXPECT_NE(html.find(site::escape_html(page.results["meta"]["organization"]["en"].get<std::string>())),
              std::string::npos)
        << page.id;
    EXPECT_NE(html.find("class=\"claims-summary\""), std::string::npos) << page.id;
  }
  EXPECT_NE(testing::read_file(out_ / "cases/qanda-quiz-did.html").find("id=\"monte-carlo\""),
            std::string::npos);
}

TEST_F(ResultsOnly, ADeletedRequiredKeyStopsTheRenderNamingIt) {
  for (const char* pointer : {"/meta", "/meta/domain", "/primary_analysis", "/summary/claims_passed",
                              "/analyses/1/ci_low", "/analyses/0/identification/reason", "/claims/0/observed",
                              "/data/preview", "/graph/dot", "/command"}) {
    std::vector<CasePage> pages = real_cases();
    CasePage& page = pages.front();
    const nlohmann::json::json_pointer key(pointer);
    page.results[key.parent_pointer()].erase(key.back());
    const std::string error = render_error(pages);
    EXPECT_EQ(error, "results of case " + page.id + ": missing required key " + pointer +
                         " (see templates/results.schema.json)");
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(out_));  // nothing half-written
}

TEST_F(ResultsOnly, OptionalKeysMayBeAbsent) {
  std::vector<CasePage> pages = real_cases();
  for (CasePage& page : pages) {
    page.results.erase("monte_carlo");
    page.results["meta"].erase("summary");
    for (auto& a : page.results["analyses"]) a.erase("label_ko");
    for (auto& c : page.results["claims"]) {
      c.erase("text_ko");
      c.erase("published");
      c.erase("skip_reason");
      c.erase("skip_phrase");
      c.erase("observed_ci");
      c.erase("margin_se");
    }
  }
  EXPECT_EQ(render_error(pages), "");
}

}  // namespace
}  // namespace casebook

// templates/results.schema.json describes what the runner writes: the results of every real case
// (with its own seed) validate, and so does one carrying a Monte Carlo block; a document with a
// required key deleted does not, and the verdict names where.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../fixtures/case_results.hpp"
#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "cases/monte_carlo.hpp"
#include "cases/results.hpp"
#include "schema_validation.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;
const fs::path kSchema = testing::kRepositoryRoot / "templates/results.schema.json";

class ResultsSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("casebook-results-schema-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const nlohmann::json& document) const {
    const fs::path file = dir_ / name;
    std::ofstream(file) << document.dump(1);
    return file;
  }

  // Every real case's results (tests/fixtures/case_results.hpp).
  static const std::vector<std::pair<std::string, nlohmann::json>>& every_case() {
    static const auto documents = [] {
      std::vector<std::pair<std::string, nlohmann::json>> out;
      for (const auto& r : testing::every_case_results()) out.emplace_back(r.spec.id, r.results);
      return out;
    }();
    return documents;
  }

  fs::path dir_;
};

TEST_F(ResultsSchema, EveryCasesResultsAreValid) {
  std::vector<fs::path> files;
  for (const auto& [id, document] : every_case()) files.push_back(write(id + ".json", document));
  ASSERT_GE(files.size(), 6u);
  const auto verdicts = testing::schema_verdicts(kSchema, files);
  ASSERT_EQ(verdicts.size(), files.size()) << "python3-jsonschema did not answer for every file";
  for (const auto& file : files) {
    const auto& v = verdicts.at(file.string());
    EXPECT_EQ(v.verdict, "valid") << file.filename() << ": " << v.reason;
  }
}

TEST_F(ResultsSchema, AMonteCarloBlockIsValid) {
  const Case c = load_case(testing::kRepositoryRoot / "cases/qanda-quiz-did");
  MonteCarloOptions options;
  options.reps = 2;
  nlohmann::json document = results_document(c, run_case(c, {}));
  document["monte_carlo"] = monte_carlo_json(run_monte_carlo(c, options));
  const fs::path file = write("with-monte-carlo.json", document);
  const auto v = testing::schema_verdicts(kSchema, {file}).at(file.string());
  EXPECT_EQ(v.verdict, "valid") << v.reason;
}

// Each key is required where it sits; deleting it is caught and the verdict names the object.
TEST_F(ResultsSchema, ADeletedRequiredKeyIsCaughtWithItsPath) {
  const nlohmann::json& valid = every_case().front().second;
  const std::vector<std::pair<std::string, std::string>> deletions{
      {"/meta/organization", "meta: 'organization' is a required property"},
      {"/primary_analysis", ": 'primary_analysis' is a required property"},
      {"/analyses/0/se_type", "analyses/0: 'se_type' is a required property"},
      {"/analyses/0/terms", "analyses/0: 'terms' is a required property"},
      {"/analyses/0/identification/treatment",
       "analyses/0/identification: 'treatment' is a required property"},
      {"/claims/0/expected", "claims/0: 'expected' is a required property"},
      {"/summary/claims_total", "summary: 'claims_total' is a required property"},
  };
  std::vector<fs::path> files;
  for (std::size_t i = 0; i < deletions.size(); ++i) {
    nlohmann::json broken = valid;
    const nlohmann::json::json_pointer key(deletions[i].first);
    broken[key.parent_pointer()].erase(key.back());
    files.push_back(write("broken-" + std::to_string(i) + ".json", broken));
  }
  nlohmann::json unknown_key = valid;
  unknown_key["analyses"][0]["estimat"] = 1.0;  // a typo: the shape is fixed
  files.push_back(write("unknown-key.json", unknown_key));
  const auto verdicts = testing::schema_verdicts(kSchema, files);
  for (std::size_t i = 0; i < deletions.size(); ++i) {
    const auto& v = verdicts.at(files[i].string());
    EXPECT_EQ(v.verdict, "invalid") << deletions[i].first;
    EXPECT_EQ(v.reason, deletions[i].second) << deletions[i].first;
  }
  const auto& typo = verdicts.at(files.back().string());
  EXPECT_EQ(typo.verdict, "invalid");
  EXPECT_NE(typo.reason.find("analyses/0: Additional properties are not allowed ('estimat'"),
            std::string::npos)
      << typo.reason;
}

TEST_F(ResultsSchema, CarriesTheCaseMetadataAndTheHeadlineAnalysis) {
  for (const auto& [id, document] : every_case()) {
    SCOPED_TRACE(id);
    const Case c = load_case(testing::kRepositoryRoot / "cases" / id);
    EXPECT_EQ(document["case"], id);
    EXPECT_EQ(document["meta"]["methods"], c.methods);
    EXPECT_EQ(document["meta"]["organization"]["en"], c.organization);
    EXPECT_EQ(document["meta"]["organization"]["ko"],
              c.organization_ko.empty() ? c.organization : c.organization_ko);
    EXPECT_EQ(document["meta"]["sources"].size(), c.sources.size());
    EXPECT_EQ(document["meta"].contains("summary"), !c.summary.empty());
    // The headline is one of the analyses; with a ci_covers claim, the one it checks (the default rule,
    // tested in full in primary_analysis_test).
    EXPECT_NO_THROW(c.analysis(document["primary_analysis"].get<std::string>()));
    const auto covers = std::find_if(c.claims.begin(), c.claims.end(), [](const ClaimSpec& claim) {
      return claim.kind == ClaimKind::ci_covers;
    });
    if (covers != c.claims.end()) {
      EXPECT_EQ(document["primary_analysis"], covers->analysis);
    }
  }
}

// Each diagnostic that is not a plain number says how to read it, from its declaration: the event
// study's coef_{period} and se_{period} are families, the Anderson–Rubin set's bounded flag a
// boolean, the pre-trend test's p a p-value; a plain number has no entry.
TEST_F(ResultsSchema, SaysHowToReadEachDiagnosticFromItsDeclaration) {
  std::map<std::string, std::string> seen;  // kind → an example "case/analysis/name"
  for (const auto& [id, document] : every_case())
    for (const auto& a : document["analyses"]) {
      for (const auto& [name, kind] : a["diagnostic_kinds"].items()) {
        ASSERT_TRUE(a["diagnostics"].contains(name)) << id << ": " << name;
        seen.emplace(kind.get<std::string>(), id + "/" + a["id"].get<std::string>() + "/" + name);
      }
      if (a["estimator"] == "event-study") {
        EXPECT_EQ(a["diagnostic_kinds"]["coef_-2"], "family:coef_{period}") << id;
        EXPECT_EQ(a["diagnostic_kinds"]["se_0"], "family:se_{period}") << id;
        EXPECT_EQ(a["diagnostic_kinds"]["pretrend_p"], "p_value") << id;
        EXPECT_FALSE(a["diagnostic_kinds"].contains("pretrend_F")) << id;
      }
      if (a["diagnostics"].contains("anderson_rubin_bounded")) {
        EXPECT_EQ(a["diagnostic_kinds"]["anderson_rubin_bounded"], "boolean") << id;
      }
      if (a["diagnostics"].contains("blp_age_se")) {  // the most specific declaration wins
        EXPECT_EQ(a["diagnostic_kinds"]["blp_age_se"], "family:blp_{term}_se") << id;
      }
    }
  EXPECT_TRUE(seen.contains("boolean"));
  EXPECT_TRUE(seen.contains("p_value"));
  EXPECT_TRUE(seen.contains("family:coef_{period}"));
}

}  // namespace
}  // namespace casebook

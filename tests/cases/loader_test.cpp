#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "broken_cases.hpp"
#include "cases/case.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"

namespace casebook {
namespace {

TEST(CaseLoader, TemplateCaseLoads) {
  const Case c = parse_case(testing::template_case("base-case"), "case.json", "base-case");
  EXPECT_EQ(c.id, "base-case");
  ASSERT_EQ(c.analyses.size(), 2u);
  EXPECT_EQ(c.analyses[1].args.covariates, std::vector<std::string>{"x"});
  EXPECT_EQ(c.analyses[0].estimand, "ate");  // the first estimand by default
  EXPECT_EQ(c.analyses[0].args.se_type, "hc1");
  EXPECT_EQ(c.simulation.variables[1].role, Role::treatment);
  EXPECT_EQ(c.claims[0].kind, ClaimKind::ci_covers);
}

TEST(CaseLoader, MatchingAnalysesGetOnlyThePlaceboByDefault) {
  // Subsets, bootstrap samples and a made-up covariate all re-pair matched units, so their spread is
  // not the SE's (the data-subsets band failed 12–15% of valid psm runs): only the placebo is a default.
  nlohmann::json doc = testing::template_case("base-case");
  doc["analyses"][1]["estimator"] = "psm";
  doc.erase("refutations");
  const Case c = parse_case(doc, "case.json", "base-case");
  std::vector<std::string> second;
  for (const auto& spec : c.refutations)
    if (spec.analysis == c.analyses[1].id) second.push_back(spec.refuter);
  EXPECT_EQ(second, std::vector<std::string>{"placebo-treatment"});
  doc["analyses"][1]["estimator"] = "ols";
  const Case ols = parse_case(doc, "case.json", "base-case");
  std::size_t ols_refutations = 0;
  for (const auto& spec : ols.refutations) ols_refutations += spec.analysis == ols.analyses[1].id;
  EXPECT_EQ(ols_refutations, 3u);  // placebo-treatment, data-subsets, random-common-cause
}

TEST(CaseLoader, EveryBrokenCaseNamesTheField) {
  for (const auto& broken : testing::broken_cases()) {
    nlohmann::json doc = testing::template_case("base-case");
    broken.mutate(doc);
    try {
      parse_case(doc, "cases/base-case/case.json", "base-case");
      ADD_FAILURE() << broken.name << ": accepted";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("cases/base-case/case.json"), std::string::npos)
          << broken.name << ": " << message;
      EXPECT_NE(message.find(broken.message), std::string::npos)
          << broken.name << ": expected '" << broken.message << "' in: " << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << broken.name << ": not one line";
    }
  }
}

TEST(CaseLoader, MalformedJsonNamesLineAndColumn) {
  try {
    parse_json_file_text("{\n  \"id\": \"x\",\n  \"title\" {}\n}", "case.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "case.json: line 3 column 11: malformed JSON");
  }
}

TEST(CaseLoader, TruncatedJsonSaysSo) {
  try {
    parse_json_file_text("{\n  \"id\": \"x\",\n  \"analyses\": [", "case.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

TEST(CaseLoader, CaseIdRule) {
  EXPECT_TRUE(is_valid_case_id("tripadvisor-membership-iv"));
  EXPECT_TRUE(is_valid_case_id("a1"));
  for (const char* bad : {"", "..", "../x", "a/b", "-a", "A", "a b", "a_b", "a.b"})
    EXPECT_FALSE(is_valid_case_id(bad)) << bad;
  EXPECT_THROW(require_valid_case_id("../x"), InputError);
}

TEST(CaseLoader, LoadsFromFolderAndChecksFileExists) {
  const auto dir = std::filesystem::temp_directory_path() / "casebook-loader-test" / "base-case";
  std::filesystem::remove_all(dir.parent_path());
  std::filesystem::create_directories(dir);
  EXPECT_THROW(load_case(dir), InputError);  // no case.json
  std::ofstream(dir / "case.json") << testing::template_case("base-case").dump(2);
  EXPECT_EQ(load_case(dir).id, "base-case");
  EXPECT_EQ(case_directories(dir.parent_path()).size(), 1u);
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace casebook

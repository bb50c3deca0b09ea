// templates/case.schema.json and the C++ loader accept the same documents: every case in cases/,
// and every broken variant that JSON Schema can judge (the others break references between
// fields, which only the loader checks, and the schema must still accept their structure).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "broken_cases.hpp"
#include "cases/case.hpp"
#include "core/input_error.hpp"
#include "schema_validation.hpp"

namespace casebook {
namespace {

const std::filesystem::path kRoot = testing::kRepositoryRoot;

// File → "valid" or "invalid", as python3-jsonschema judges it against templates/case.schema.json.
std::map<std::string, std::string> schema_verdicts(const std::vector<std::filesystem::path>& files) {
  std::map<std::string, std::string> verdicts;
  for (const auto& [file, verdict] : testing::schema_verdicts(kRoot / "templates/case.schema.json", files))
    verdicts[file] = verdict.verdict;
  return verdicts;
}

TEST(SchemaAgreement, EveryCaseIsValidForBoth) {
  std::vector<std::filesystem::path> files;
  for (const auto& dir : case_directories(kRoot / "cases")) {
    EXPECT_NO_THROW(load_case(dir)) << dir;
    files.push_back(dir / "case.json");
  }
  ASSERT_FALSE(files.empty());
  const auto verdicts = schema_verdicts(files);
  ASSERT_EQ(verdicts.size(), files.size()) << "python3-jsonschema did not answer for every file";
  for (const auto& f : files) EXPECT_EQ(verdicts.at(f.string()), "valid") << f;
}

TEST(SchemaAgreement, BrokenCasesAreRejectedByBothOrExplainedAsReferences) {
  const auto dir = std::filesystem::temp_directory_path() / "casebook-schema-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<std::filesystem::path> files;
  const auto& broken = testing::broken_cases();
  for (std::size_t i = 0; i < broken.size(); ++i) {
    nlohmann::json doc = testing::template_case("base-case");
    broken[i].mutate(doc);
    files.push_back(dir / ("broken-" + std::to_string(i) + ".json"));
    std::ofstream(files.back()) << doc.dump(2);
  }
  files.push_back(dir / "template.json");
  std::ofstream(files.back()) << testing::template_case("base-case").dump(2);

  const auto verdicts = schema_verdicts(files);
  ASSERT_EQ(verdicts.size(), files.size()) << "python3-jsonschema did not answer for every file";
  EXPECT_EQ(verdicts.at(files.back().string()), "valid");
  for (std::size_t i = 0; i < broken.size(); ++i) {
    EXPECT_EQ(verdicts.at(files[i].string()), broken[i].schema_rejects ? "invalid" : "valid")
        << broken[i].name;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace casebook

// A case's "methods" must name method pages of the project (site/methods/methods.json), by id or
// alias, so that the site's method index and the flowchart reach the case.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cases/case.hpp"
#include "core/input_error.hpp"
#include "core/json_cursor.hpp"
#include "schema_validation.hpp"

namespace casebook {
namespace {

namespace fs = std::filesystem;

// A project holding the repository's method pages and one real case with the given methods.
fs::path project_with_methods(const nlohmann::json& methods) {
  const fs::path root = fs::temp_directory_path() / ("casebook-case-methods-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const std::string id = "tripadvisor-membership-iv";
  fs::create_directories(root / "cases" / id);
  fs::create_directories(root / "site/methods");
  fs::copy_file(testing::kRepositoryRoot / "site/methods/methods.json", root / "site/methods/methods.json");
  nlohmann::json document = read_json_file((testing::kRepositoryRoot / "cases" / id / "case.json").string());
  document["methods"] = methods;
  std::ofstream(root / "cases" / id / "case.json") << document.dump(2);
  return root / "cases" / id;
}

TEST(CaseMethods, IdsAndAliasesInAnySpellingLoad) {
  EXPECT_NO_THROW(
      load_case(project_with_methods({"instrumental-variables", "2SLS", "Two stage least squares"})));
}

TEST(CaseMethods, AnUnknownMethodIsNamedWithItsField) {
  try {
    load_case(project_with_methods({"instrumental-variables", "instrumental-varaibles"}));
    FAIL() << "an unknown method loaded";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("methods[1]: unknown method 'instrumental-varaibles' (known: "), std::string::npos)
        << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace casebook

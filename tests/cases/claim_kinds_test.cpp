// Each claim kind states its fields, parser, check and schema fragment in one file; these tests
// hold templates/case.schema.json to what the kinds say.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "cases/claim_kind.hpp"
#include "core/json_cursor.hpp"
#include "schema_validation.hpp"

namespace casebook {
namespace {

const nlohmann::json& claim_schema() {
  static const nlohmann::json schema = read_json_file(
      (testing::kRepositoryRoot / "templates/case.schema.json").string())["definitions"]["claim"];
  return schema;
}

TEST(ClaimKinds, TheSchemaListsEveryKind) {
  std::vector<std::string> names;
  for (const auto& k : claim_kinds()) names.emplace_back(k.name);
  EXPECT_EQ(claim_schema()["properties"]["kind"]["enum"], nlohmann::json(names));
}

TEST(ClaimKinds, TheSchemaCarriesEachKindsFragment) {
  nlohmann::json expected = nlohmann::json::array();
  for (const auto& k : claim_kinds()) expected.push_back(claim_kind_schema(k));
  EXPECT_EQ(claim_schema()["allOf"], expected)
      << "set definitions.claim.allOf in templates/case.schema.json to\n"
      << expected.dump(2);
}

TEST(ClaimKinds, EveryFieldHasATypeInTheSchemaAndEveryTypedFieldAKind) {
  std::set<std::string> fields(std::begin(kCommonClaimFields), std::end(kCommonClaimFields));
  for (const auto& k : claim_kinds()) fields.insert(k.fields.begin(), k.fields.end());
  std::set<std::string> typed;
  for (const auto& [name, _] : claim_schema()["properties"].items()) typed.insert(name);
  EXPECT_EQ(fields, typed);
}

TEST(ClaimKinds, EachKindIsFoundByItsName) {
  for (const auto& k : claim_kinds()) {
    ASSERT_NE(find_claim_kind(k.name), nullptr);
    EXPECT_EQ(&claim_kind(k.kind), find_claim_kind(k.name));
  }
  EXPECT_EQ(find_claim_kind("covers"), nullptr);
}

}  // namespace
}  // namespace casebook

#pragma once
// Broken variants of the template case: each a mutation of templates/case.json, the words the
// loader's error must contain, and whether JSON Schema can see the problem (references between
// fields — an unknown variable, estimator or analysis — are beyond it).
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace casebook::testing {

struct BrokenCase {
  std::string name;
  std::function<void(nlohmann::json&)> mutate;
  std::string message;  // a fragment the loader's error must contain (the field it names)
  bool schema_rejects;
};

nlohmann::json template_case(const std::string& id);
const std::vector<BrokenCase>& broken_cases();

}  // namespace casebook::testing

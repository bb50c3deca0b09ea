#pragma once
// The method pages' sources: site/methods/methods.json (id, title, the names cases use for the
// method, the Casebook estimators) and each method's text, <id>.md and <id>.ko.md.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/method_key.hpp"
#include "site/flowchart.hpp"

namespace casebook::site {

struct MethodInfo {
  std::string id;
  LocalText title;
  std::vector<std::string> aliases;     // names a case.json "methods" may use for this method
  std::vector<std::string> estimators;  // registry names (a test holds them to the registry)
  std::string markdown_en;
  std::string markdown_ko;  // empty: the Korean page shows the English text with a notice
};

class MethodCatalog {
 public:
  // An absent folder is an empty catalogue (a theme without method pages); a broken
  // methods.json or a missing <id>.md is an InputError naming the file.
  static MethodCatalog load(const std::filesystem::path& methods_dir);

  const std::vector<MethodInfo>& methods() const { return methods_; }
  const MethodInfo* find(std::string_view id) const;
  // The method a case's "methods" entry names, by id or alias (case-insensitive, spaces and
  // underscores read as '-'), or nullptr.
  const MethodInfo* for_case_method(std::string_view name) const;

 private:
  std::vector<MethodInfo> methods_;
};

}  // namespace casebook::site

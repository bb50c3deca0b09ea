#include "site/method_catalog.hpp"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"

namespace casebook::site {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

std::string read_text(const fs::path& file, bool required) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (required)
      throw InputError(file.string(), "missing: every method in methods.json has an English page");
    return "";
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> strings(const json& object, const char* key, const std::string& file,
                                 const std::string& where) {
  std::vector<std::string> out;
  const auto found = object.find(key);
  if (found == object.end()) return out;
  if (!found->is_array())
    throw InputError(file, fmt::format("{}.{}: expected an array of strings", where, key));
  for (const json& item : *found) {
    if (!item.is_string())
      throw InputError(file, fmt::format("{}.{}: expected an array of strings", where, key));
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

MethodCatalog MethodCatalog::load(const fs::path& methods_dir) {
  MethodCatalog catalog;
  const fs::path index = methods_dir / "methods.json";
  if (!fs::exists(index)) return catalog;
  std::ifstream in(index, std::ios::binary);
  const json document = json::parse(in, nullptr, /*allow_exceptions=*/false);
  const std::string file = index.string();
  if (!document.is_object() || !document.contains("methods") || !document["methods"].is_array())
    throw InputError(file, "expected {\"methods\": [{\"id\", \"title\", \"aliases\", \"estimators\"}, …]}");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < document["methods"].size(); ++i) {
    const json& m = document["methods"][i];
    const std::string where = fmt::format("methods[{}]", i);
    if (!m.is_object() || !m.contains("id") || !m["id"].is_string())
      throw InputError(file, where + ".id: expected a string");
    MethodInfo info;
    info.id = m["id"].get<std::string>();
    if (info.id.empty() || method_key(info.id) != info.id || info.id.find('/') != std::string::npos ||
        info.id.find('.') != std::string::npos)
      throw InputError(file, where + ".id: \"" + info.id + "\" is not of the form ^[a-z0-9][a-z0-9-]*$");
    if (!seen.insert(info.id).second)
      throw InputError(file, where + ".id: \"" + info.id + "\" appears twice");
    const json& title = m.value("title", json::object());
    if (!title.is_object() || !title.contains("en") || !title["en"].is_string())
      throw InputError(file, where + ".title: expected {\"en\": …, \"ko\": …}");
    info.title.en = title["en"].get<std::string>();
    info.title.ko = title.contains("ko") && title["ko"].is_string() ? title["ko"].get<std::string>() : "";
    info.aliases = strings(m, "aliases", file, where);
    info.estimators = strings(m, "estimators", file, where);
    info.markdown_en = read_text(methods_dir / (info.id + ".md"), true);
    info.markdown_ko = read_text(methods_dir / (info.id + ".ko.md"), false);
    catalog.methods_.push_back(std::move(info));
  }
  return catalog;
}

const MethodInfo* MethodCatalog::find(std::string_view id) const {
  for (const MethodInfo& m : methods_)
    if (m.id == id) return &m;
  return nullptr;
}

const MethodInfo* MethodCatalog::for_case_method(std::string_view name) const {
  const std::string key = method_key(name);
  if (const MethodInfo* m = find(key)) return m;
  for (const MethodInfo& m : methods_)
    for (const std::string& alias : m.aliases)
      if (method_key(alias) == key) return &m;
  return nullptr;
}

}  // namespace casebook::site

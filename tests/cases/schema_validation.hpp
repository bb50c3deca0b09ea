#pragma once
// JSON documents judged against a JSON Schema by Debian's python3-jsonschema
// (tests/cases/validate_with_schema.py), for the tests that keep a schema and the C++ in agreement.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casebook::testing {

inline const std::filesystem::path kRepositoryRoot = std::filesystem::path(CASEBOOK_FIXTURES) / "../..";

struct SchemaVerdict {
  std::string verdict;  // "valid" or "invalid"
  std::string reason;   // for invalid ones: "<path of the offending value>: <what is wrong>"
};

// File → verdict, for every file python3-jsonschema answered for.
inline std::map<std::string, SchemaVerdict> schema_verdicts(const std::filesystem::path& schema,
                                                            const std::vector<std::filesystem::path>& files) {
  std::string command = "/usr/bin/python3 " +
                        (kRepositoryRoot / "tests/cases/validate_with_schema.py").string() + " '" +
                        schema.string() + "'";
  for (const auto& f : files) command += " '" + f.string() + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::map<std::string, SchemaVerdict> verdicts;
  std::string text;
  char chunk[4096];
  while (pipe && fgets(chunk, sizeof chunk, pipe.get())) {
    text += chunk;
    if (text.empty() || text.back() != '\n') continue;  // a line longer than the chunk
    text.pop_back();
    const auto tab = text.find('\t');
    const auto tab2 = text.find('\t', tab + 1);
    verdicts[text.substr(0, tab)] = {
        text.substr(tab + 1, tab2 == std::string::npos ? std::string::npos : tab2 - tab - 1),
        tab2 == std::string::npos ? "" : text.substr(tab2 + 1)};
    text.clear();
  }
  return verdicts;
}

}  // namespace casebook::testing

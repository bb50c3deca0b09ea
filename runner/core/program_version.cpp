#include "core/program_version.hpp"

#include <string_view>

// Both set by CMakeLists.txt on this file alone, so a new commit recompiles one file.
#ifndef CASEBOOK_VERSION
#define CASEBOOK_VERSION "unknown"
#endif
#ifndef CASEBOOK_COMMIT
#define CASEBOOK_COMMIT ""
#endif

namespace casebook {

std::string program_version() {
  const std::string_view commit = CASEBOOK_COMMIT;
  std::string version = "casebook " CASEBOOK_VERSION;
  if (!commit.empty()) version += " (git " + std::string(commit) + ")";
  return version;
}

}  // namespace casebook

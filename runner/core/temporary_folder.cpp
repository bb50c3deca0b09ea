#include "core/temporary_folder.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/input_error.hpp"

namespace casebook {

TemporaryFolder::TemporaryFolder() {
  std::string name = (std::filesystem::temp_directory_path() / "casebook-XXXXXX").string();
  if (!::mkdtemp(name.data()))
    throw InputError(std::filesystem::temp_directory_path().string(),
                     std::string("cannot create a temporary folder: ") + std::strerror(errno));
  path_ = name;
}

TemporaryFolder::~TemporaryFolder() {
  std::error_code ec;  // a leftover temporary folder is harmless; a throwing destructor is not
  std::filesystem::remove_all(path_, ec);
}

}  // namespace casebook

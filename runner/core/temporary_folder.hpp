#pragma once
// A private scratch folder for work whose files nobody else should see or keep.
#include <filesystem>

namespace casebook {

// A new folder under the system's temporary folder (mkdtemp: a fresh name, mode 0700), removed
// with everything in it on destruction. InputError when it cannot be created.
class TemporaryFolder {
 public:
  TemporaryFolder();
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace casebook

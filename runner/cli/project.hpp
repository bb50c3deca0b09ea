#pragma once
// Where the casebook's files are: cases/, templates/ and site/ of the repository.
#include <filesystem>
#include <string>

namespace casebook {

struct Project {
  std::filesystem::path root;
  std::filesystem::path cases() const { return root / "cases"; }
  std::filesystem::path templates() const { return root / "templates"; }
  std::filesystem::path theme() const { return root / "site"; }
  // cases/<id>, after checking the id (no '/', no '..') and that the folder exists.
  std::filesystem::path case_dir(const std::string& id) const;
};

// --root if given; else the nearest folder at or above the working directory holding cases/
// and templates/; else the source tree the binary was built from.
Project find_project(const std::string& root_option);

}  // namespace casebook

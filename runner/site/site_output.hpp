#pragma once
// Where a render writes: a temporary folder beside the output folder, swapped into place only
// when the whole site is written, so readers never see a half-written site and a failed render
// leaves the previous one as it was.
#include <filesystem>
#include <string_view>

namespace casebook::site {

// The file that marks a folder as a rendered casebook site; only such a folder is replaced.
inline constexpr std::string_view kSiteMarker = ".casebook-site";
// The file, holding the rendering process's id, that marks a temporary folder while it is filled.
inline constexpr std::string_view kStagingMarker = ".casebook-staging";

class SiteOutput {
 public:
  // Checks that out_dir may be replaced (absent, empty, or holding kSiteMarker; InputError
  // otherwise), removes the temporary siblings of renders that were killed (their
  // kStagingMarker names a process that no longer runs) and creates the temporary sibling
  // out_dir + ".tmp-<random>".
  explicit SiteOutput(const std::filesystem::path& out_dir);
  // Removes the temporary folder unless commit() ran.
  ~SiteOutput();
  SiteOutput(const SiteOutput&) = delete;
  SiteOutput& operator=(const SiteOutput&) = delete;

  // `relative` is a path inside the site, such as "ko/cases/x.html"; folders are created.
  void write_file(const std::filesystem::path& relative, std::string_view content) const;
  void copy_file(const std::filesystem::path& from, const std::filesystem::path& relative) const;
  // Copies the regular files of a folder (following symbolic links, as Debian's KaTeX fonts
  // folder is one) into `relative`.
  void copy_folder(const std::filesystem::path& from, const std::filesystem::path& relative) const;

  // Where the file `relative` is until commit(), to read back what was written (a page to print).
  std::filesystem::path staged(const std::filesystem::path& relative) const { return staging_ / relative; }

  // Writes the marker and puts the site in place of out_dir. Returns out_dir.
  const std::filesystem::path& commit();

 private:
  std::filesystem::path out_dir_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

// Throws InputError naming out_dir when it exists and is not a previous casebook site (nor an
// empty folder), so a user's folder is never deleted.
void require_replaceable(const std::filesystem::path& out_dir);

}  // namespace casebook::site

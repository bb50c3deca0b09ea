#include "site/site_output.hpp"

#include <cerrno>
#include <fstream>
#include <random>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include "core/input_error.hpp"

namespace casebook::site {
namespace fs = std::filesystem;
namespace {

// "build/site/" and "build/./site" both name the folder "site" inside "build".
fs::path normalized(const fs::path& out_dir) {
  fs::path p = fs::absolute(out_dir).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  return p;
}

// A sibling name that no other render is using: the random part only names a temporary
// folder, it never reaches the site's files.
fs::path unused_sibling(const fs::path& dir, std::string_view kind) {
  std::random_device device;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate =
        dir.parent_path() / fmt::format("{}.{}-{:08x}", dir.filename().string(), kind, device());
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(candidate, ec))) return candidate;
  }
  throw InputError(dir.parent_path().string(), "cannot find a free name for a temporary folder");
}

// Temporary folders of killed renders to this output: "<name>.tmp-<8 hex digits>" holding a
// staging marker whose process is gone. Anything else of that name is not ours and stays.
void sweep_stale_staging(const fs::path& dir) {
  const std::string prefix = dir.filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(dir.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != prefix.size() + 8 || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (name.find_first_not_of("0123456789abcdef", prefix.size()) != std::string::npos) continue;
    std::error_code entry_ec;
    if (!it->is_directory(entry_ec) || it->is_symlink(entry_ec)) continue;
    std::ifstream marker(it->path() / kStagingMarker);
    long pid = 0;
    if (!(marker >> pid) || pid <= 0) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still rendering
    marker.close();
    fs::remove_all(it->path(), entry_ec);  // best effort: a folder we cannot remove stays
  }
}

void make_parent(const fs::path& file) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) throw InputError(file.parent_path().string(), "cannot create the folder: " + ec.message());
}

void write_bytes(const fs::path& file, std::string_view content) {
  make_parent(file);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw InputError(file.string(), "cannot write the file");
}

}  // namespace

void require_replaceable(const fs::path& out_dir) {
  const fs::path dir = normalized(out_dir);
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (!fs::exists(status)) return;
  if (fs::is_symlink(status)) {
    throw InputError(dir.string(), "is a symbolic link; give the folder itself as the site's output");
  }
  if (!fs::is_directory(status)) throw InputError(dir.string(), "exists and is not a folder");
  if (fs::is_empty(dir, ec) && !ec) return;
  if (!fs::is_regular_file(dir / kSiteMarker, ec)) {
    throw InputError(dir.string(), fmt::format("exists and is not a casebook site (no {} file); "
                                               "refusing to replace it, choose another --out folder",
                                               kSiteMarker));
  }
}

SiteOutput::SiteOutput(const fs::path& out_dir) : out_dir_(normalized(out_dir)) {
  require_replaceable(out_dir_);
  std::error_code ec;
  fs::create_directories(out_dir_.parent_path(), ec);
  if (ec) throw InputError(out_dir_.parent_path().string(), "cannot create the folder: " + ec.message());
  sweep_stale_staging(out_dir_);
  staging_ = unused_sibling(out_dir_, "tmp");
  if (!fs::create_directory(staging_, ec) || ec) {
    throw InputError(staging_.string(), "cannot create the temporary folder: " + ec.message());
  }
  write_bytes(staging_ / kStagingMarker, std::to_string(getpid()) + "\n");
}

SiteOutput::~SiteOutput() {
  if (committed_) return;
  std::error_code ec;  // a destructor must not throw; a leftover .tmp folder is harmless
  fs::remove_all(staging_, ec);
}

void SiteOutput::write_file(const fs::path& relative, std::string_view content) const {
  write_bytes(staging_ / relative, content);
}

void SiteOutput::copy_file(const fs::path& from, const fs::path& relative) const {
  const fs::path file = staging_ / relative;
  make_parent(file);
  std::error_code ec;
  fs::copy_file(from, file, fs::copy_options::overwrite_existing, ec);
  if (ec) throw InputError(from.string(), "cannot copy into the site: " + ec.message());
}

void SiteOutput::copy_folder(const fs::path& from, const fs::path& relative) const {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) throw InputError(from.string(), "is not a folder");
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) copy_file(it->path(), relative / it->path().filename());
  }
  if (ec) throw InputError(from.string(), "cannot read the folder: " + ec.message());
}

const fs::path& SiteOutput::commit() {
  std::error_code marker_ec;
  fs::remove(staging_ / kStagingMarker, marker_ec);
  write_file(fs::path(kSiteMarker),
             "This folder is a rendered casebook site; `casebook site` replaces it.\n");
  // The folder may have appeared while rendering: check again before replacing anything.
  require_replaceable(out_dir_);
  std::error_code ec;
  fs::path previous;
  if (fs::exists(fs::symlink_status(out_dir_, ec))) {
    previous = unused_sibling(out_dir_, "old");
    fs::rename(out_dir_, previous, ec);
    if (ec) throw InputError(out_dir_.string(), "cannot move the previous site away: " + ec.message());
  }
  fs::rename(staging_, out_dir_, ec);
  if (ec) {
    std::error_code restore_ec;
    if (!previous.empty()) fs::rename(previous, out_dir_, restore_ec);
    throw InputError(out_dir_.string(), "cannot move the new site into place: " + ec.message());
  }
  committed_ = true;
  if (!previous.empty()) fs::remove_all(previous, ec);
  return out_dir_;
}

}  // namespace casebook::site

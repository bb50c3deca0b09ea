#pragma once
// The site's look, loaded from the theme folder (the repository's site/) at render time:
// mustache templates, their partials, the interface strings and the static assets.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

#include "site/ui_strings.hpp"

namespace casebook::site {

class Theme {
 public:
  // Reads templates/layout.mustache and every other templates/*.mustache (pages) and
  // templates/partials/*.mustache (partials, by file stem), plus strings.json. InputError
  // naming the file when one is missing.
  static Theme load(const std::filesystem::path& theme_dir);

  // Renders page template `page` (e.g. "case") inside the layout, which includes it as the
  // partial {{> content}}.
  std::string render(const std::string& page, const mstch::node& context) const;

  const UiStrings& strings() const { return strings_; }
  // Files copied as they are into the site's assets/ folder.
  std::vector<std::filesystem::path> asset_files() const;

 private:
  std::filesystem::path dir_;
  std::string layout_;
  std::map<std::string, std::string> pages_;
  std::map<std::string, std::string> partials_;
  UiStrings strings_;
};

}  // namespace casebook::site

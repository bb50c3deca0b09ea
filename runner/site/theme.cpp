#include "site/theme.hpp"

#include <fstream>
#include <sstream>

#include "core/input_error.hpp"
#include "site/html_text.hpp"

namespace casebook::site {
namespace fs = std::filesystem;
namespace {

// The assets every page links to; the theme must provide them.
const std::vector<std::string> kAssetNames = {"style.css", "print.css", "math.js",   "table.js",
                                              "print.js",  "graph.js",  "details.js"};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot read the theme file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// file stem -> text of every *.mustache in `dir`.
std::map<std::string, std::string> read_templates(const fs::path& dir) {
  std::map<std::string, std::string> templates;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".mustache" && it->is_regular_file(ec)) {
      templates[it->path().stem().string()] = read_text(it->path());
    }
  }
  if (ec) throw InputError(dir.string(), "cannot read the theme's templates: " + ec.message());
  return templates;
}

}  // namespace

Theme Theme::load(const fs::path& theme_dir) {
  Theme theme;
  theme.dir_ = theme_dir;
  const fs::path templates = theme_dir / "templates";
  if (!fs::is_directory(templates)) throw InputError(templates.string(), "the theme has no templates folder");
  theme.pages_ = read_templates(templates);
  const auto layout = theme.pages_.find("layout");
  if (layout == theme.pages_.end()) throw InputError((templates / "layout.mustache").string(), "missing");
  theme.layout_ = layout->second;
  theme.pages_.erase(layout);
  if (fs::is_directory(templates / "partials")) theme.partials_ = read_templates(templates / "partials");
  theme.strings_ = UiStrings::load(theme_dir / "strings.json");
  for (const fs::path& asset : theme.asset_files()) {
    if (!fs::is_regular_file(asset)) throw InputError(asset.string(), "missing from the theme");
  }
  return theme;
}

std::string Theme::render(const std::string& page, const mstch::node& context) const {
  const auto found = pages_.find(page);
  if (found == pages_.end())
    throw InputError((dir_ / "templates" / (page + ".mustache")).string(), "missing");
  std::map<std::string, std::string> partials = partials_;
  partials["content"] = found->second;
  // mstch's default escaper also writes '/' as &#x2F;, which makes every relative href
  // unreadable; escaping & < > " ' is what quoted attributes and text need.
  mstch::config::escape = [](const std::string& text) { return escape_html(text); };
  return mstch::render(layout_, context, partials);
}

std::vector<fs::path> Theme::asset_files() const {
  std::vector<fs::path> files;
  for (const auto& name : kAssetNames) files.push_back(dir_ / name);
  return files;
}

}  // namespace casebook::site

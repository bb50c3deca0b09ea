// The theme's pieces on their own: interface strings, page paths, the output folder guard.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/input_error.hpp"
#include "site/page_paths.hpp"
#include "site/site_output.hpp"
#include "site/theme.hpp"
#include "site/ui_strings.hpp"

namespace casebook::site {
namespace {
namespace fs = std::filesystem;

class TempFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device device;
    dir_ = fs::temp_directory_path() / ("casebook-theme-test-" + std::to_string(device()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const fs::path& relative, const std::string& text) const {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST(PagePaths, RelativeRootsAndSwitches) {
  EXPECT_EQ(root_from("index.html"), "");
  EXPECT_EQ(root_from("ko/index.html"), "../");
  EXPECT_EQ(root_from("ko/cases/x.html"), "../../");
  EXPECT_EQ(page_file(kKorean, case_page("x")), "ko/cases/x.html");
  EXPECT_EQ(other_language(kEnglish).code, "ko");
  EXPECT_EQ(other_language(kKorean).code, "en");
}

TEST(UiStringsFill, ReplacesEveryPlaceholder) {
  EXPECT_EQ(fill("{passed}/{total} claims pass, {passed}!", {{"passed", "3"}, {"total", "4"}}),
            "3/4 claims pass, 3!");
}

TEST(ShippedTheme, LoadsAndHasEveryStringInBothLanguages) {
  const Theme theme = Theme::load(fs::path(CASEBOOK_SOURCE_DIR) / "site");
  EXPECT_EQ(theme.strings().get("ko", "status_pass"), "통과");
  EXPECT_EQ(theme.strings().get("en", "status_fail"), "fail");
  EXPECT_THROW(theme.strings().get("en", "no_such_key"), InputError);
}

using UiStringsFile = TempFolder;

TEST_F(UiStringsFile, AKeyMissingInKoreanIsAnErrorNamingIt) {
  write("strings.json", R"({"en": {"claims": "Claims", "data": "Data"}, "ko": {"claims": "주장"}})");
  try {
    UiStrings::load(dir_ / "strings.json");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ko.data"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("strings.json"), std::string::npos) << e.what();
  }
}

TEST_F(UiStringsFile, BrokenJsonIsAnInputError) {
  write("strings.json", "{\"en\": ");
  EXPECT_THROW(UiStrings::load(dir_ / "strings.json"), InputError);
}

using OutputGuard = TempFolder;

TEST_F(OutputGuard, AcceptsAbsentEmptyAndPreviousSites) {
  EXPECT_NO_THROW(require_replaceable(dir_ / "absent"));
  fs::create_directories(dir_ / "empty");
  EXPECT_NO_THROW(require_replaceable(dir_ / "empty"));
  write(fs::path("previous") / kSiteMarker, "");
  write("previous/index.html", "");
  EXPECT_NO_THROW(require_replaceable(dir_ / "previous"));
}

TEST_F(OutputGuard, RefusesFilesFoldersAndSymlinks) {
  write("user/notes.txt", "keep");
  EXPECT_THROW(require_replaceable(dir_ / "user"), InputError);
  write("file.html", "");
  EXPECT_THROW(require_replaceable(dir_ / "file.html"), InputError);
  write(fs::path("previous") / kSiteMarker, "");
  fs::create_directory_symlink(dir_ / "previous", dir_ / "link");
  EXPECT_THROW(require_replaceable(dir_ / "link"), InputError);
}

TEST_F(OutputGuard, AnUncommittedOutputLeavesNothingBehind) {
  {
    SiteOutput output(dir_ / "site");
    output.write_file("index.html", "x");
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(OutputGuard, TheNextRenderSweepsTheTemporaryFoldersOfKilledRenders) {
  // A killed render's folder names a process that no longer runs (no process has id 2^31 − 1).
  write("site.tmp-0badf00d/.casebook-staging", "2147483647\n");
  write("site.tmp-0badf00d/index.html", "half a site");
  // Kept: a render still running (this process), a folder without the marker (not ours), and
  // names that only look alike.
  write("site.tmp-00c0ffee/.casebook-staging", std::to_string(getpid()) + "\n");
  write("site.tmp-12345678/notes.txt", "the user's");
  write("site.tmp-0badf00dx/.casebook-staging", "2147483647\n");
  write("other.tmp-0badf00d/.casebook-staging", "2147483647\n");
  {
    SiteOutput output(dir_ / "site");
    output.write_file("index.html", "x");
    output.commit();
  }
  EXPECT_FALSE(fs::exists(dir_ / "site.tmp-0badf00d"));
  EXPECT_TRUE(fs::exists(dir_ / "site.tmp-00c0ffee/.casebook-staging"));
  EXPECT_TRUE(fs::exists(dir_ / "site.tmp-12345678/notes.txt"));
  EXPECT_TRUE(fs::exists(dir_ / "site.tmp-0badf00dx"));
  EXPECT_TRUE(fs::exists(dir_ / "other.tmp-0badf00d"));
  // The committed site carries the site marker, not the staging one.
  EXPECT_TRUE(fs::exists(dir_ / "site" / kSiteMarker));
  EXPECT_FALSE(fs::exists(dir_ / "site" / kStagingMarker));
}

}  // namespace
}  // namespace casebook::site

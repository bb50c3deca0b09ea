// Replacing a user's file: the target ends up old or complete, and nothing else in the folder —
// least of all what a planted symlink or a file at a temporary name points to — is touched.
#include "core/replace_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/input_error.hpp"

namespace casebook {
namespace {
namespace fs = std::filesystem;

class ReplaceFile : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / unique_name();
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  static std::string unique_name() {
    std::random_device entropy;
    return "casebook-replace-file-" + std::to_string(entropy()) + std::to_string(entropy());
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static void write(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder_)) ++n;
    return n;
  }
  fs::path folder_;
};

TEST_F(ReplaceFile, WritesTheTargetAndLeavesNoTemporary) {
  const fs::path target = folder_ / "out.json";
  write(target, "old");
  replace_file(target, [](std::ostream& out) { out << "new"; });
  EXPECT_EQ(read(target), "new");
  EXPECT_EQ(entries(), 1u);
}

// The fixed temporary name an earlier version used: a symlink there must not lead the write to the
// file it points to, and a file there must survive as it was.
TEST_F(ReplaceFile, APlantedSymlinkOrFileAtATemporaryNameIsLeftAlone) {
  const fs::path target = folder_ / "out.json";
  const fs::path victim = folder_ / "victim.txt";
  write(victim, "precious");
  fs::create_symlink(victim, folder_ / "out.json.casebook-tmp");
  write(folder_ / "out.json.tmp-0-0", "also mine");
  replace_file(target, [](std::ostream& out) { out << "new"; });
  EXPECT_EQ(read(target), "new");
  EXPECT_EQ(read(victim), "precious");
  EXPECT_EQ(read(folder_ / "out.json.tmp-0-0"), "also mine");
  EXPECT_EQ(entries(), 4u);
}

// A target that is itself a symlink is replaced by the new file; what it pointed to is untouched.
TEST_F(ReplaceFile, ATargetSymlinkIsReplacedNotWrittenThrough) {
  const fs::path victim = folder_ / "victim.txt";
  write(victim, "precious");
  const fs::path target = folder_ / "out.json";
  fs::create_symlink(victim, target);
  replace_file(target, [](std::ostream& out) { out << "new"; });
  EXPECT_FALSE(fs::is_symlink(target));
  EXPECT_EQ(read(target), "new");
  EXPECT_EQ(read(victim), "precious");
}

TEST_F(ReplaceFile, AFailedWriteKeepsTheOldFileAndRemovesTheTemporary) {
  const fs::path target = folder_ / "out.json";
  write(target, "old");
  EXPECT_THROW(replace_file(target, [](std::ostream&) { throw std::runtime_error("estimator failed"); }),
               std::runtime_error);
  EXPECT_EQ(read(target), "old");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(ReplaceFile, AMissingFolderIsNamed) {
  const fs::path target = folder_ / "no_such_folder" / "out.json";
  try {
    replace_file(target, [](std::ostream& out) { out << "x"; });
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(target.string() + ": cannot write here"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace casebook

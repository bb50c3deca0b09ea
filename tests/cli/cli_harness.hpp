#pragma once
// What every end-to-end test of the casebook binary needs: a scratch folder per test, the binary
// run with its output captured, and the bad-input expectation (exit 2, exactly one line).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace casebook::testing {

namespace fs = std::filesystem;
inline const fs::path kRepository = fs::path(CASEBOOK_FIXTURES) / "../..";

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    // The process id keeps two runs of the suite (two engineers, two build folders) apart.
    dir_ = fs::temp_directory_path() / ("casebook-" + std::string(test->test_suite_name()) + "-" +
                                        test->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `casebook --root <root> <args>`; `root` defaults to root_ (the repository unless a test
  // points it at a scratch project).
  Outcome run(const std::string& args, const fs::path& root = {}) const {
    const fs::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    const std::string command = shell_limits_ + std::string(CASEBOOK_BINARY) + " --root '" +
                                (root.empty() ? root_ : root).string() + "' " + args + " >'" + out.string() +
                                "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  }

  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }

  void expect_bad_input(const std::string& args, const std::string& words, const fs::path& root = {}) const {
    const Outcome o = run(args, root);
    EXPECT_EQ(o.exit_code, 2) << args << "\n" << o.err;
    EXPECT_NE(o.err.find(words), std::string::npos) << args << ": expected '" << words << "' in: " << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << args << ": not one line: " << o.err;
  }

  fs::path dir_;
  fs::path root_ = kRepository;
  std::string shell_limits_;  // shell commands run before the binary, e.g. "ulimit -v 4000000; "
};

}  // namespace casebook::testing

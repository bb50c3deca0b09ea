// `casebook pdf` end to end: bad input exits 2 with one line before any case runs (no Chromium,
// an unknown language, a PDF already there), and with Chromium one case prints to
// <case>.<lang>.pdf, the same bytes twice, dated $SOURCE_DATE_EPOCH.
#include <cstdlib>
#include <optional>
#include <string>

#include "../cli/cli_harness.hpp"
#include "core/input_error.hpp"
#include "site/pdf_printer.hpp"

namespace {

namespace fs = std::filesystem;
using casebook::testing::CliTest;
using casebook::testing::Outcome;
using casebook::testing::read_file;

// Sets an environment variable for one test and puts the old value back.
class ScopedVariable {
 public:
  ScopedVariable(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedVariable() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

bool chromium_installed() {
  try {
    casebook::site::find_chromium();
    return true;
  } catch (const casebook::InputError&) {
    return false;
  }
}

using PdfCli = CliTest;

TEST_F(PdfCli, WithoutChromiumOneLineSaysHowToGetIt) {
  const std::string args = "pdf bing-cuped-ab-test --out '" + dir_.string() + "'";
  {
    const ScopedVariable no_override("CASEBOOK_CHROMIUM", nullptr);
    const ScopedVariable empty_path("PATH", "/nonexistent-casebook-test");
    expect_bad_input(args, "chromium: not found on PATH");
    expect_bad_input(args, "CASEBOOK_CHROMIUM");
  }
  const ScopedVariable wrong("CASEBOOK_CHROMIUM", "/nonexistent/chromium");
  expect_bad_input(args, "CASEBOOK_CHROMIUM=/nonexistent/chromium: is not an executable file");
  EXPECT_TRUE(fs::is_empty(dir_ / "stdout.txt"));
}

TEST_F(PdfCli, BadArgumentsAreRefusedBeforeAnyCaseRuns) {
  const std::string out = " --out '" + dir_.string() + "'";
  expect_bad_input("pdf bing-cuped-ab-test --lang fr" + out, "--lang fr: expected en or ko");
  expect_bad_input("pdf no-such-case" + out, "no-such-case");
  expect_bad_input("pdf bing-cuped-ab-test bing-cuped-ab-test" + out, "named twice");
  expect_bad_input("pdf bing-cuped-ab-test --out '" + (dir_ / "missing").string() + "'",
                   "--out folder does not exist");
  // A file of the output's name is the user's until they say --force.
  write("bing-cuped-ab-test.ko.pdf", "mine");
  expect_bad_input("pdf bing-cuped-ab-test --lang ko" + out, "already exists; pass --force");
  EXPECT_EQ(read_file(dir_ / "bing-cuped-ab-test.ko.pdf"), "mine");
  expect_bad_input("pdf", "case is required");
}

TEST_F(PdfCli, OneCasePrintsTheSameBytesTwiceDatedBySourceDateEpoch) {
  if (!chromium_installed())
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium; CI installs it)";
  const ScopedVariable epoch("SOURCE_DATE_EPOCH", "1700000000");
  const fs::path first = dir_ / "first", second = dir_ / "second";
  fs::create_directories(first);
  fs::create_directories(second);
  const Outcome a = run("pdf bing-cuped-ab-test --out '" + first.string() + "'");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  for (const char* lang : {"en", "ko"}) {
    const fs::path pdf = first / (std::string("bing-cuped-ab-test.") + lang + ".pdf");
    EXPECT_NE(a.out.find(pdf.string()), std::string::npos) << a.out;
    ASSERT_TRUE(fs::is_regular_file(pdf));
    const std::string bytes = read_file(pdf);
    EXPECT_TRUE(bytes.starts_with("%PDF-"));
    // 2023-11-14 22:13:20 UTC, not the clock.
    EXPECT_NE(bytes.find("/CreationDate (D:20231114221320+00'00')"), std::string::npos);
    EXPECT_NE(bytes.find("/ModDate (D:20231114221320+00'00')"), std::string::npos);
    EXPECT_EQ(bytes.find("file://"), std::string::npos) << "a link carries the folder it was printed from";
  }
  const Outcome b = run("pdf bing-cuped-ab-test --lang ko --out '" + second.string() + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_FALSE(fs::exists(second / "bing-cuped-ab-test.en.pdf"));
  EXPECT_EQ(read_file(second / "bing-cuped-ab-test.ko.pdf"), read_file(first / "bing-cuped-ab-test.ko.pdf"));
  // Printing again over the first needs --force and gives the same bytes.
  const std::string before = read_file(first / "bing-cuped-ab-test.en.pdf");
  const Outcome c = run("pdf bing-cuped-ab-test --lang en --force --out '" + first.string() + "'");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(read_file(first / "bing-cuped-ab-test.en.pdf"), before);
}

TEST(PdfDates, BecomeSourceDateEpochAtTheSameLength) {
  const std::string chromium_wrote =
      "1 0 obj\n<</Creator (HeadlessChrome)\n/CreationDate (D:20261206223446+00'00')\n"
      "/ModDate (D:20261206223446+00'00')>>\nendobj\n";
  {
    const ScopedVariable epoch("SOURCE_DATE_EPOCH", nullptr);
    std::string pdf = chromium_wrote;
    casebook::site::fix_pdf_dates(pdf);
    EXPECT_EQ(pdf.size(), chromium_wrote.size());
    EXPECT_NE(pdf.find("/CreationDate (D:19700101000000+00'00')"), std::string::npos) << pdf;
    EXPECT_NE(pdf.find("/ModDate (D:19700101000000+00'00')"), std::string::npos) << pdf;
  }
  {
    const ScopedVariable epoch("SOURCE_DATE_EPOCH", "86399");
    std::string pdf = chromium_wrote;
    casebook::site::fix_pdf_dates(pdf);
    EXPECT_NE(pdf.find("/CreationDate (D:19700101235959+00'00')"), std::string::npos) << pdf;
  }
  const ScopedVariable epoch("SOURCE_DATE_EPOCH", "yesterday");
  std::string pdf = chromium_wrote;
  EXPECT_THROW(casebook::site::fix_pdf_dates(pdf), casebook::InputError);
}

}  // namespace

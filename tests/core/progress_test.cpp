// Progress of long loops on stderr (core/progress.hpp).
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <string>

#include "core/progress.hpp"

namespace casebook {
namespace {

// std::cerr's text while alive.
class CapturedStderr {
 public:
  CapturedStderr() : old_(std::cerr.rdbuf(text_.rdbuf())) {}
  ~CapturedStderr() { std::cerr.rdbuf(old_); }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::streambuf* old_;
};

TEST(Progress, SilentUnlessACommandTurnsItOn) {
  stop_reporting_progress();
  const CapturedStderr err;
  ProgressLoop loop(3, "replicates");
  for (int i = 0; i < 3; ++i) loop.step();
  EXPECT_EQ(err.text(), "");
}

TEST(Progress, OnlyTheOutermostLoopIsReportedWithTheTimeLeft) {
  const CapturedStderr err;
  report_progress("estimate ols", /*every_seconds=*/0);
  {
    ProgressLoop outer(2, "bootstrap replicates");
    for (int i = 0; i < 2; ++i) {
      ProgressLoop inner(5, "trees");  // nested: silent
      for (int t = 0; t < 5; ++t) inner.step();
      outer.step();
    }
  }
  ProgressLoop after(1, "draws");  // the outer loop has ended: the next one is reported
  after.step();
  stop_reporting_progress();
  const std::string text = err.text();
  EXPECT_NE(text.find("estimate ols: 1/2 bootstrap replicates, 0:00 elapsed, about 0:00 left\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("estimate ols: 2/2 bootstrap replicates"), std::string::npos) << text;
  EXPECT_NE(text.find("estimate ols: 1/1 draws"), std::string::npos) << text;
  EXPECT_EQ(text.find("trees"), std::string::npos) << text;
}

TEST(Progress, DurationsReadAsAClock) {
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(75), "1:15");
  EXPECT_EQ(format_duration(4000), "1:06:40");
  EXPECT_EQ(format_duration(302 * 86400.0), "302 days");
}

}  // namespace
}  // namespace casebook

#include "core/progress.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <mutex>

#include <fmt/format.h>

namespace casebook {
namespace {

struct Reporting {
  std::atomic<bool> on{false};
  std::string label;
  double every_seconds = 15;
  std::atomic<bool> busy{false};  // a loop is being reported
  std::mutex print;
};

Reporting& reporting() {
  static Reporting state;
  return state;
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

void report_progress(std::string label, double every_seconds) {
  reporting().label = std::move(label);
  reporting().every_seconds = every_seconds;
  reporting().on = true;
}

void stop_reporting_progress() { reporting().on = false; }

std::string format_duration(double seconds) {
  constexpr double kDay = 86400;
  if (seconds >= 2 * kDay) return fmt::format("{:.0f} days", seconds / kDay);
  const auto whole = static_cast<long long>(seconds);
  const long long hours = whole / 3600, minutes = whole / 60 % 60, secs = whole % 60;
  return hours > 0 ? fmt::format("{}:{:02}:{:02}", hours, minutes, secs)
                   : fmt::format("{}:{:02}", minutes, secs);
}

ProgressLoop::ProgressLoop(std::size_t total, std::string what) : total_(total), what_(std::move(what)) {
  bool idle = false;
  reported_ = reporting().on && total > 0 && reporting().busy.compare_exchange_strong(idle, true);
  start_ = now();
  last_line_ = start_;
}

ProgressLoop::~ProgressLoop() {
  if (reported_) reporting().busy = false;
}

void ProgressLoop::advance() {
  const std::size_t done = ++done_;
  const double t = now();
  double last = last_line_;
  if (t - last < reporting().every_seconds || !last_line_.compare_exchange_strong(last, t)) return;
  const double elapsed = t - start_;
  const double left =
      elapsed / static_cast<double>(done) * static_cast<double>(total_ - std::min(done, total_));
  const std::lock_guard lock(reporting().print);
  std::cerr << fmt::format("{}: {}/{} {}, {} elapsed, about {} left\n", reporting().label, done, total_,
                           what_, format_duration(elapsed), format_duration(left))
            << std::flush;
}

}  // namespace casebook

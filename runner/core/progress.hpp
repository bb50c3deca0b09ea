#pragma once
// Progress of the long loops inside a command (bootstrap replicates, posterior draws, trees).
// A command a person waits on turns reporting on (estimate, run and mc do); then the outermost
// loop that counts itself is reported on stderr at most every 15 seconds, with the time left, so
// a run of 10^7 replicates says how far it is instead of looking hung. Loops nested in it, and
// loops started while another is reported, stay silent; for them a step costs one branch.
#include <atomic>
#include <cstddef>
#include <string>

namespace casebook {

// Turns reporting on for this process; `label` starts each line ("estimate ols"), and lines come
// at most every `every_seconds`.
void report_progress(std::string label, double every_seconds = 15);
void stop_reporting_progress();

// "1:15" for 75 s, "1:06:40" for 4000 s, "302 days" past two days.
std::string format_duration(double seconds);

class ProgressLoop {
 public:
  // `what` names one step in the line: "bootstrap replicates", "posterior draws".
  ProgressLoop(std::size_t total, std::string what);
  ~ProgressLoop();
  ProgressLoop(const ProgressLoop&) = delete;
  ProgressLoop& operator=(const ProgressLoop&) = delete;

  // One step done; safe from any thread.
  void step() {
    if (reported_) advance();
  }

 private:
  void advance();
  std::size_t total_;
  std::string what_;
  bool reported_;
  std::atomic<std::size_t> done_{0};
  double start_ = 0;  // seconds on the steady clock
  std::atomic<double> last_line_{0};
};

}  // namespace casebook

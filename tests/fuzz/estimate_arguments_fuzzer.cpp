// `casebook estimate` as a user types it, on a small CSV: the input's lines are the arguments
// after `estimate` (the estimator, columns, options, counts). Any combination must end in a
// result or a bad-input exit (2); an internal error (exit 3), a crash or an uncaught exception is
// a defect. The harness runs in a scratch folder and skips arguments with a '/', so nothing
// outside it is read or written, and counts from 65 up to the ceiling, which are valid but slow
// (counts past the ceiling are refused at once and are kept).
#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_line.hpp"
#include "core/options.hpp"
#include "structured_mutations.hpp"

namespace {

// 10 units over 4 periods: an outcome, a treatment adopted by half the units in period 3, an
// instrument, covariates (one of them text), a running variable and a cluster.
void write_data(const std::filesystem::path& file) {
  std::ofstream out(file);
  out << "y,d,z,x1,x2,unit,time,post,group,running,w\n";
  for (int unit = 1; unit <= 10; ++unit)
    for (int time = 1; time <= 4; ++time) {
      const int group = unit % 2, post = time >= 3, d = group * post;
      const double x1 = (unit * 37 + time * 11) % 17 / 4.0,
                   running = ((unit * 7 + time * 5) % 21 - 10) / 10.0;
      out << 1.5 * d + 0.3 * x1 + 0.1 * time + (unit * 13 + time) % 7 / 10.0 << ',' << d << ','
          << (unit + time) % 2 << ',' << x1 << ',' << "abc"[unit % 3] << ',' << unit << ',' << time << ','
          << post << ',' << group << ',' << running << ',' << unit % 3 << '\n';
    }
}

// A whole number (alone or after '=') from 65 to the ceiling: valid, but a run would take long.
bool slow_count(std::string_view token) {
  const std::size_t equals = token.rfind('=');
  if (equals != std::string_view::npos) token.remove_prefix(equals + 1);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  return error == std::errc() && end == token.data() + token.size() && value > 64 &&
         value <= casebook::kMaxCount;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char folder[] = "/tmp/casebook-fuzz-estimate-XXXXXX";
  if (::mkdtemp(folder) == nullptr || ::chdir(folder) != 0) std::abort();
  write_data("data.csv");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> arguments{"casebook", "estimate"};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty() && arguments.size() < 40) {
    const std::size_t end = text.find('\n');
    arguments.emplace_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (arguments.back().find('/') != std::string::npos || slow_count(arguments.back())) return 0;
  }
  arguments.insert(arguments.end(), {"--data", "data.csv", "--threads", "1"});
  std::vector<const char*> argv;
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  if (casebook::run_command_line(static_cast<int>(argv.size()), argv.data()) == 3) __builtin_trap();
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned seed) {
  return casebook::fuzz::mutate(data, size, max_size, seed, {"(", ")"});
}

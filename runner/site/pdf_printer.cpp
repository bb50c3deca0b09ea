#include "site/pdf_printer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/temporary_folder.hpp"

extern char** environ;

namespace casebook::site {
namespace fs = std::filesystem;
namespace {

constexpr auto kTimeout = std::chrono::minutes(2);

bool is_executable_file(const fs::path& path) {
  return fs::is_regular_file(path) && ::access(path.c_str(), X_OK) == 0;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The last non-empty line of Chromium's log that is not about D-Bus (which a headless run never
// has, and always complains about).
std::string last_error_line(const std::string& log) {
  std::istringstream lines(log);
  std::string line, last;
  while (std::getline(lines, line))
    if (!line.empty() && line.find("dbus") == std::string::npos) last = line;
  return last.empty() ? "no message" : last;
}

// Runs argv[0] with stdout and stderr going to `log`, in its own process group so a timeout can
// stop Chromium's helper processes too. Returns the wait status, or nullopt after a timeout.
std::optional<int> run_with_timeout(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) throw InputError(args[0], fmt::format("cannot be started: {}", std::strerror(error)));

  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return status;
}

// The PDF date of $SOURCE_DATE_EPOCH, or of 0: "D:19700101000000+00'00'".
std::string reproducible_pdf_date() {
  std::int64_t seconds = 0;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    const std::string_view text(epoch);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size() || seconds < 0 || seconds > 253402300799)
      throw InputError("SOURCE_DATE_EPOCH", fmt::format("'{}' is not a count of seconds since 1970", text));
  }
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  char date[32];
  std::strftime(date, sizeof date, "D:%Y%m%d%H%M%S+00'00'", &utc);
  return date;
}

}  // namespace

fs::path find_chromium() {
  if (const char* chosen = std::getenv(kChromiumVariable); chosen && *chosen) {
    if (!is_executable_file(chosen))
      throw InputError(fmt::format("{}={}", kChromiumVariable, chosen), "is not an executable file");
    return chosen;
  }
  const char* path = std::getenv("PATH");
  std::istringstream folders(path ? path : "");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    if (folder.empty()) continue;
    for (const char* name : {"chromium", "chromium-browser"})
      if (is_executable_file(fs::path(folder) / name)) return fs::path(folder) / name;
  }
  throw InputError("chromium",
                   fmt::format("not found on PATH; PDFs are printed with headless Chromium: install "
                               "it (apt-get install chromium) or set {} to its path",
                               kChromiumVariable));
}

std::string print_to_pdf(const fs::path& chromium, const fs::path& page) {
  const TemporaryFolder scratch_folder;
  const fs::path& scratch = scratch_folder.path();
  const fs::path pdf = scratch / "page.pdf", log = scratch / "chromium.log";
  // No network (the pages are self-contained), no first-run work, a profile of its own; the
  // virtual time budget lets the page's scripts and fonts settle before printing. Without
  // --disable-pdf-tagging the structure tree alone adds ~170 kB to a case's PDF; headings still
  // become the PDF's outline (bookmarks).
  const std::vector<std::string> args = {chromium.string(),
                                         "--headless",
                                         "--no-sandbox",
                                         "--disable-gpu",
                                         "--no-first-run",
                                         "--disable-background-networking",
                                         "--disable-component-update",
                                         "--disable-sync",
                                         "--disable-extensions",
                                         "--host-resolver-rules=MAP * ~NOTFOUND",
                                         "--user-data-dir=" + (scratch / "profile").string(),
                                         "--virtual-time-budget=10000",
                                         "--no-pdf-header-footer",
                                         "--disable-pdf-tagging",
                                         "--generate-pdf-document-outline",
                                         "--print-to-pdf=" + pdf.string(),
                                         "file://" + fs::absolute(page).string()};
  const std::optional<int> status = run_with_timeout(args, log);
  if (!status)
    throw InputError(page.string(), fmt::format("Chromium did not print it within {} s",
                                                std::chrono::seconds(kTimeout).count()));
  std::string bytes = fs::exists(pdf) ? read_bytes(pdf) : "";
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0 || !bytes.starts_with("%PDF-"))
    throw InputError(page.string(), "Chromium could not print it: " + last_error_line(read_bytes(log)));
  fix_pdf_dates(bytes);
  return bytes;
}

void fix_pdf_dates(std::string& pdf) {
  const std::string date = reproducible_pdf_date();
  for (const std::string_view key : {"/CreationDate (", "/ModDate ("}) {
    for (auto at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + 1)) {
      const auto begin = at + key.size();
      const auto end = pdf.find(')', begin);
      // Only a date of the length Chromium writes is replaced, so no byte offset moves.
      if (end != std::string::npos && end - begin == date.size()) pdf.replace(begin, date.size(), date);
    }
  }
}

}  // namespace casebook::site

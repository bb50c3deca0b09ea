#include "core/replace_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ext/stdio_filebuf.h>
#include <random>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {
namespace fs = std::filesystem;

void replace_file(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  const std::string target = path.string();
  std::random_device entropy;
  fs::path temporary;
  int fd = -1;
  // A fresh random name until one is free: O_EXCL makes the creation fail rather than reuse a name.
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temporary = path;
    temporary += fmt::format(".casebook-{:08x}{:08x}", entropy(), entropy());
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST)
      throw InputError(target, fmt::format("cannot write here ({})", std::strerror(errno)));
  }
  if (fd < 0) throw InputError(target, "cannot write here (no free temporary name beside it)");

  struct RemoveOnFailure {
    const fs::path& file;
    bool keep = false;
    ~RemoveOnFailure() {
      std::error_code ignored;
      if (!keep) fs::remove(file, ignored);
    }
  } cleanup{temporary};
  {
    __gnu_cxx::stdio_filebuf<char> buffer(fd, std::ios::out | std::ios::binary);  // closes fd
    std::ostream out(&buffer);
    write(out);
    out.flush();
    if (!out || buffer.close() == nullptr) throw InputError(target, "writing failed (disk full?)");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw InputError(target, fmt::format("cannot replace the file ({})", ec.message()));
  cleanup.keep = true;
}

}  // namespace casebook

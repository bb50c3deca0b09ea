// How fast the streaming CSV reader parses numeric columns, against a plain read of the same file
// (bench/streaming_ols.sh). Usage: csv_stream_benchmark FILE THREADS COLUMN...
// Prints one JSON line: bytes, rows, seconds of a plain read and of the parse, MB/s of each.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "data/numeric_csv_stream.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: csv_stream_benchmark FILE THREADS COLUMN...\n");
    return 2;
  }
  const std::string file = argv[1];
  const auto threads = static_cast<unsigned>(std::atoi(argv[2]));
  const std::vector<std::string> columns(argv + 3, argv + argc);

  auto start = std::chrono::steady_clock::now();
  std::ifstream in(file, std::ios::binary);
  std::vector<char> buffer(std::size_t{8} << 20);
  std::size_t bytes = 0;
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
    bytes += static_cast<std::size_t>(in.gcount());
  const double read_seconds = seconds_since(start);

  start = std::chrono::steady_clock::now();
  const casebook::NumericCsvStream stream(file, columns);
  double checksum = 0;
  const auto stats = stream.for_each_block(threads, [&](const casebook::CsvBlock& block) {
    checksum += block.values.empty() ? 0 : block.values.front();
  });
  const double parse_seconds = seconds_since(start);
  std::printf(
      "{\"bytes\": %zu, \"rows\": %zu, \"columns\": %zu, \"threads\": %u, \"read_seconds\": %.3f, "
      "\"read_mb_s\": %.0f, \"parse_seconds\": %.3f, \"parse_mb_s\": %.0f, \"checksum\": %.6g}\n",
      bytes, stats.rows, columns.size(), threads, read_seconds,
      static_cast<double>(bytes) / 1e6 / read_seconds, parse_seconds,
      static_cast<double>(bytes) / 1e6 / parse_seconds, checksum);
  return 0;
}

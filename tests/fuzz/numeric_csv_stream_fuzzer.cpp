// The streaming block reader on any bytes: it reads the file's columns or throws InputError; the
// numbers do not depend on the block size or the thread count; and where read_csv reads the same
// text, its numeric columns hold the same numbers. The first byte picks the block size (1 to 64
// bytes, so records straddle blocks) and the threads (1 to 3).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "data/numeric_csv_stream.hpp"
#include "structured_mutations.hpp"

namespace {

std::vector<double> stream_values(const std::filesystem::path& file, const std::vector<std::string>& columns,
                                  std::size_t block_bytes, unsigned threads) {
  std::vector<double> values;
  casebook::NumericCsvStream(file, columns, block_bytes)
      .for_each_block(threads, [&](const casebook::CsvBlock& block) {
        values.insert(values.end(), block.values.begin(), block.values.end());
      });
  return values;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t block_bytes = 1 + data[0] % 64;
  const unsigned threads = 1 + (data[0] >> 6) % 3;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("fuzz_numeric_csv_stream_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;

  std::vector<std::string> columns;
  std::vector<double> small, whole;
  try {
    columns = casebook::parse_csv_header(text.substr(0, text.find('\n')), "fuzz.csv");
    small = stream_values(file, columns, block_bytes, threads);
  } catch (const casebook::InputError&) {
    return 0;
  }
  whole = stream_values(file, columns, casebook::kCsvBlockBytes, 1);  // must not throw now
  if (!same_bits(small, whole)) __builtin_trap();

  casebook::Dataset table;
  try {
    table = casebook::parse_csv(text, "fuzz.csv");
  } catch (const casebook::InputError&) {
    return 0;  // e.g. invalid UTF-8, which the numbers never reach
  }
  if (columns.empty() || small.size() != table.rows() * columns.size()) __builtin_trap();
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const casebook::Column& column = table.column(columns[j]);
    if (column.is_categorical()) continue;  // TRUE beside numbers: read_csv reads labels
    for (std::size_t i = 0; i < table.rows(); ++i)
      if (std::memcmp(&column.values[i], &small[i * columns.size() + j], sizeof(double)) != 0)
        __builtin_trap();
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned seed) {
  return casebook::fuzz::mutate(data, size, max_size, seed, {"\"", "\""});
}

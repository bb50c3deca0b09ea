// The CSV reader on any bytes: it either reads a table or throws InputError, and what it read
// writes and reads back to a table of the same shape.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

#include "core/input_error.hpp"
#include "data/csv.hpp"
#include "structured_mutations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  casebook::Dataset table;
  try {
    table = casebook::parse_csv(text, "fuzz.csv");
  } catch (const casebook::InputError&) {
    return 0;
  }
  std::ostringstream written;
  casebook::write_csv(table, written);  // no infinite values or stray codes can have been read
  const casebook::Dataset again = casebook::parse_csv(written.str(), "written.csv");
  if (again.rows() != table.rows() || again.cols() != table.cols()) __builtin_trap();
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned seed) {
  return casebook::fuzz::mutate(data, size, max_size, seed, {"\"", "\""});
}

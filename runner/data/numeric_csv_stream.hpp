#pragma once
// Numeric columns of a CSV file read block by block, never the whole file at once: the reader
// behind regressions on data larger than memory (`estimate --streaming`). Memory is a few blocks
// of text and their parsed values, whatever the file's length.
//
// Blocks are fixed by the file, not by the reader: block b holds the records whose first byte lies
// in [data_start + b·B, data_start + (b+1)·B) for the block size B. Blocks are parsed on several
// threads and handed to the caller one at a time in block order, so sums taken over blocks are the
// same bits on any thread count.
//
// It reads what read_csv reads, one record per line: a header row, then the same number of
// fields on every line, separated by commas, LF or CRLF line ends, a UTF-8 BOM skipped. The wanted
// columns must hold numbers (std::from_chars, blanks and a leading '+' allowed) or TRUE/FALSE; a
// missing value (empty, NA, NaN), text, or a quoted field that spans lines is an InputError naming
// the file, the line and the column. Other columns are skipped unread (quoted text is fine there).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace casebook {

// 8 MiB: large enough that a block's fixed costs vanish, small enough that a few blocks per thread
// stay in cache-friendly buffers.
constexpr std::size_t kCsvBlockBytes = std::size_t{8} << 20;

// One block's records: `rows` rows of the wanted columns, row-major (row i, column j at
// values[i * columns + j]), in the order the columns were asked for.
struct CsvBlock {
  std::size_t index = 0;       // block number in the file
  std::size_t first_line = 0;  // file line of its first row (1-based; the header is line 1)
  std::size_t rows = 0;
  std::size_t columns = 0;
  std::span<const double> values;
};

struct CsvStreamStats {
  std::size_t rows = 0;
  std::size_t blocks = 0;
  std::uint64_t bytes = 0;  // of the file
};

class NumericCsvStream {
 public:
  // Opens the file and reads its header. Throws InputError naming the file if it cannot be read,
  // has no header, or lacks one of `columns` (listing the columns it has).
  NumericCsvStream(std::filesystem::path path, std::vector<std::string> columns,
                   std::size_t block_bytes = kCsvBlockBytes);

  const std::filesystem::path& path() const { return path_; }
  const std::vector<std::string>& columns() const { return columns_; }
  std::uint64_t file_bytes() const { return file_bytes_; }

  // Reads the file from the first record to the end. Each block is parsed on one of `threads`
  // threads (0: one per core), which then runs work(block, slot) on it — calls for different
  // blocks overlap, each with its own slot < slots(threads) for its results, and their block's
  // first_line is 0 (not yet known) — and afterwards collect(block, slot) runs for every block in
  // block order on the calling thread. Throws InputError for a malformed record (the first in file
  // order), and whatever work or collect throws.
  using BlockCall = std::function<void(const CsvBlock& block, std::size_t slot)>;
  CsvStreamStats for_each_block(unsigned threads, const BlockCall& work, const BlockCall& collect) const;
  // The same with collect only.
  CsvStreamStats for_each_block(unsigned threads, const std::function<void(const CsvBlock&)>& consume) const;
  static std::size_t slots(unsigned threads);

  // The wanted columns of the first record and the bytes of its line; none for a file with no
  // records. Throws InputError as for_each_block for a malformed first record.
  struct FirstRow {
    std::vector<double> values;
    std::size_t line_bytes = 0;
  };
  std::optional<FirstRow> first_row() const;

 private:
  std::filesystem::path path_;
  std::vector<std::string> columns_;
  std::size_t block_bytes_;
  std::uint64_t file_bytes_ = 0;
  std::uint64_t data_start_ = 0;            // byte offset of the first record
  std::size_t data_line_ = 2;               // its line
  std::size_t fields_ = 0;                  // fields per record (the header's)
  std::vector<std::size_t> slot_of_field_;  // field → position among the wanted columns, or npos
};

}  // namespace casebook

#include "data/numeric_csv_stream.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/input_error.hpp"
#include "core/parallel_for.hpp"
#include "data/csv.hpp"
#include "data/csv_fields.hpp"

namespace casebook {
namespace {

constexpr std::size_t kNotWanted = static_cast<std::size_t>(-1);
constexpr const char* kLoneCarriageReturn =
    "a carriage return without a line feed (old Mac line ends): --streaming reads LF or CRLF line ends; "
    "convert the file, or drop --streaming";

// A block's parse: its values, or the first malformed record (line counted within the block).
struct ParsedBlock {
  std::vector<double> values;
  std::size_t rows = 0;
  std::size_t lines = 0;                   // records and blank lines
  bool ends_blank = false;                 // its last lines are blank (fine at the end of the file)
  std::optional<std::size_t> first_blank;  // line within the block
  std::optional<std::size_t> error_line;
  std::string error;
};

class BlockParser {
 public:
  BlockParser(const std::vector<std::size_t>& slot_of_field, const std::vector<std::string>& columns)
      : slot_of_field_(slot_of_field), columns_(columns) {}

  void parse(const char* begin, const char* end, ParsedBlock& out) const {
    const std::size_t width = columns_.size();
    out.values.clear();  // the buffer is reused from block to block
    out.rows = out.lines = 0;
    out.ends_blank = false;
    out.first_blank.reset();
    out.error_line.reset();
    // A record is at least one byte per field plus its separators: an upper bound on the rows.
    out.values.reserve(static_cast<std::size_t>(end - begin) / (2 * slot_of_field_.size()) * width + width);
    // read_csv ends a record at a lone CR (old Mac files); this reader cuts blocks at LF only, so
    // such a file is refused rather than read as other records.
    for (const char* cr = begin;
         (cr = static_cast<const char*>(std::memchr(cr, '\r', static_cast<std::size_t>(end - cr)))) !=
         nullptr;
         ++cr)
      if (cr + 1 == end || cr[1] != '\n') {
        fail(out, static_cast<std::size_t>(std::count(begin, cr, '\n')), kLoneCarriageReturn);
        return;
      }
    const char* p = begin;
    while (p < end) {
      const char* line_end =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (line_end == nullptr) line_end = end;
      const char* content_end = line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end;
      const std::size_t line = out.lines++;
      if (content_end == p) {  // blank
        if (!out.first_blank) out.first_blank = line;
        out.ends_blank = true;
      } else {
        if (out.ends_blank) {
          fail(out, *out.first_blank, "a blank line between data rows");
          return;
        }
        out.values.resize(out.values.size() + width);
        if (!parse_record(p, content_end, out.values.data() + out.rows * width, out, line)) return;
        ++out.rows;
      }
      p = line_end + 1;
    }
  }

 private:
  static bool fail(ParsedBlock& out, std::size_t line, std::string message) {
    out.error_line = line;
    out.error = std::move(message);
    return false;
  }

  bool parse_record(const char* p, const char* end, double* row, ParsedBlock& out, std::size_t line) const {
    std::size_t field = 0;
    while (true) {
      const char* text_begin = p;
      const char* text_end;
      bool quoted = false;
      if (p < end && *p == '"') {
        quoted = true;
        text_begin = ++p;
        while (true) {
          p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
          if (p == nullptr)
            return fail(out, line,
                        "a quoted field runs past the end of the line (--streaming reads one record per "
                        "line; drop --streaming to read quoted line breaks)");
          if (p + 1 < end && p[1] == '"') {
            p += 2;
            continue;
          }
          break;
        }
        text_end = p++;
        while (p < end && is_blank_char(*p)) ++p;  // blanks before the separator, as read_csv
        if (p < end && *p != ',') return fail(out, line, "text after a closing quote");
      } else {
        p = static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(end - p)));
        if (p == nullptr) p = end;
        text_end = p;
      }
      if (field < slot_of_field_.size() && slot_of_field_[field] != kNotWanted) {
        const std::size_t slot = slot_of_field_[field];
        if (!parse_value({text_begin, static_cast<std::size_t>(text_end - text_begin)}, quoted, row[slot]))
          return fail(out, line,
                      value_error(slot, {text_begin, static_cast<std::size_t>(text_end - text_begin)}));
      }
      ++field;
      if (p >= end) break;
      ++p;  // the comma
    }
    if (field != slot_of_field_.size())
      return fail(out, line, fmt::format("{} fields where the header has {}", field, slot_of_field_.size()));
    return true;
  }

  // Numbers by std::from_chars; the fast path takes a plain number, the rest is read by the rules
  // read_csv reads a numeric column by (data/csv_fields.hpp).
  static bool parse_value(std::string_view text, bool quoted, double& value) {
    const char* end = text.data() + text.size();
    const auto fast = std::from_chars(text.data(), end, value, std::chars_format::general);
    if (fast.ptr == end && fast.ec == std::errc{} && !text.empty() && std::isfinite(value)) return true;
    if (quoted && text.empty()) return false;
    return parse_boolean(text, value) ||
           (parse_number(text, value) == NumberParse::ok && std::isfinite(value));
  }

  std::string value_error(std::size_t slot, std::string_view text) const {
    const std::string_view s = trim_blanks(text);
    if (is_missing_token(s))
      return fmt::format(
          "column '{}' is missing; the regression needs complete rows (drop or impute them first)",
          columns_[slot]);
    double value = 0;
    if (parse_number(s, value) == NumberParse::out_of_range)
      return fmt::format("column '{}' holds '{}', out of the range of a double", columns_[slot], s);
    return fmt::format("column '{}' holds '{}', not a finite number (--streaming reads numeric columns only)",
                       columns_[slot], s.substr(0, 40));
  }

  const std::vector<std::size_t>& slot_of_field_;
  const std::vector<std::string>& columns_;
};

// The header line: up to the first line break outside quotes. As read_csv reads it, a quote opens
// a quoted field only at the field's start ("" inside is a quote); elsewhere it is a character.
std::string read_header(std::ifstream& in, const std::filesystem::path& path, std::uint64_t& data_start,
                        std::size_t& data_line) {
  data_line = 1;
  std::string header;
  bool in_quotes = false, field_start = true;
  char c = 0;
  std::uint64_t consumed = 0;
  while (in.get(c)) {
    ++consumed;
    if (c == '"' && (in_quotes || field_start)) {
      if (in_quotes && in.peek() == '"') {  // an escaped quote
        header.push_back(c);
        in.get(c);
        ++consumed;
      } else {
        in_quotes = !in_quotes;
      }
    }
    field_start = !in_quotes && c == ',';
    if (c == '\n') ++data_line;
    if (c == '\n' && !in_quotes) {
      if (header.find_first_not_of(" \t\r") != std::string::npos) break;
      header.clear();  // blank lines before the header, as read_csv skips them
      continue;
    }
    header.push_back(c);
    if (header.size() > (std::size_t{64} << 20))
      throw InputError(fmt::format("{}: the header line is longer than 64 MB", path.string()));
  }
  data_start = consumed;
  return header;
}

}  // namespace

NumericCsvStream::NumericCsvStream(std::filesystem::path path, std::vector<std::string> columns,
                                   std::size_t block_bytes)
    : path_(std::move(path)),
      columns_(std::move(columns)),
      block_bytes_(std::max<std::size_t>(block_bytes, 1)) {
  std::ifstream in(path_, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path_, ec))
    throw InputError(fmt::format("{}: cannot read the file", path_.string()));
  file_bytes_ = std::filesystem::file_size(path_, ec);
  if (ec) throw InputError(fmt::format("{}: cannot read the file", path_.string()));
  const std::string header = read_header(in, path_, data_start_, data_line_);
  // The header alone, read as read_csv reads one: names trimmed, a BOM skipped, empty or repeated
  // names refused.
  if (const auto cr = header.find('\r'); cr != std::string::npos && cr + 1 != header.size())
    throw InputError(fmt::format("{}: line 1: {}", path_.string(), kLoneCarriageReturn));
  const std::vector<std::string> names = parse_csv_header(header, path_.string());
  fields_ = names.size();
  slot_of_field_.assign(fields_, kNotWanted);
  for (std::size_t slot = 0; slot < columns_.size(); ++slot) {
    const auto it = std::find(names.begin(), names.end(), columns_[slot]);
    if (it == names.end())
      throw InputError(fmt::format("{}: no column '{}' (columns: {})", path_.string(), columns_[slot],
                                   fmt::join(names, ", ")));
    const auto field = static_cast<std::size_t>(it - names.begin());
    if (slot_of_field_[field] != kNotWanted)
      throw std::logic_error("NumericCsvStream: a column asked for twice");
    slot_of_field_[field] = slot;
  }
}

std::size_t NumericCsvStream::slots(unsigned threads) {
  return 2 * static_cast<std::size_t>(resolve_threads(threads));
}

CsvStreamStats NumericCsvStream::for_each_block(unsigned threads,
                                                const std::function<void(const CsvBlock&)>& consume) const {
  return for_each_block(threads, {}, [&](const CsvBlock& block, std::size_t) { consume(block); });
}

std::optional<NumericCsvStream::FirstRow> NumericCsvStream::first_row() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the file", path_.string()));
  in.seekg(static_cast<std::streamoff>(data_start_));
  std::string line;
  std::size_t number = data_line_;
  for (; std::getline(in, line); ++number)
    if (line.find_first_not_of(" \t\r") != std::string::npos) break;
  if (line.find_first_not_of(" \t\r") == std::string::npos) return std::nullopt;
  ParsedBlock parsed;
  BlockParser(slot_of_field_, columns_).parse(line.data(), line.data() + line.size(), parsed);
  if (parsed.error_line)
    throw InputError(fmt::format("{}: line {}: {}", path_.string(), number, parsed.error));
  return FirstRow{std::move(parsed.values), line.size() + 1};
}

CsvStreamStats NumericCsvStream::for_each_block(unsigned threads, const BlockCall& work,
                                                const BlockCall& collect) const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the file", path_.string()));
  in.seekg(static_cast<std::streamoff>(data_start_));
  const unsigned workers = resolve_threads(threads);
  const BlockParser parser(slot_of_field_, columns_);
  CsvStreamStats stats;
  stats.bytes = file_bytes_;

  // buffer holds the file's bytes [offset, offset + buffer.size()) and always starts at the start
  // of block next_block. A round reads up to `rounds` blocks' bytes, cuts the complete blocks at
  // line starts, parses them in parallel and hands them over in order.
  const std::size_t rounds = slots(threads);
  std::vector<ParsedBlock> parsed(rounds);
  std::vector<char> buffer;
  std::uint64_t offset = data_start_;
  std::size_t next_block = 0;
  std::size_t line = data_line_;          // of the next block's first line
  std::optional<std::size_t> blank_line;  // a blank line seen after the last row so far
  bool eof = false;
  while (true) {
    if (!eof) {
      // A round's worth, or what the file has left (one byte more, to see its end): a small file
      // needs no 32 MB buffer.
      const std::size_t kept = buffer.size();
      const std::uint64_t left = file_bytes_ > offset + kept ? file_bytes_ - offset - kept + 1 : 1;
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(rounds * block_bytes_, left));
      buffer.resize(kept + want);
      in.read(buffer.data() + kept, static_cast<std::streamsize>(want));
      buffer.resize(kept + static_cast<std::size_t>(in.gcount()));
      eof = !in;
    }
    // Where the block starting at nominal file offset `nominal` starts in the buffer: the first
    // line start at or after it; none while that line's end is not read yet.
    const auto start_of = [&](std::uint64_t nominal) -> std::optional<std::size_t> {
      if (nominal <= offset) return 0;  // a line longer than a block: this block is empty
      const std::size_t i = static_cast<std::size_t>(nominal - offset);
      if (i >= buffer.size()) return eof ? std::optional(buffer.size()) : std::nullopt;
      if (buffer[i - 1] == '\n') return i;
      const void* nl = std::memchr(buffer.data() + i, '\n', buffer.size() - i);
      if (nl == nullptr) return eof ? std::optional(buffer.size()) : std::nullopt;
      return static_cast<std::size_t>(static_cast<const char*>(nl) - buffer.data()) + 1;
    };
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) in the buffer
    bool last = false;
    for (std::size_t begin = 0; spans.size() < rounds && !last;) {
      const auto end = start_of(data_start_ + (next_block + spans.size() + 1) * block_bytes_);
      if (!end) break;
      spans.emplace_back(begin, *end);
      begin = *end;
      last = eof && begin == buffer.size();
    }
    parallel_for(spans.size(), workers, [&](std::size_t i) {
      ParsedBlock& block = parsed[i];
      parser.parse(buffer.data() + spans[i].first, buffer.data() + spans[i].second, block);
      if (work && !block.error_line && block.rows > 0)
        work({next_block + i, 0, block.rows, columns_.size(), {block.values.data(), block.values.size()}}, i);
    });
    for (std::size_t i = 0; i < spans.size(); ++i) {
      const ParsedBlock& block = parsed[i];
      if (block.error_line)
        throw InputError(
            fmt::format("{}: line {}: {}", path_.string(), line + *block.error_line, block.error));
      if (blank_line && block.rows > 0)
        throw InputError(
            fmt::format("{}: line {}: a blank line between data rows", path_.string(), *blank_line));
      if (block.rows > 0)
        collect({next_block, line, block.rows, columns_.size(), {block.values.data(), block.values.size()}},
                i);
      if (block.ends_blank && !blank_line) blank_line = line + *block.first_blank;
      line += block.lines;
      stats.rows += block.rows;
      ++next_block;
    }
    stats.blocks = next_block;
    if (last) break;
    const std::size_t done = spans.empty() ? 0 : spans.back().second;
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(done));
    offset += done;
  }
  return stats;
}

}  // namespace casebook

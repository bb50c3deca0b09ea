#include "data/csv.hpp"
#include "data/csv_fields.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <limits>
#include <ostream>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "core/replace_file.hpp"

namespace casebook {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One field as it appears in the file. `text` points into the file's text, or into the parser's
// pool when the field had "" escapes that had to be undone.
struct Cell {
  std::string_view text;
  bool quoted = false;
};

// A quoted field is never read as NA: a quoted "NA" is the text NA (as R's write.csv writes a
// label "NA"). Only a quoted empty field is missing, since "" cannot be anything else.
bool is_missing(const Cell& cell) {
  return cell.quoted ? cell.text.empty() : is_missing_token(trim_blanks(cell.text));
}

// For messages: a printable ASCII character in quotes, anything else (part of a multi-byte
// character, a control byte) by its code, so the message itself stays valid UTF-8.
std::string describe_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", byte);
}

// Line breaks are LF, CRLF or a lone CR (old Mac Excel); all count as one line.
std::size_t line_of_offset(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) ++line;
  }
  return line;
}

// Returns the offset of the first byte that is not part of valid UTF-8 (no overlong forms,
// surrogates or code points past U+10FFFF), or npos.
std::size_t find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char min2 = 0x80, max2 = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) min2 = 0xA0;  // overlong
      if (c == 0xED) max2 = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) min2 = 0x90;  // overlong
      if (c == 0xF4) max2 = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + length > n) return i;
    if (bytes[i + 1] < min2 || bytes[i + 1] > max2) return i;
    for (std::size_t k = 2; k < length; ++k)
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    i += length;
  }
  return std::string_view::npos;
}

// Splits RFC 4180 text into records, one call per record, tracking physical line numbers so
// errors can name them.
class RecordReader {
 public:
  RecordReader(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  // Fills `fields` with the next record; returns false at the end of the text. `record_line` is
  // the line the record starts on.
  bool next(std::vector<Cell>& fields, std::size_t& record_line) {
    fields.clear();
    if (pos_ >= text_.size()) return false;
    record_line = line_;
    while (true) {
      const bool quoted = pos_ < text_.size() && text_[pos_] == '"';
      fields.push_back(quoted ? read_quoted(fields.size() + 1) : read_unquoted());
      if (pos_ >= text_.size()) return true;
      const char c = text_[pos_++];
      if (c == ',') continue;
      // Otherwise a line break ends the record.
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return true;
    }
  }

 private:
  Cell read_unquoted() {
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '\r') break;
      ++pos_;
    }
    return Cell{text_.substr(start, pos_ - start), false};
  }

  Cell read_quoted(std::size_t column) {
    const std::size_t open_line = line_;
    ++pos_;  // the opening quote
    const std::size_t start = pos_;
    bool escaped = false;
    std::size_t close = 0;
    while (true) {
      if (pos_ >= text_.size())
        throw InputError(source_, fmt::format("line {}: column {}: quoted field is never closed "
                                              "(missing \")",
                                              open_line, column));
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          escaped = true;
          pos_ += 2;
          continue;
        }
        close = pos_++;
        break;
      }
      if (c == '\n' || (c == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n'))) ++line_;
      ++pos_;
    }
    // Tolerate blanks between the closing quote and the separator; anything else is malformed.
    while (pos_ < text_.size() && is_blank_char(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r')
      throw InputError(source_, fmt::format("line {}: column {}: unexpected {} after a closing quote "
                                            "(write a quote inside a quoted field as \"\")",
                                            line_, column, describe_byte(text_[pos_])));
    std::string_view content = text_.substr(start, close - start);
    if (!escaped) return Cell{content, true};
    std::string& unescaped = pool_.emplace_back();
    unescaped.reserve(content.size());
    for (std::size_t i = 0; i < content.size(); ++i) {
      unescaped.push_back(content[i]);
      if (content[i] == '"') ++i;  // skip the second quote of ""
    }
    return Cell{unescaped, true};
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::deque<std::string> pool_;  // deque: growing it never moves the strings cells point to
};

// A record that is one unquoted field of blanks: an empty line, in any file but a one-column one.
bool is_blank_record(const std::vector<Cell>& fields) {
  return fields.size() == 1 && !fields[0].quoted && trim_blanks(fields[0].text).empty();
}

std::string column_label(std::size_t index, const std::string& name) {
  return fmt::format("column {} ('{}')", index + 1, name);
}

// Turns one column's cells into values: numeric if every non-missing cell is a number, else
// boolean (1/0) if every one is TRUE/FALSE, else categorical with sorted levels.
Column make_column(std::string name, std::size_t index, const std::vector<Cell>& cells,
                   const std::vector<std::size_t>& row_lines, const std::string& source) {
  Column column;
  column.name = std::move(name);
  column.values.resize(cells.size(), kMissing);

  bool numeric = true;
  std::size_t first_bad_row = 0;  // first non-finite number, reported only if the column stays numeric
  bool has_bad = false;
  NumberParse bad_kind = NumberParse::ok;
  for (std::size_t i = 0; i < cells.size() && numeric; ++i) {
    if (is_missing(cells[i])) continue;
    double value = 0;
    const NumberParse parsed = parse_number(cells[i].text, value);
    if (parsed == NumberParse::not_a_number) {
      numeric = false;
    } else if (parsed == NumberParse::out_of_range || std::isinf(value)) {
      if (!has_bad) {
        has_bad = true;
        first_bad_row = i;
        bad_kind = parsed;
      }
    } else {
      column.values[i] = value;  // a NaN spelled another way ("NAN", "nan(1)") is missing too
    }
  }
  if (numeric) {
    if (has_bad)
      throw InputError(
          source,
          fmt::format("line {}: {}: '{}' is {}; values must be finite numbers "
                      "(write NA for a missing value)",
                      row_lines[first_bad_row], column_label(index, column.name),
                      trim_blanks(cells[first_bad_row].text),
                      bad_kind == NumberParse::out_of_range ? "outside the range of a double" : "infinite"));
    return column;
  }

  bool boolean = true;
  for (std::size_t i = 0; i < cells.size() && boolean; ++i) {
    if (is_missing(cells[i])) continue;
    boolean = parse_boolean(cells[i].text, column.values[i]);
  }
  if (boolean) return column;

  // Categorical. Unquoted labels are trimmed like numbers and header names; quoted ones are kept
  // exactly as written.
  auto label = [](const Cell& cell) { return cell.quoted ? cell.text : trim_blanks(cell.text); };
  std::vector<std::string_view> levels;
  levels.reserve(cells.size());
  for (const Cell& cell : cells)
    if (!is_missing(cell)) levels.push_back(label(cell));
  std::sort(levels.begin(), levels.end());  // byte order, as R's factor() in the C locale
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (is_missing(cells[i])) {
      column.values[i] = kMissing;
      continue;
    }
    const auto it = std::lower_bound(levels.begin(), levels.end(), label(cells[i]));
    column.values[i] = static_cast<double>(it - levels.begin());
  }
  column.levels.assign(levels.begin(), levels.end());
  return column;
}

}  // namespace

namespace {

// The header's names from the reader's first non-blank record (trimmed; empty or repeated names
// refused). The text is not all blank, so there is one.
std::vector<std::string> read_header_names(RecordReader& reader, std::vector<Cell>& fields, std::size_t& line,
                                           const std::string& source) {
  while (reader.next(fields, line) && is_blank_record(fields)) {
  }
  std::vector<std::string> names;
  names.reserve(fields.size());
  std::unordered_map<std::string, std::size_t> first_column;  // name → its first column
  for (std::size_t j = 0; j < fields.size(); ++j) {
    const std::string_view name = trim_blanks(fields[j].text);
    if (name.empty())
      throw InputError(source,
                       fmt::format("line {}: column {} has an empty name in the header", line, j + 1));
    // A hash of the names seen, so 100,000 columns are not 5·10⁹ comparisons.
    if (const auto [it, added] = first_column.try_emplace(std::string(name), j); !added)
      throw InputError(source, fmt::format("line {}: column {} has the same name '{}' as column {}", line,
                                           j + 1, name, it->second + 1));
    names.emplace_back(name);
  }
  return names;
}

// The checks every text gets first: valid UTF-8, not blank; a BOM is dropped.
std::string_view checked_text(std::string_view text, const std::string& source) {
  if (const std::size_t bad = find_invalid_utf8(text); bad != std::string_view::npos)
    throw InputError(source, fmt::format("line {}: invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                                         line_of_offset(text, bad), static_cast<unsigned char>(text[bad])));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // BOM written by Excel and Notepad
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(source, "empty file: no header row and no data rows");
  return text;
}

}  // namespace

std::vector<std::string> parse_csv_header(std::string_view text, const std::string& source) {
  text = checked_text(text, source);
  RecordReader reader(text, source);
  std::vector<Cell> fields;
  std::size_t line = 0;
  return read_header_names(reader, fields, line, source);
}

Dataset parse_csv(std::string_view text, const std::string& source) {
  text = checked_text(text, source);
  RecordReader reader(text, source);
  std::vector<Cell> fields;
  std::size_t line = 0;
  std::vector<std::string> names = read_header_names(reader, fields, line, source);
  const std::size_t width = names.size();

  std::vector<std::vector<Cell>> cells(width);
  std::vector<std::size_t> row_lines;
  // Blank lines are held back: at the end of the file they are ignored; before a data row they
  // are an error, except in a one-column file where an empty line is a missing value.
  std::vector<std::size_t> pending_blank_lines;
  while (reader.next(fields, line)) {
    if (is_blank_record(fields)) {
      pending_blank_lines.push_back(line);
      continue;
    }
    for (const std::size_t blank_line : pending_blank_lines) {
      if (width != 1)
        throw InputError(source, fmt::format("line {}: empty line, expected {} fields", blank_line, width));
      cells[0].push_back(Cell{});
      row_lines.push_back(blank_line);
    }
    pending_blank_lines.clear();
    if (fields.size() != width)
      throw InputError(source, fmt::format("line {}: {} field{}, expected {} (header has {} column{})", line,
                                           fields.size(), fields.size() == 1 ? "" : "s", width, width,
                                           width == 1 ? "" : "s"));
    for (std::size_t j = 0; j < width; ++j) cells[j].push_back(fields[j]);
    row_lines.push_back(line);
  }
  if (row_lines.empty()) throw InputError(source, "no data rows (only a header)");

  Dataset data(source);
  for (std::size_t j = 0; j < width; ++j)
    data.add_column(make_column(std::move(names[j]), j, cells[j], row_lines, source));
  return data;
}

Dataset read_csv(const std::filesystem::path& path) {
  const std::string source = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(source, "is a folder, expected a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    throw InputError(source,
                     fmt::format("cannot open ({})", error != 0 ? std::strerror(error) : "unknown error"));
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw InputError(source, "cannot read the file");
  in.seekg(0, std::ios::beg);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (in.gcount() != size) throw InputError(source, "cannot read the file");
  return parse_csv(text, source);
}

namespace {

// A field that starts with a byte-order mark is quoted too: first in the file, the reader would
// take the mark for the file's own and drop it.
bool needs_quotes(std::string_view field) {
  return field.find_first_of(",\"\r\n") != std::string_view::npos || field.starts_with("\xEF\xBB\xBF");
}

void append_quoted(std::string& out, std::string_view field) {
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_field(std::string& out, std::string_view field) {
  if (needs_quotes(field))
    append_quoted(out, field);
  else
    out.append(field);
}

// A label is quoted also when it would otherwise read back as something else: a missing-value
// token, or blanks the reader would trim.
void append_label(std::string& out, std::string_view label) {
  if (needs_quotes(label) || is_missing_token(label) || trim_blanks(label).size() != label.size())
    append_quoted(out, label);
  else
    out.append(label);
}

}  // namespace

void write_csv(const Dataset& data, std::ostream& out) {
  std::string line;
  for (std::size_t j = 0; j < data.cols(); ++j) {
    if (j > 0) line.push_back(',');
    append_field(line, data.columns()[j].name);
  }
  line.push_back('\n');
  out << line;

  char number[64];
  for (std::size_t i = 0; i < data.rows(); ++i) {
    line.clear();
    for (std::size_t j = 0; j < data.cols(); ++j) {
      if (j > 0) line.push_back(',');
      const Column& column = data.columns()[j];
      const double value = column.values[i];
      if (std::isnan(value)) {
        line.append("NA");
      } else if (std::isinf(value)) {
        // The reader rejects infinities, so writing one would make a file we cannot read back.
        throw InputError(
            data.source(),
            fmt::format("column '{}', row {}: infinite value cannot be written to CSV", column.name, i + 1));
      } else if (column.is_categorical()) {
        if (value < 0 || value >= static_cast<double>(column.levels.size()) || value != std::floor(value))
          throw InputError(data.source(), fmt::format("column '{}', row {}: {} is not a level code (0..{})",
                                                      column.name, i + 1, value, column.levels.size() - 1));
        append_label(line, column.levels[static_cast<std::size_t>(value)]);
      } else {
        // Shortest text that reads back as the same double; integers come out without ".0".
        const auto result = std::to_chars(number, number + sizeof number, value);
        line.append(number, result.ptr);
      }
    }
    line.push_back('\n');
    out << line;
  }
}

void write_csv(const Dataset& data, const std::filesystem::path& path) {
  replace_file(path, [&](std::ostream& out) { write_csv(data, out); });
}

}  // namespace casebook

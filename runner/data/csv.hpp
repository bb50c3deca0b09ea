#pragma once
// CSV in and out: a header row, RFC 4180 quoting, UTF-8 with or without a BOM, "NA" or an empty
// field as missing. A column with any non-numeric value is read as categorical (levels sorted,
// as R's factor does).
//
// Reading, in detail:
// - Records end at LF, CRLF or a lone CR; a quoted field may hold commas, newlines and "" for a
//   quote. A UTF-8 BOM is skipped; the text must be valid UTF-8. Blank lines before the header
//   and at the end are ignored; a blank line between data rows is an error (in a one-column file
//   it is a missing value).
// - Header names are trimmed of blanks; an empty or repeated name is an error.
// - Missing: an empty field, NA, NaN or nan (blanks around them allowed). A quoted field is never
//   NA: "NA" in quotes is the text NA; only a quoted empty field "" is missing. "." is text.
// - A column is numeric if every non-missing value is a number (std::from_chars, so independent
//   of the locale; surrounding blanks and a leading '+' allowed; no hex, no thousands separators).
//   Infinite or out-of-range numbers in a numeric column are an error.
// - Else boolean (1/0) if every non-missing value is TRUE/FALSE, true/false or True/False.
// - Else categorical: unquoted labels are trimmed, quoted ones kept as written; levels are the
//   distinct labels in byte order (R's factor() in the C locale), values their codes 0..k-1.
//
// Writing then reading gives back the same doubles bit for bit, including -0.0 and subnormals.
// It does not give back: a categorical column whose labels all look like numbers or booleans
// (it reads back numeric), an empty label (reads back missing), blanks around header names.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"

namespace casebook {

// Throws InputError naming the file, and the line and column where it applies, for a missing,
// unreadable or malformed file. The Dataset's source() is the path as given.
Dataset read_csv(const std::filesystem::path& path);
// `source` names the text in error messages ("<source>: line 17: ...") and becomes source().
Dataset parse_csv(std::string_view text, const std::string& source);
// The column names of a header line, read and checked as parse_csv reads them (for readers that
// take the rows themselves, data/numeric_csv_stream.hpp).
std::vector<std::string> parse_csv_header(std::string_view text, const std::string& source);

// Categorical values are written as their labels, missing values as NA; numbers round-trip
// exactly (shortest representation that reads back to the same double, integers without ".0").
// Throws InputError for an infinite value or a code that is not a level, which could not be read
// back.
void write_csv(const Dataset& data, std::ostream& out);
// Writes to a temporary file beside `path` and renames it into place, so a failed write never
// leaves a half-written file. The caller decides whether overwriting is allowed. Throws
// InputError naming `path` if the folder cannot be written.
void write_csv(const Dataset& data, const std::filesystem::path& path);

}  // namespace casebook

#pragma once
// CSV in and out: a header row, RFC 4180 quoting, UTF-8 with or without a BOM, "NA" or an empty
// field as missing. A column with any non-numeric value is read as categorical (levels sorted,
// as R's factor does).
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include "data/dataset.hpp"

namespace casebook {

// Throws InputError naming the file, the line and the column for a malformed file.
Dataset read_csv(const std::filesystem::path& path);
Dataset parse_csv(std::string_view text, const std::string& source);

// Categorical values are written as their labels, missing values as NA; numbers round-trip
// exactly (shortest representation that reads back to the same double).
void write_csv(const Dataset& data, std::ostream& out);
// Writes to a temporary file beside `path` and renames it into place, so a failed write never
// leaves a half-written file. The caller decides whether overwriting is allowed.
void write_csv(const Dataset& data, const std::filesystem::path& path);

}  // namespace casebook

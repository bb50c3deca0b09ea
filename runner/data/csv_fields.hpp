#pragma once
// How one CSV field reads as a value, the same for read_csv and the streaming block reader
// (numeric_csv_stream): blanks, missing-value tokens, numbers and booleans.
#include <string_view>

namespace casebook {

bool is_blank_char(char c);  // a space or a tab
std::string_view trim_blanks(std::string_view s);

// An empty field, NA, NaN or nan (after trimming): missing.
bool is_missing_token(std::string_view s);

enum class NumberParse { ok, not_a_number, out_of_range };

// Locale-independent (std::from_chars); accepts surrounding blanks and a leading '+', which
// from_chars alone rejects. Rejects hex and anything with trailing characters.
NumberParse parse_number(std::string_view text, double& value);

// TRUE/FALSE as R writes them, true/false as JSON-ish tools do, True/False as pandas does.
bool parse_boolean(std::string_view text, double& value);

}  // namespace casebook

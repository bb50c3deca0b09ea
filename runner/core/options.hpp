#pragma once
// Declared options: an estimator or refuter lists the options it reads (name, type, default,
// one-line help), and this one parser checks what a case or the command line gave against the
// list before anything runs. Values arrive as text (case.json numbers and booleans are written
// as they read in JSON), so every error names the owner, the option and the expected type:
// "did: option 'grup' is not known (known: group, post, comparison)",
// "t-learner: option 'trees' must be a whole number of at least 1, got 'many'".
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casebook {

// The largest count (trees, replications, draws, iterations) an option, a case or the command line
// may ask for: beyond it a run would exhaust memory or take days, so it is refused up front.
inline constexpr std::size_t kMaxCount = 10'000'000;

enum class OptionType {
  text,      // any text
  column,    // the name of a column of the data (checked against the data when the estimator runs)
  columns,   // column names separated by commas
  choice,    // one of `choices`
  whole,     // a whole number, any sign
  count,     // a whole number ≥ 0
  positive,  // a whole number from 1 to kMaxCount (trees, replications, iterations)
  number,    // a finite number
  share,     // a number strictly between 0 and 1
  boolean,   // true or false
};

// What a column option means to the design, so that a refuter can find, say, the unit column or
// the post-period indicator of any panel estimator without knowing the estimator by name.
enum class ColumnRole { none, unit, time, group, post, adoption, running };

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::text;
  std::string default_value;  // as it would be written; empty: no default (the option is optional)
  std::string help;           // one line for --help, lint and the site
  std::vector<std::string> choices = {};  // for OptionType::choice
  ColumnRole role = ColumnRole::none;     // for OptionType::column
};

// "a whole number of at least 1", "one of forest, linear", … (for errors and --help).
std::string describe_type(const OptionSpec& spec);

const OptionSpec* find_option(const std::vector<OptionSpec>& specs, std::string_view name);

// The error for a name that is not declared, listing the ones that are.
std::string unknown_option_message(std::string_view owner, const std::vector<OptionSpec>& specs,
                                   std::string_view name);

// Why `value` is not a valid value of `spec`, or nullopt when it is.
std::optional<std::string> option_value_problem(const OptionSpec& spec, std::string_view value);

// Every given option is declared and of its declared type; InputError otherwise.
void check_options(std::string_view owner, const std::vector<OptionSpec>& specs,
                   const std::map<std::string, std::string>& given);

// The checked options of one run, read by name with their declared defaults filled in. Asking
// for an undeclared name is a programming error (std::logic_error), not an input error.
class OptionValues {
 public:
  OptionValues(std::string owner, const std::vector<OptionSpec>& specs,
               const std::map<std::string, std::string>& given);

  bool declares(std::string_view name) const;                  // the owner reads this option
  bool given(std::string_view name) const;                     // set explicitly (not by default)
  bool has(std::string_view name) const;                       // given, or with a default
  std::string text(std::string_view name) const;               // "" when neither given nor defaulted
  std::vector<std::string> list(std::string_view name) const;  // comma-separated, trimmed
  double number(std::string_view name) const;
  std::int64_t whole(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  bool flag(std::string_view name) const;
  // The column of the declared option with this role, or "" when there is none or it is unset.
  std::string column_with_role(ColumnRole role) const;

 private:
  const OptionSpec& spec(std::string_view name) const;
  std::string raw(std::string_view name) const;  // requires has(name)

  std::string owner_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::string> given_;
};

}  // namespace casebook

#pragma once
// `casebook <subcommand> …` as a function, so that the binary's main() and the argument fuzzer
// (tests/fuzz/estimate_arguments_fuzzer.cpp) run the same parser.
namespace casebook {

// Parses argv, runs the subcommand and returns the exit code: 0 all good, 1 a claim or check
// failed, 2 bad input (one line on stderr naming the file, field, column or row), 3 a defect.
int run_command_line(int argc, const char* const* argv);

}  // namespace casebook

// casebook: run, verify and browse executable causal-inference cases.
#include "cli/command_line.hpp"

int main(int argc, char** argv) { return casebook::run_command_line(argc, argv); }

#pragma once
// The program's version as `casebook --version` prints it and Monte Carlo parts record it, so a
// merge refuses parts written by another build.
#include <string>

namespace casebook {

// "casebook 0.1 (git 1c2d0b9a3f4e)": the project version and the commit the build was configured
// from ("-dirty" when the tree had changes then); "casebook 0.1" outside a git checkout.
std::string program_version();

}  // namespace casebook

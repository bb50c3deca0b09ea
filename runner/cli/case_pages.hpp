#pragma once
// The cases as the site renders them: each run with its own seed, its results document (with the
// Monte Carlo summary `casebook mc` saved for it, if any) beside its case.md and case.ko.md.
#include <filesystem>
#include <vector>

#include "cli/project.hpp"
#include "site/site.hpp"

namespace casebook {

// Runs the cases in `dirs` in order, saying on stderr which one is running.
std::vector<CasePage> run_case_pages(const Project& project, const std::vector<std::filesystem::path>& dirs);

// The estimators for the method pages, from the registry.
std::vector<EstimatorEntry> registry_estimators();

}  // namespace casebook

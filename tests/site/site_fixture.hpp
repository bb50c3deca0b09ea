#pragma once
// Shared by the site tests: a results document carrying every key the site reads, optional ones
// (monte_carlo, published figures) included, and small file helpers.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "site/site.hpp"

namespace casebook::testing {

std::string read_file(const std::filesystem::path& file);

// A case page "synthetic-everything" whose results use every key the site renders; `graph_svg`
// is inlined as results "graph".svg (pass a hostile one to test the sanitizer).
CasePage case_with_every_result_key(const std::string& graph_svg);

}  // namespace casebook::testing

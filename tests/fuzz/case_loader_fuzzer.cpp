// The case loader: JSON text to a checked Case, then to a simulated sample of a few dozen units
// (the truth of every estimand included). Anything wrong must be an InputError naming the file
// and field, never a crash, an uncaught third-party exception or an allocation the machine
// cannot give.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "cases/case_run.hpp"
#include "core/input_error.hpp"
#include "structured_mutations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  try {
    const casebook::Case c = casebook::parse_case(document, "fuzz/case.json", "fuzz-case");
    const std::size_t n = std::min<std::size_t>(c.simulation.n, 50);
    casebook::simulate_case(c, c.simulation.seed, n, /*threads=*/1);
  } catch (const casebook::InputError&) {
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned seed) {
  return casebook::fuzz::mutate(data, size, max_size, seed, {"[", "]"});
}

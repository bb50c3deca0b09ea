// The expression compiler and evaluator: up to eight lines "name = expression" become a
// structural model, simulated on a few units with and without an intervention. Anything wrong
// must be an InputError (never a muParser exception, a crash or a non-finite value let through).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/input_error.hpp"
#include "simulate/structural_model.hpp"
#include "structured_mutations.hpp"

namespace {

casebook::SimulationSpec spec_from(std::string_view text) {
  casebook::SimulationSpec spec;
  spec.where = "fuzz: simulation";
  while (!text.empty() && spec.variables.size() < 8) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    casebook::VariableSpec variable;
    variable.name = std::string(line.substr(0, equals));
    variable.expr = std::string(line.substr(equals + 1));
    // A leading '#' marks a latent variable, '@' a unit-level one in a panel.
    if (!variable.name.empty() && variable.name.front() == '#') {
      variable.observed = false;
      variable.name.erase(0, 1);
    }
    if (!variable.name.empty() && variable.name.front() == '@') {
      variable.level = casebook::Level::unit;
      variable.name.erase(0, 1);
    }
    spec.variables.push_back(std::move(variable));
  }
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  casebook::SimulationSpec spec = spec_from(text.substr(1));
  spec.periods = static_cast<unsigned char>(text.front()) % 4;  // a cross-section or a short panel
  try {
    const casebook::StructuralModel model(std::move(spec));
    const casebook::Dataset factual = model.simulate(7, 12, {}, 1);
    if (!model.spec().variables.empty())
      model.simulate(7, 12, {{model.spec().variables.front().name, 1.0}}, 1);
    (void)factual;
  } catch (const casebook::InputError&) {
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned seed) {
  return casebook::fuzz::mutate(data, size, max_size, seed, {"(", ")"});
}

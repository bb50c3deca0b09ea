#pragma once
// The functions a simulation expression may call beyond muParser's own: random draws
// (normal, bernoulli, …) and deterministic helpers (logistic, logit, clamp, …).
// Internal to runner/simulate.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mu {
class Parser;
}

namespace casebook::simulate_detail {

// A function called with arguments it cannot use (normal with sd < 0, bernoulli(1.5), …).
// The simulator adds the variable and unit to the message.
class FunctionArgumentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Registers every draw (not optimizable, so each evaluation draws again) and helper.
void define_expression_functions(mu::Parser& parser);

// The names registered above, e.g. to tell an unknown function from a known one.
const std::vector<std::string>& expression_function_names();

// Reseeds this thread's generator for the draws of one (variable, unit): noise is a pure
// function of the three, whatever ran before on the thread or how many draws that took.
void seed_draws(std::uint64_t seed, std::size_t variable, std::size_t unit);
// The same for one (variable, unit, period) cell of a panel; unit-level variables use the
// three-argument form, so a unit's draws do not depend on the number of periods.
void seed_draws(std::uint64_t seed, std::size_t variable, std::size_t unit, std::size_t period);

// The value a panel gives the lag placeholder in a unit's first period; lag(x, d) returns d then.
double no_previous_period();

}  // namespace casebook::simulate_detail

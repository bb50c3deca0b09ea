#pragma once
// The truth of an estimand, computed from potential outcomes of the structural model.
#include <cstdint>
#include <string>

#include "data/dataset.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {

struct EstimandSpec {
  std::string id;         // e.g. "late"
  std::string type;       // "ate", "att", "late"
  std::string treatment;
  std::string outcome;
  std::string instrument;  // for "late"
  double treated_value = 1;
  double control_value = 0;
};

// Population quantities of the simulated sample (not of the superpopulation):
//   ate  = mean_i [Y_i(do T=1) - Y_i(do T=0)]
//   att  = the same mean over units with T_i = 1 in `factual`
//   late = the same mean over compliers, T_i(do Z=1) > T_i(do Z=0)
// `factual` is model.simulate(seed, n) with no interventions. Throws InputError when the
// estimand is undefined (no treated units, no compliers, unknown variable).
double estimand_truth(const StructuralModel& model, const Dataset& factual, const EstimandSpec& estimand,
                      std::uint64_t seed);

}  // namespace casebook

#pragma once
// The truth of an estimand, computed from potential outcomes of the structural model.
#include <cstdint>
#include <string>

#include "data/dataset.hpp"
#include "simulate/structural_model.hpp"

namespace casebook {

struct EstimandSpec {
  std::string id;    // e.g. "late"
  std::string type;  // "ate", "att", "late"
  std::string treatment;
  std::string outcome;
  std::string instrument;  // for "late"
  double treated_value = 1;
  double control_value = 0;
  std::string where;  // location for error messages, e.g. "cases/x/case.json: estimands[0]"
};

// Population quantities of the simulated sample (not of the superpopulation):
//   ate  = mean_i [Y_i(do T=1) - Y_i(do T=0)]
//   att  = the same mean over units with T_i = 1 in `factual`
//   late = the same mean over compliers, T_i(do Z=1) = treated_value and T_i(do Z=0) =
//          control_value; the treatment must take only those two values under do(Z=1), do(Z=0)
// Y_i(do T=t) sets T to treated_value / control_value and reuses unit i's noise, so the
// truth is exact for the sample. `factual` is model.simulate(seed, n) with no interventions.
// Throws InputError when the estimand is undefined (no treated units, no compliers, an
// unknown variable or type, a treatment that is not binary for late).
double estimand_truth(const StructuralModel& model, const Dataset& factual, const EstimandSpec& estimand,
                      std::uint64_t seed);

}  // namespace casebook

#pragma once
// The measured false-alarm rate (size) and detection rate (power) of a case's refutations, read
// from the "refuter_rates" that `casebook site` attaches to the results: the committed Monte Carlo
// summaries (cases/<id>/refuter-mc.json, written by bench/refuter_size.sh) of the case's valid
// design and of the cases that break it.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace casebook::site {

struct RefuterRate {
  std::string refutation_id, refuter, analysis, estimator;
  std::string level;  // "0.01", or "tolerance" for a rule without a level
  std::string size;   // "1.5% ± 0.9% (200 runs)"; "" when not measured
  std::string power;  // "85% ± 2.5% on <case> (200 runs)", one per breaking case; "" when none
};

// One entry per refutation of the results that has a measured rate; empty without "refuter_rates".
std::vector<RefuterRate> refuter_rates(const nlohmann::json& results);

}  // namespace casebook::site

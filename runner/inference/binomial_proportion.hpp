#pragma once
// A share of successes in R independent trials (a Monte Carlo coverage or pass rate) with its
// precision: the standard error sqrt(p (1 − p) / R), and the Wilson score interval, which keeps
// inside [0, 1] and holds its level near 0 and 1, where a coverage of 95% or 100% sits and the
// Wald interval p ± z SE collapses.
#include <cstddef>

namespace casebook {

struct BinomialProportion {
  double rate = 0;
  double se = 0;
  double wilson_low = 0;
  double wilson_high = 0;
};

// Throws InputError when trials is 0, successes > trials, or the level is not in (0, 1).
BinomialProportion binomial_proportion(std::size_t successes, std::size_t trials,
                                       double confidence_level = 0.95);

}  // namespace casebook

#pragma once
// The joint test that an event study's leads (the coefficients before adoption) are all zero, as
// the event-study designs report it: diagnostics pretrend_F, pretrend_df1 and pretrend_p, an F
// test on `df` denominator degrees of freedom (clusters - 1 with clustered errors). When the
// variance cannot separate every lead (more leads than clusters - 1), the leads it cannot are
// dropped as Stata's `test` drops them (inference/wald_test.hpp), and a note says how many and how
// to test them all.
#include <vector>

#include <Eigen/Core>

#include "estimators/estimate.hpp"

namespace casebook {

void report_pretrend_test(Estimate& out, const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                          const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                          const std::vector<Eigen::Index>& leads, double df);

}  // namespace casebook

#include "estimators/pretrend_test.hpp"

#include <fmt/format.h>

#include "inference/wald_test.hpp"

namespace casebook {

void report_pretrend_test(Estimate& out, const Eigen::Ref<const Eigen::VectorXd>& coefficients,
                          const Eigen::Ref<const Eigen::MatrixXd>& vcov,
                          const std::vector<Eigen::Index>& leads, double df) {
  if (leads.empty()) {
    out.notes.push_back(
        "no lead besides the reference period: the pre-trend test needs at least two pre-periods");
    return;
  }
  const JointWaldTest test = joint_wald_test(coefficients, vcov, leads);
  out.diagnostics["pretrend_F"] = test.f;
  out.diagnostics["pretrend_df1"] = static_cast<double>(test.df1);
  out.diagnostics["pretrend_p"] =
      test.df1 > 0 ? f_test_p_value(test.f, static_cast<double>(test.df1), df) : 1.0;
  if (test.dropped > 0)
    out.notes.push_back(fmt::format(
        "the pre-trend test has {} leads but their variance has rank {} (with clustered errors, at most "
        "clusters − 1): {} constraints were dropped, as Stata's test drops them, so some leads go untested "
        "and the test loses power; bin the earliest leads (option min_relative) to test them all",
        leads.size(), test.df1, test.dropped));
}

}  // namespace casebook

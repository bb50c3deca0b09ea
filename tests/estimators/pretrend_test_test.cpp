// report_pretrend_test (runner/estimators/pretrend_test.hpp): the diagnostics and notes the
// event-study designs share. A full-rank variance gives the usual F on every lead; a variance
// that cannot separate every lead tests the rest and says so; no lead is a note, not a number.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "estimators/pretrend_test.hpp"
#include "inference/wald_test.hpp"

namespace casebook {
namespace {

bool has_note(const Estimate& e, const std::string& text) {
  return std::any_of(e.notes.begin(), e.notes.end(),
                     [&](const std::string& note) { return note.find(text) != std::string::npos; });
}

TEST(PretrendTest, AFullRankVarianceTestsEveryLead) {
  const Eigen::VectorXd b = (Eigen::VectorXd(3) << 0.5, -0.2, 1.0).finished();
  const Eigen::MatrixXd v = Eigen::Vector3d(0.04, 0.09, 0.25).asDiagonal();
  Estimate e;
  report_pretrend_test(e, b, v, {0, 1}, 30);
  // (0.5/0.2)² + (0.2/0.3)² over 2.
  const double f = (6.25 + 4.0 / 9.0) / 2;
  EXPECT_NEAR(e.diagnostics.at("pretrend_F"), f, 1e-12);
  EXPECT_EQ(e.diagnostics.at("pretrend_df1"), 2);
  EXPECT_NEAR(e.diagnostics.at("pretrend_p"), f_test_p_value(f, 2, 30), 1e-15);
  EXPECT_TRUE(e.notes.empty());
}

TEST(PretrendTest, LeadsTheVarianceCannotSeparateAreDroppedAndNoted) {
  // Two leads that always move together (rank 1): one constraint is tested, on b1 + b2.
  const Eigen::VectorXd b = (Eigen::VectorXd(2) << 0.3, 0.5).finished();
  const Eigen::MatrixXd v = (Eigen::MatrixXd(2, 2) << 0.01, 0.01, 0.01, 0.01).finished();
  Estimate e;
  report_pretrend_test(e, b, v, {0, 1}, 2);
  EXPECT_EQ(e.diagnostics.at("pretrend_df1"), 1);
  // Along (1, 1)/√2: ((0.3 + 0.5)/√2)² / 0.02.
  EXPECT_NEAR(e.diagnostics.at("pretrend_F"), 0.32 / 0.02, 1e-9);
  EXPECT_TRUE(has_note(e, "the pre-trend test has 2 leads but their variance has rank 1"));
  EXPECT_TRUE(has_note(e, "1 constraints were dropped"));
}

TEST(PretrendTest, NoLeadIsANoteAndNoDiagnostic) {
  Estimate e;
  report_pretrend_test(e, Eigen::VectorXd::Ones(2), Eigen::MatrixXd::Identity(2, 2), {}, 10);
  EXPECT_FALSE(e.diagnostics.contains("pretrend_p"));
  EXPECT_TRUE(has_note(e, "the pre-trend test needs at least two pre-periods"));
}

}  // namespace
}  // namespace casebook

// Bad panels give one InputError line that names the problem.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "estimators/estimator.hpp"

namespace casebook {
namespace {

// 6 units × 4 periods; units 1-3 treated from period 3.
Dataset small_panel() {
  std::vector<double> unit, period, d, y;
  for (int u = 1; u <= 6; ++u)
    for (int p = 1; p <= 4; ++p) {
      unit.push_back(u);
      period.push_back(p);
      d.push_back(u <= 3 && p >= 3 ? 1 : 0);
      y.push_back(0.3 * u + 0.2 * p + (u * 7 + p * 3) % 5 * 0.1 + d.back());
    }
  Dataset data("panel.csv");
  data.add_column({"unit", unit, {}});
  data.add_column({"period", period, {}});
  data.add_column({"d", d, {}});
  data.add_column({"y", y, {}});
  return data;
}

void expect_error(const std::string& estimator, const Dataset& data, const std::string& fragment) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  try {
    find_estimator(estimator).run(data, args);
    FAIL() << estimator << ": expected an error containing " << fragment;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(PanelBadInput, EachProblemIsOneClearLine) {
  for (const std::string estimator : {"twfe", "event-study"}) {
    SCOPED_TRACE(estimator);
    Dataset fractional = small_panel();
    fractional.column("period").values[5] = 2.5;
    expect_error(estimator, fractional,
                 "time column 'period' must hold whole numbers (periods); row 6 has 2.5");
    Dataset twice = small_panel();
    twice.column("period").values[1] = 1;
    expect_error(estimator, twice, "unit unit = 1 appears twice in period period = 1 (rows 1 and 2)");
    Dataset no_pre = small_panel();
    for (std::size_t row = 0; row < 12; ++row) no_pre.column("d").values[row] = 1;
    expect_error(estimator, no_pre, "no pre-periods");
    Dataset all_treated = small_panel();
    for (std::size_t row = 12; row < 24; ++row) all_treated.column("d").values[row] = row % 4 >= 2 ? 1 : 0;
    expect_error(estimator, all_treated, "every unit is treated at some point");
    Dataset switches_off = small_panel();
    switches_off.column("d").values[3] = 0;
    expect_error(estimator, switches_off, "switches off again at row 4");
  }
}

TEST(PanelBadInput, DidNeedsGroupAndPostAndAllFourCells) {
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "d";
  EXPECT_THROW(find_estimator("did").run(small_panel(), args), InputError);
  Dataset data = small_panel();
  data.add_column({"group", std::vector<double>(24, 1.0), {}});
  std::vector<double> post;
  for (std::size_t row = 0; row < 24; ++row) post.push_back(row % 4 >= 2 ? 1 : 0);
  data.add_column({"post", post, {}});
  args.options = {{"group", "group"}, {"post", "post"}};
  try {
    find_estimator("did").run(data, args);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is not group × post at row 1"), std::string::npos) << e.what();
  }
  args.treatment = "group";
  try {
    find_estimator("did").run(data, args);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("control_pre cell"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace casebook

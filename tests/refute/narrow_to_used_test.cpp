// The refuters' copy of the data keeps every column the analysis reads — including those an option
// names in a comma-separated list (heckman's selection_covariates) — and nothing else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "estimators/estimator.hpp"
#include "refute/repetitions.hpp"

namespace casebook {
namespace {

TEST(NarrowToUsed, KeepsTheColumnsOptionsNameAloneOrInAList) {
  Dataset data("test");
  for (const char* name : {"y", "t", "x", "works", "kids", "age", "unused"})
    data.add_column(Column{name, {1, 0, 1}, {}});
  EstimatorArgs args;
  args.outcome = "y";
  args.treatment = "t";
  args.covariates = {"x"};
  args.options = {{"selection", "works"}, {"selection_covariates", "x, kids,age"}, {"method", "ml"}};
  const Dataset narrow = refute_detail::narrow_to_used(data, args);
  std::vector<std::string> names;
  for (const auto& column : narrow.columns()) names.push_back(column.name);
  EXPECT_EQ(names, (std::vector<std::string>{"y", "t", "x", "works", "kids", "age"}));
}

}  // namespace
}  // namespace casebook

#include "inference/design_matrix.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/input_error.hpp"

namespace casebook {
namespace {

Dataset small_data() {
  Dataset data("small.csv");
  data.add_column({"x", {1.5, 2.5, 3.5, 4.5, 5.5}, {}});
  // Levels sorted as R's factor: east(0), north(1), south(2), west(3); "north" never occurs.
  data.add_column({"region", {2, 0, 3, 2, 0}, {"east", "north", "south", "west"}});
  data.add_column({"gap", {1, NAN, 3, NAN, 5}, {}});
  return data;
}

TEST(DesignMatrix, InterceptThenColumnsWithCategoricalDummies) {
  const DesignMatrix design = build_design_matrix(small_data(), {"x", "region"});
  ASSERT_EQ(design.names, (std::vector<std::string>{"(Intercept)", "x", "regionsouth", "regionwest"}));
  ASSERT_EQ(design.x.rows(), 5);
  ASSERT_EQ(design.x.cols(), 4);
  EXPECT_TRUE(design.x.col(0).isOnes());
  EXPECT_DOUBLE_EQ(design.x(3, 1), 4.5);
  // region = south, east, west, south, east: east (the first level present) is the reference.
  EXPECT_EQ(design.x.col(2), (Eigen::VectorXd(5) << 1, 0, 0, 1, 0).finished());
  EXPECT_EQ(design.x.col(3), (Eigen::VectorXd(5) << 0, 0, 1, 0, 0).finished());
}

TEST(DesignMatrix, FirstLevelIsReferenceWhenPresent) {
  Dataset data("d.csv");
  data.add_column({"arm", {0, 1, 2, 1}, {"a", "b", "c"}});
  const DesignMatrix design = build_design_matrix(data, {"arm"}, {.intercept = false});
  EXPECT_EQ(design.names, (std::vector<std::string>{"armb", "armc"}));
  EXPECT_EQ(design.x.col(0), (Eigen::VectorXd(4) << 0, 1, 0, 1).finished());
}

TEST(DesignMatrix, MissingValueNamesTheColumn) {
  try {
    build_design_matrix(small_data(), {"x", "gap"});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'gap'"), std::string::npos) << message;
    EXPECT_NE(message.find("2 missing values"), std::string::npos) << message;
    EXPECT_NE(message.find("row 2"), std::string::npos) << message;
  }
}

TEST(DesignMatrix, UnknownColumnIsInputError) {
  EXPECT_THROW(build_design_matrix(small_data(), {"nope"}), InputError);
}

TEST(DesignMatrix, NumericColumnRejectsCategoricalNamingRole) {
  try {
    numeric_column(small_data(), "region", "outcome");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("outcome 'region' is categorical"), std::string::npos) << e.what();
  }
  EXPECT_DOUBLE_EQ(numeric_column(small_data(), "x", "outcome")(4), 5.5);
}

}  // namespace
}  // namespace casebook

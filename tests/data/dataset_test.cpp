#include "data/dataset.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "data/csv.hpp"
#include "test_support.hpp"

namespace casebook {
namespace {

using testing::contains;
using testing::input_error_of;

constexpr double kNa = std::numeric_limits<double>::quiet_NaN();

Column numeric(std::string name, std::vector<double> values) {
  return Column{std::move(name), std::move(values), {}};
}

TEST(Dataset, AddColumnKeepsOrderAndRows) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1, 2, 3}));
  data.add_column(numeric("t", {0, 1, 0}));
  EXPECT_EQ(data.rows(), 3u);
  EXPECT_EQ(data.cols(), 2u);
  EXPECT_EQ(data.names(), (std::vector<std::string>{"y", "t"}));
  EXPECT_TRUE(data.has("t"));
  EXPECT_FALSE(data.has("x"));
  EXPECT_EQ(data.column("t").values[1], 1.0);
}

TEST(Dataset, AddColumnRejectsDuplicateName) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1, 2}));
  const std::string message = input_error_of([&] { data.add_column(numeric("y", {3, 4})); });
  EXPECT_TRUE(contains(message, "d.csv")) << message;
  EXPECT_TRUE(contains(message, "duplicate column 'y'")) << message;
}

TEST(Dataset, AWideCsvLoadsAndItsDuplicateHeaderIsNamed) {
  // 100,000 columns: the reader's and the table's duplicate checks once compared every pair of
  // names (5·10⁹ comparisons, minutes); then the last header repeats the first.
  constexpr int kColumns = 100000;
  std::string header, row;
  for (int j = 0; j < kColumns; ++j) {
    header += (j ? ",c" : "c") + std::to_string(j);
    row += j ? ",1" : "1";
  }
  const Dataset wide = parse_csv(header + "\n" + row + "\n", "wide.csv");
  EXPECT_EQ(wide.cols(), static_cast<std::size_t>(kColumns));
  EXPECT_EQ(wide.column("c99999").values[0], 1);
  const std::string missing = input_error_of([&] { (void)wide.column("nope"); });
  EXPECT_TRUE(contains(missing, "no column 'nope'")) << missing.substr(0, 200);
  EXPECT_TRUE(contains(missing, "and 99980 more")) << missing.substr(0, 200);  // 20 named, not all
  const std::string message =
      input_error_of([&] { (void)parse_csv(header + ",c0\n" + row + ",1\n", "wide.csv"); });
  EXPECT_TRUE(contains(message, "wide.csv")) << message.substr(0, 200);
  EXPECT_TRUE(contains(message, "column 100001 has the same name 'c0' as column 1"))
      << message.substr(0, 200);
}

TEST(Dataset, AddColumnRejectsDifferentLength) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1, 2}));
  const std::string message = input_error_of([&] { data.add_column(numeric("x", {1, 2, 3})); });
  EXPECT_TRUE(contains(message, "d.csv")) << message;
  EXPECT_TRUE(contains(message, "'x' has 3 rows, the others 2")) << message;
}

TEST(Dataset, UnknownColumnListsTheColumns) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1}));
  data.add_column(numeric("t", {1}));
  const std::string message = input_error_of([&] { (void)data.column("z"); });
  EXPECT_EQ(message, "d.csv: no column 'z' (columns: y, t)");
}

TEST(Dataset, RequireCompleteNamesColumnCountAndFirstRow) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1, 2, kNa, 4, kNa}));
  data.add_column(numeric("t", {0, kNa, 1, 1, 0}));
  const std::string message = input_error_of([&] { require_complete(data, {"y", "t"}); });
  EXPECT_TRUE(contains(message, "d.csv: column 'y' has 2 missing values (first at row 3)")) << message;

  const std::string single = input_error_of([&] { require_complete(data, {"t"}); });
  EXPECT_TRUE(contains(single, "column 't' has 1 missing value (first at row 2)")) << single;
}

TEST(Dataset, RequireCompletePassesCompleteColumns) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1, 2}));
  data.add_column(numeric("t", {kNa, 1}));
  EXPECT_NO_THROW(require_complete(data, {"y"}));
  EXPECT_NO_THROW(require_complete(data, {}));
}

TEST(Dataset, RequireCompleteRejectsUnknownColumn) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {1}));
  EXPECT_TRUE(contains(input_error_of([&] { require_complete(data, {"q"}); }), "no column 'q'"));
}

TEST(Dataset, SelectRowsRepeatsRowsAndKeepsLevels) {
  Dataset data("d.csv");
  data.add_column(numeric("y", {10, 11, 12, 13}));
  data.add_column(Column{"region", {0, 1, 2, 1}, {"north", "south", "west"}});
  const Dataset picked = select_rows(data, {3, 3, 0});
  ASSERT_EQ(picked.rows(), 3u);
  EXPECT_EQ(picked.source(), "d.csv");
  EXPECT_EQ(picked.column("y").values, (std::vector<double>{13, 13, 10}));
  EXPECT_EQ(picked.column("region").values, (std::vector<double>{1, 1, 0}));
  EXPECT_EQ(picked.column("region").levels, data.column("region").levels);
}

}  // namespace
}  // namespace casebook

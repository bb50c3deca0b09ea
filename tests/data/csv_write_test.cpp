#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "data/csv.hpp"
#include "test_support.hpp"

namespace casebook {
namespace {

using testing::contains;
using testing::input_error_of;

constexpr double kNa = std::numeric_limits<double>::quiet_NaN();

std::string to_text(const Dataset& data) {
  std::ostringstream out;
  write_csv(data, out);
  return out.str();
}

Dataset one_column(std::vector<double> values, std::vector<std::string> levels = {}) {
  Dataset data("mem");
  data.add_column(Column{"v", std::move(values), std::move(levels)});
  return data;
}

TEST(CsvWrite, NumbersRoundTripBitForBit) {
  const std::vector<double> values = {
      0.1,
      1.0 / 3.0,
      1e-300,
      5e-324,  // smallest subnormal
      -0.0,    // "-0" reads back as -0.0, so the sign of zero is kept
      0.0,
      123456789012345678.0,
      9007199254740993.0,  // 2^53 + 1 rounds to 2^53; whatever it is, it must come back the same
      -1.7976931348623157e308,
      std::numeric_limits<double>::max(),
      std::numeric_limits<double>::min(),
      2.5e-7,
      -42.0,
      kNa,
  };
  const Dataset back = parse_csv(to_text(one_column(values)), "back.csv");
  const auto& read = back.column("v").values;
  ASSERT_EQ(read.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) {
      EXPECT_TRUE(std::isnan(read[i])) << "row " << i;
    } else {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(read[i]), std::bit_cast<std::uint64_t>(values[i]))
          << "row " << i << ": wrote " << values[i] << ", read " << read[i];
    }
  }
}

TEST(CsvWrite, ShortestFormsAndNoTrailingPointZero) {
  EXPECT_EQ(to_text(one_column({3.0, -0.0, 0.1, 1e20, 1234567.0, kNa})),
            "v\n3\n-0\n0.1\n1e+20\n1234567\nNA\n");
}

TEST(CsvWrite, CategoricalWritesLabelsAndQuotesWhenNeeded) {
  const std::vector<std::string> levels = {"a,b", "say \"hi\"", "two\nlines", "cr\rhere",
                                           "NA",  " padded",    "plain"};
  std::vector<double> codes;
  for (std::size_t i = 0; i < levels.size(); ++i) codes.push_back(static_cast<double>(i));
  codes.push_back(kNa);
  const std::string text = to_text(one_column(codes, levels));
  EXPECT_EQ(text,
            "v\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n\"cr\rhere\"\n\"NA\"\n\" padded\"\nplain\nNA\n");

  const Dataset back = parse_csv(text, "back.csv");
  const Column& v = back.column("v");
  ASSERT_EQ(v.values.size(), codes.size());
  EXPECT_TRUE(std::isnan(v.values.back()));
  for (std::size_t i = 0; i < levels.size(); ++i)
    EXPECT_EQ(v.levels.at(static_cast<std::size_t>(v.values[i])), levels[i]) << "row " << i;
}

TEST(CsvWrite, HeaderNamesQuotedWhenNeeded) {
  Dataset data("mem");
  data.add_column(Column{"x,1", {1}, {}});
  data.add_column(Column{"y", {2}, {}});
  EXPECT_EQ(to_text(data), "\"x,1\",y\n1,2\n");
  EXPECT_EQ(parse_csv(to_text(data), "back.csv").names(), (std::vector<std::string>{"x,1", "y"}));
}

// Found by tests/fuzz/csv_reader_fuzzer.cpp: a first name starting with a byte-order mark, written
// bare, began the file with a BOM, which the reader drops, and the name read back empty.
TEST(CsvWrite, AFirstNameStartingWithAByteOrderMarkIsQuoted) {
  const Dataset data = parse_csv("\n\xEF\xBB\xBF\n+\n", "bom.csv");  // the BOM is the header, not the file's
  ASSERT_EQ(data.names(), (std::vector<std::string>{"\xEF\xBB\xBF"}));
  EXPECT_EQ(to_text(data), "\"\xEF\xBB\xBF\"\n+\n");
  EXPECT_EQ(parse_csv(to_text(data), "back.csv").names(), data.names());
}

TEST(CsvWrite, MixedDatasetRoundTrips) {
  Dataset data("mem");
  data.add_column(Column{"y", {1.25, kNa, -3}, {}});
  data.add_column(Column{"group", {1, 0, kNa}, {"control", "treated"}});
  const Dataset back = parse_csv(to_text(data), "back.csv");
  EXPECT_EQ(back.names(), data.names());
  EXPECT_EQ(back.column("group").levels, data.column("group").levels);
  EXPECT_EQ(back.column("group").values[0], 1.0);
  EXPECT_EQ(back.column("y").values[2], -3.0);
  EXPECT_TRUE(std::isnan(back.column("y").values[1]));
}

TEST(CsvWrite, RefusesValuesItCouldNotReadBack) {
  const std::string infinite = input_error_of([] {
    (void)to_text(one_column({1, std::numeric_limits<double>::infinity()}));
  });
  EXPECT_TRUE(contains(infinite, "mem: column 'v', row 2: infinite value")) << infinite;
  const std::string bad_code = input_error_of([] { (void)to_text(one_column({0, 2}, {"a", "b"})); });
  EXPECT_TRUE(contains(bad_code, "column 'v', row 2: 2 is not a level code")) << bad_code;
}

class CsvWriteFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("casebook_csv_write_test_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::size_t files_in_folder() const {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder_), {}));
  }
  std::filesystem::path folder_;
};

TEST_F(CsvWriteFiles, WritesReplacesAndLeavesNoTemporaryFile) {
  const auto path = folder_ / "out.csv";
  write_csv(one_column({1, 2}), path);
  EXPECT_EQ(read_csv(path).column("v").values, (std::vector<double>{1, 2}));
  write_csv(one_column({3}), path);  // overwrites
  EXPECT_EQ(read_csv(path).column("v").values, (std::vector<double>{3}));
  EXPECT_EQ(files_in_folder(), 1u);
}

TEST_F(CsvWriteFiles, FailedWriteKeepsTheOldFileAndNoTemporary) {
  const auto path = folder_ / "out.csv";
  write_csv(one_column({1}), path);
  EXPECT_THROW(write_csv(one_column({std::numeric_limits<double>::infinity()}), path), InputError);
  EXPECT_EQ(read_csv(path).column("v").values, (std::vector<double>{1}));
  EXPECT_EQ(files_in_folder(), 1u);
}

TEST_F(CsvWriteFiles, UnwritableFolderNamesThePath) {
  const auto path = folder_ / "no_such_folder" / "out.csv";
  const std::string message = input_error_of([&] { write_csv(one_column({1}), path); });
  EXPECT_TRUE(contains(message, path.string() + ": cannot write")) << message;
}

}  // namespace
}  // namespace casebook

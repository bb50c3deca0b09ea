// The block reader gives read_csv's numbers for the columns it is asked for, whatever the block
// size and thread count, cuts blocks where the file says (not where the threads are), and names
// the file, line and column of a record it cannot read.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "data/csv.hpp"
#include "data/numeric_csv_stream.hpp"
#include "test_support.hpp"

namespace casebook {
namespace {

using testing::contains;
using testing::input_error_of;

class NumericCsvStreamTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    const auto path =
        std::filesystem::temp_directory_path() /
        ("numeric_csv_stream_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
         std::to_string(files_++) + ".csv");
    std::ofstream(path, std::ios::binary) << text;
    paths_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& p : paths_) std::filesystem::remove(p);
  }

 private:
  std::vector<std::filesystem::path> paths_;
  int files_ = 0;
};

struct Read {
  std::vector<double> values;  // row-major, as the blocks hand them over
  std::vector<std::size_t> block_rows, block_index, first_lines;
};

Read read_all(const NumericCsvStream& stream, unsigned threads) {
  Read out;
  std::vector<std::size_t> work_rows(NumericCsvStream::slots(threads));
  stream.for_each_block(
      threads, [&](const CsvBlock& block, std::size_t slot) { work_rows[slot] = block.rows; },
      [&](const CsvBlock& block, std::size_t slot) {
        EXPECT_EQ(work_rows[slot], block.rows) << "work saw the block collect sees";
        out.values.insert(out.values.end(), block.values.begin(), block.values.end());
        out.block_rows.push_back(block.rows);
        out.block_index.push_back(block.index);
        out.first_lines.push_back(block.first_line);
      });
  return out;
}

// A file with what read_csv accepts: a BOM, CRLF, quoted numbers, quoted text with commas and
// line-free quotes in a skipped column, TRUE/FALSE, blanks around numbers, a leading '+', and
// blank lines at the end.
std::string awkward_file(int rows) {
  std::string text =
      "\xEF\xBB\xBF"
      "a, note ,b,flag\r\n";
  for (int i = 0; i < rows; ++i) {
    text += std::to_string(i * 0.25 - 7) + ",\"text, with \"\"quotes\"\"\",";
    text += (i % 3 == 0 ? "\"" + std::to_string(1e6 + i) + "\"" : " +" + std::to_string(i) + "e-3 ");
    text += i % 2 ? ",TRUE\r\n" : ",false\r\n";
  }
  return text + "\r\n\r\n";
}

TEST_F(NumericCsvStreamTest, GivesReadCsvsNumbersForAnyBlockSizeAndThreadCount) {
  const auto path = write(awkward_file(500));
  const Dataset reference = read_csv(path);
  for (std::size_t block_bytes :
       {std::size_t{1}, std::size_t{7}, std::size_t{100}, std::size_t{4096}, kCsvBlockBytes}) {
    for (unsigned threads : {1u, 2u, 3u}) {
      SCOPED_TRACE(::testing::Message() << block_bytes << " bytes, " << threads << " threads");
      const NumericCsvStream stream(path, {"flag", "b", "a"}, block_bytes);
      const Read read = read_all(stream, threads);
      ASSERT_EQ(read.values.size(), 3u * 500);
      for (std::size_t i = 0; i < 500; ++i) {
        EXPECT_EQ(read.values[3 * i], reference.column("flag").values[i]) << i;
        EXPECT_EQ(read.values[3 * i + 1], reference.column("b").values[i]) << i;
        EXPECT_EQ(read.values[3 * i + 2], reference.column("a").values[i]) << i;
      }
    }
  }
}

TEST_F(NumericCsvStreamTest, BlocksAreCutByTheFileNotByTheThreads) {
  const auto path = write(awkward_file(2000));
  const NumericCsvStream stream(path, {"a"}, 1000);
  const Read one = read_all(stream, 1);
  const Read three = read_all(stream, 3);
  EXPECT_EQ(one.block_rows, three.block_rows);
  EXPECT_EQ(one.block_index, three.block_index);
  EXPECT_EQ(one.first_lines, three.first_lines);
  EXPECT_GT(one.block_rows.size(), 50u);
  // Each block starts on the line after the previous block's last row (the header is line 1).
  std::size_t line = 2;
  for (std::size_t b = 0; b < one.block_rows.size(); ++b) {
    EXPECT_EQ(one.first_lines[b], line) << b;
    line += one.block_rows[b];
  }
}

TEST_F(NumericCsvStreamTest, FirstRowAndAnEmptyFile) {
  const auto path = write("x,y\n3.5,-2\n1,1\n");
  const auto first = NumericCsvStream(path, {"y", "x"}).first_row();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->values, (std::vector<double>{-2, 3.5}));
  EXPECT_EQ(first->line_bytes, 7u);
  const auto header_only = write("x,y\n");
  const NumericCsvStream empty(header_only, {"x"});
  EXPECT_FALSE(empty.first_row().has_value());
  EXPECT_EQ(read_all(empty, 2).values.size(), 0u);
}

TEST_F(NumericCsvStreamTest, NamesTheFileLineAndColumnOfWhatItCannotRead) {
  // Errors sit in a late block of a file cut into many, so the line must be counted across blocks.
  std::string rows;
  for (int i = 0; i < 300; ++i) rows += std::to_string(i) + "," + std::to_string(2 * i) + ",z\n";
  const auto error_at_line_250 = [&](const std::string& bad_record) {
    std::string text = "x,y,label\n";
    for (int i = 0; i < 300; ++i)
      text += i == 248 ? bad_record + "\n" : std::to_string(i) + "," + std::to_string(2 * i) + ",z\n";
    const auto path = write(text);
    return input_error_of([&] { read_all(NumericCsvStream(path, {"x", "y"}, 64), 2); });
  };
  std::string message = error_at_line_250("1,NA,z");
  EXPECT_TRUE(contains(message, ": line 250: column 'y' is missing")) << message;
  message = error_at_line_250("1,,z");
  EXPECT_TRUE(contains(message, ": line 250: column 'y' is missing")) << message;
  message = error_at_line_250("abc,1,z");
  EXPECT_TRUE(contains(message, "line 250: column 'x' holds 'abc', not a finite number")) << message;
  message = error_at_line_250("inf,1,z");
  EXPECT_TRUE(contains(message, "line 250: column 'x' holds 'inf'")) << message;
  message = error_at_line_250("1e999,1,z");
  EXPECT_TRUE(contains(message, "line 250: column 'x' holds '1e999', out of the range of a double"))
      << message;
  message = error_at_line_250("1,2");
  EXPECT_TRUE(contains(message, "line 250: 2 fields where the header has 3")) << message;
  message = error_at_line_250("1,2,\"a\nb\"");
  EXPECT_TRUE(contains(message, "line 250: a quoted field runs past the end of the line")) << message;
  message = error_at_line_250("1,2\rz");  // read_csv would read two records here
  EXPECT_TRUE(contains(message, "line 250: a carriage return without a line feed")) << message;
  message = error_at_line_250("");
  EXPECT_TRUE(contains(message, "line 250: a blank line between data rows")) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  message = input_error_of([&] { NumericCsvStream(write("x,y\r1,2\r"), {"x"}); });
  EXPECT_TRUE(contains(message, "line 1: a carriage return without a line feed")) << message;
  // A quote inside an unquoted header name is a character, as read_csv reads it, not a quoted field.
  const Read odd = read_all(NumericCsvStream(write("a\"b,c\n1,2\n"), {"c"}), 1);
  EXPECT_EQ(odd.values, std::vector<double>{2});

  const auto path = write("x,y\n1,2\n");
  message = input_error_of([&] { NumericCsvStream(path, {"x", "z"}); });
  EXPECT_TRUE(contains(message, "no column 'z' (columns: x, y)")) << message;
  message = input_error_of([&] { NumericCsvStream(path.string() + ".missing", {"x"}); });
  EXPECT_TRUE(contains(message, "cannot read the file")) << message;
  message = input_error_of([&] { NumericCsvStream(write(""), {"x"}); });
  EXPECT_TRUE(contains(message, "empty file")) << message;
}

}  // namespace
}  // namespace casebook

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "data/csv.hpp"
#include "test_support.hpp"

namespace casebook {
namespace {

using testing::contains;
using testing::input_error_of;

std::string parse_error(const std::string& text) {
  return input_error_of([&] { (void)parse_csv(text, "x.csv"); });
}

// ---- Structure: header, quoting, line endings ----

TEST(CsvRead, ReadsNumbersUnderTrimmedHeaderNames) {
  const Dataset data = parse_csv(" y ,\tt\n1.5,0\n-2,1\n", "x.csv");
  EXPECT_EQ(data.source(), "x.csv");
  EXPECT_EQ(data.names(), (std::vector<std::string>{"y", "t"}));
  ASSERT_EQ(data.rows(), 2u);
  EXPECT_EQ(data.column("y").values, (std::vector<double>{1.5, -2}));
  EXPECT_EQ(data.column("t").values, (std::vector<double>{0, 1}));
  EXPECT_FALSE(data.column("y").is_categorical());
}

TEST(CsvRead, QuotedFieldsKeepCommasQuotesAndNewlines) {
  const Dataset data =
      parse_csv("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\"\"\n", "x.csv");
  const Column& text = data.column("text");
  ASSERT_EQ(data.rows(), 4u);
  // Levels are sorted bytes: '"' < 'a' < 's' < 't'.
  EXPECT_EQ(text.levels, (std::vector<std::string>{"\"", "a, b", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(text.values, (std::vector<double>{1, 2, 3, 0}));
}

TEST(CsvRead, QuotedHeaderAndQuotedNumbers) {
  const Dataset data = parse_csv("\"a,b\",\"c\"\n\"1\",\"2.5\"\n", "x.csv");
  EXPECT_EQ(data.names(), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(data.column("c").values, (std::vector<double>{2.5}));
  EXPECT_FALSE(data.column("a,b").is_categorical());
}

TEST(CsvRead, CrlfAndLoneCrLineEndings) {
  const Dataset crlf = parse_csv("a,b\r\n1,\"x\r\ny\"\r\n3,z\r\n", "x.csv");
  ASSERT_EQ(crlf.rows(), 2u);
  EXPECT_EQ(crlf.column("a").values, (std::vector<double>{1, 3}));
  EXPECT_EQ(crlf.column("b").levels, (std::vector<std::string>{"x\r\ny", "z"}));

  const Dataset cr = parse_csv("a,b\r1,2\r3,4", "x.csv");  // old Mac Excel
  EXPECT_EQ(cr.column("b").values, (std::vector<double>{2, 4}));
}

TEST(CsvRead, SkipsByteOrderMark) {
  const Dataset data = parse_csv(
      "\xEF\xBB\xBF"
      "a,b\n1,2\n",
      "x.csv");
  EXPECT_EQ(data.names(), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvRead, TrailingNewlineOptionalAndTrailingBlankLinesIgnored) {
  EXPECT_EQ(parse_csv("a,b\n1,2", "x.csv").rows(), 1u);
  EXPECT_EQ(parse_csv("a,b\n1,2\n\n\n", "x.csv").rows(), 1u);
  EXPECT_EQ(parse_csv("a,b\r\n1,2\r\n\r\n  \r\n", "x.csv").rows(), 1u);
  EXPECT_EQ(parse_csv("\n\na,b\n1,2\n", "x.csv").rows(), 1u);  // leading blank lines too
}

TEST(CsvRead, TrailingCommaMeansAnEmptyLastField) {
  const Dataset data = parse_csv("a,b\n1,\n2,3", "x.csv");
  EXPECT_TRUE(std::isnan(data.column("b").values[0]));
  EXPECT_EQ(data.column("b").values[1], 3.0);
}

TEST(CsvRead, OneColumnFileKeepsBlankLinesBetweenValuesAsMissing) {
  const Dataset data = parse_csv("y\n1\n\n3\n\n", "x.csv");
  ASSERT_EQ(data.rows(), 3u);
  EXPECT_EQ(data.column("y").values[0], 1.0);
  EXPECT_TRUE(std::isnan(data.column("y").values[1]));
  EXPECT_EQ(data.column("y").values[2], 3.0);
}

TEST(CsvRead, AcceptsUtf8Text) {
  const Dataset data = parse_csv("도시,n\n서울,1\n부산,2\n", "x.csv");
  EXPECT_EQ(data.names()[0], "도시");
  // Byte order: 부 (EB B6 80) before 서 (EC 84 9C).
  EXPECT_EQ(data.column("도시").levels, (std::vector<std::string>{"부산", "서울"}));
}

// ---- Values: numbers, missing, booleans, categories ----

TEST(CsvRead, NumberForms) {
  const Dataset data = parse_csv("v\n+1.5\n 2 \n1e3\n-2.5E-3\n.5\n5.\n4.9e-324\n", "x.csv");
  EXPECT_EQ(data.column("v").values, (std::vector<double>{1.5, 2, 1000, -2.5e-3, 0.5, 5, 4.9e-324}));
}

TEST(CsvRead, MissingTokens) {
  const Dataset data = parse_csv("v,w\nNA,1\nNaN,2\nnan,\n , NA \n7,\"\"\n", "x.csv");
  const auto& v = data.column("v").values;
  ASSERT_FALSE(data.column("v").is_categorical());
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(std::isnan(v[i])) << "row " << i;
  EXPECT_EQ(v[4], 7.0);
  const auto& w = data.column("w").values;
  EXPECT_EQ(w[0], 1.0);
  EXPECT_TRUE(std::isnan(w[2]));
  EXPECT_TRUE(std::isnan(w[3]));
  EXPECT_TRUE(std::isnan(w[4]));  // a quoted empty field is missing too
}

TEST(CsvRead, DotAndQuotedNaAreText) {
  const Dataset dot = parse_csv("v\n1\n.\n", "x.csv");
  EXPECT_EQ(dot.column("v").levels, (std::vector<std::string>{".", "1"}));

  // A quoted "NA" is the label NA (R's write.csv quotes a label but not a missing value).
  const Dataset quoted = parse_csv("v\n\"NA\"\nNA\nb\n", "x.csv");
  EXPECT_EQ(quoted.column("v").levels, (std::vector<std::string>{"NA", "b"}));
  EXPECT_EQ(quoted.column("v").values[0], 0.0);
  EXPECT_TRUE(std::isnan(quoted.column("v").values[1]));
}

TEST(CsvRead, AllMissingColumnIsNumeric) {
  const Dataset data = parse_csv("a,b\n1,NA\n2,\n", "x.csv");
  EXPECT_FALSE(data.column("b").is_categorical());
  EXPECT_TRUE(std::isnan(data.column("b").values[0]));
  EXPECT_TRUE(std::isnan(data.column("b").values[1]));
}

TEST(CsvRead, BooleanColumns) {
  const Dataset data = parse_csv("a,b,c\nTRUE,true,TRUE\nFALSE,false,1\nNA,True,0\n", "x.csv");
  const auto& a = data.column("a").values;
  EXPECT_EQ(a[0], 1.0);
  EXPECT_EQ(a[1], 0.0);
  EXPECT_TRUE(std::isnan(a[2]));
  EXPECT_FALSE(data.column("a").is_categorical());
  EXPECT_EQ(data.column("b").values, (std::vector<double>{1, 0, 1}));
  // Booleans mixed with numbers are not a boolean column.
  EXPECT_EQ(data.column("c").levels, (std::vector<std::string>{"0", "1", "TRUE"}));
}

TEST(CsvRead, CategoricalLevelsSortedByBytesWithCodes) {
  const Dataset data = parse_csv("g\nb\nB\na\n10\n9\nNA\nb\n", "x.csv");
  const Column& g = data.column("g");
  ASSERT_TRUE(g.is_categorical());
  EXPECT_EQ(g.levels, (std::vector<std::string>{"10", "9", "B", "a", "b"}));
  ASSERT_EQ(g.values.size(), 7u);
  EXPECT_EQ(g.values[0], 4.0);
  EXPECT_EQ(g.values[1], 2.0);
  EXPECT_EQ(g.values[2], 3.0);
  EXPECT_EQ(g.values[3], 0.0);
  EXPECT_EQ(g.values[4], 1.0);
  EXPECT_TRUE(std::isnan(g.values[5]));
  EXPECT_EQ(g.values[6], 4.0);
}

TEST(CsvRead, UnquotedLabelsTrimmedQuotedKept) {
  const Dataset data = parse_csv("g\n a \na\n\" a\"\n", "x.csv");
  EXPECT_EQ(data.column("g").levels, (std::vector<std::string>{" a", "a"}));
  EXPECT_EQ(data.column("g").values, (std::vector<double>{1, 1, 0}));
}

TEST(CsvRead, HexAndThousandsSeparatorsAreText) {
  EXPECT_TRUE(parse_csv("v\n0x10\n", "x.csv").column("v").is_categorical());
  EXPECT_TRUE(parse_csv("v\n\"1,000\"\n", "x.csv").column("v").is_categorical());
  EXPECT_TRUE(parse_csv("v\n1e\n", "x.csv").column("v").is_categorical());
}

TEST(CsvRead, InfinityInATextColumnIsALabel) {
  const Dataset data = parse_csv("v\ninf\nlow\n", "x.csv");
  EXPECT_EQ(data.column("v").levels, (std::vector<std::string>{"inf", "low"}));
}

// ---- Malformed input: every error names the file and the line or column ----

TEST(CsvReadErrors, EmptyFileAndHeaderOnly) {
  EXPECT_TRUE(contains(parse_error(""), "x.csv: empty file")) << parse_error("");
  EXPECT_TRUE(contains(parse_error(" \r\n\n"), "no data rows"));
  EXPECT_TRUE(contains(parse_error("\xEF\xBB\xBF"), "no data rows"));
  EXPECT_TRUE(contains(parse_error("a,b"), "x.csv: no data rows"));
  EXPECT_TRUE(contains(parse_error("a,b\n\n\n"), "x.csv: no data rows"));
}

TEST(CsvReadErrors, EmptyHeaderName) {
  const std::string message = parse_error("a, ,c\n1,2,3\n");
  EXPECT_TRUE(contains(message, "x.csv: line 1: column 2 has an empty name")) << message;
  EXPECT_TRUE(contains(parse_error("a,b,\n1,2,3\n"), "column 3 has an empty name"));
}

TEST(CsvReadErrors, DuplicateHeaderName) {
  const std::string message = parse_error("a,b, a\n1,2,3\n");
  EXPECT_TRUE(contains(message, "x.csv: line 1: column 3 has the same name 'a' as column 1")) << message;
}

TEST(CsvReadErrors, WrongFieldCountNamesLine) {
  const std::string text = "a,b,c\n1,2,3\n4,5\n";
  EXPECT_EQ(parse_error(text), "x.csv: line 3: 2 fields, expected 3 (header has 3 columns)");
  EXPECT_EQ(parse_error("a,b\n1,2\n3,4,5\n"), "x.csv: line 3: 3 fields, expected 2 (header has 2 columns)");
}

TEST(CsvReadErrors, LineNumbersCountNewlinesInsideQuotes) {
  // Row 1 spans lines 2-4, so the short row is on line 5.
  const std::string message = parse_error("a,b\n1,\"x\r\ny\nz\"\n2\n");
  EXPECT_EQ(message, "x.csv: line 5: 1 field, expected 2 (header has 2 columns)");
}

TEST(CsvReadErrors, BlankLineInsideData) {
  const std::string message = parse_error("a,b\n1,2\n\n3,4\n");
  EXPECT_TRUE(contains(message, "x.csv: line 3: empty line, expected 2 fields")) << message;
}

TEST(CsvReadErrors, UnterminatedQuoteNamesWhereItBegan) {
  const std::string message = parse_error("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  EXPECT_TRUE(contains(message, "x.csv: line 3: column 2: quoted field is never closed")) << message;
}

TEST(CsvReadErrors, TextAfterClosingQuote) {
  const std::string message = parse_error("a,b\n1,\"x\"y\n");
  EXPECT_TRUE(contains(message, "x.csv: line 2: column 2: unexpected 'y' after a closing quote")) << message;
  EXPECT_TRUE(contains(parse_error("a,b\n1,\"x\"\xC3\xA9\n"), "unexpected byte 0xC3 after a closing quote"));
  // Blanks after the closing quote are tolerated.
  EXPECT_EQ(parse_csv("a,b\n1,\"x\"  \n", "x.csv").column("b").levels, (std::vector<std::string>{"x"}));
}

TEST(CsvReadErrors, InvalidUtf8NamesLine) {
  EXPECT_TRUE(contains(parse_error("a,b\n1,2\n3,\xFF\n"), "x.csv: line 3: invalid UTF-8 (byte 0xFF)"));
  EXPECT_TRUE(contains(parse_error("a\n\xC0\xAF\n"), "line 2: invalid UTF-8"));       // overlong '/'
  EXPECT_TRUE(contains(parse_error("a\n\xED\xA0\x80\n"), "line 2: invalid UTF-8"));   // surrogate
  EXPECT_TRUE(contains(parse_error("a\r\nb\r\n\xE2\x82"), "line 3: invalid UTF-8"));  // truncated
  EXPECT_TRUE(contains(parse_error("\xE9t\xE9\n1\n"), "line 1: invalid UTF-8"));      // Latin-1
}

TEST(CsvReadErrors, InfiniteValueNamesLineAndColumn) {
  const std::string message = parse_error("a,b\n1,2\n3,-inf\n");
  EXPECT_TRUE(contains(message, "x.csv: line 3: column 2 ('b'): '-inf' is infinite")) << message;
  EXPECT_TRUE(contains(parse_error("a\nInfinity\n"), "line 2: column 1 ('a')"));
  const std::string overflow = parse_error("a\n1\n1e999\n");
  EXPECT_TRUE(contains(overflow, "line 3: column 1 ('a'): '1e999' is outside the range of a double"))
      << overflow;
}

// ---- Files ----

class CsvFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("casebook_csv_test_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }
  std::filesystem::path folder_;
};

TEST_F(CsvFiles, ReadsAFileAndNamesItAsSource) {
  const auto path = folder_ / "data.csv";
  std::ofstream(path, std::ios::binary) << "y,t\n1,0\n2,1\n";
  const Dataset data = read_csv(path);
  EXPECT_EQ(data.rows(), 2u);
  EXPECT_EQ(data.source(), path.string());
}

TEST_F(CsvFiles, ErrorsInAFileNameThePath) {
  const auto path = folder_ / "bad.csv";
  std::ofstream(path, std::ios::binary) << "y,t\n1\n";
  EXPECT_EQ(input_error_of([&] { (void)read_csv(path); }),
            path.string() + ": line 2: 1 field, expected 2 (header has 2 columns)");
}

TEST_F(CsvFiles, MissingFileNamesThePath) {
  const auto path = folder_ / "nope.csv";
  const std::string message = input_error_of([&] { (void)read_csv(path); });
  EXPECT_TRUE(contains(message, path.string() + ": cannot open")) << message;
  EXPECT_TRUE(contains(input_error_of([&] { (void)read_csv(folder_); }), folder_.string()));
}

// Speed is measured in bench/, not here: this checks a large file is read correctly.
TEST_F(CsvFiles, HundredThousandRowsReadCorrectly) {
  std::string text = "c0";
  for (int j = 1; j < 15; ++j) text += ",c" + std::to_string(j);
  text += '\n';
  for (int i = 0; i < 100000; ++i) {
    for (int j = 0; j < 15; ++j) {
      if (j > 0) text += ',';
      text += j == 14 ? (i % 3 == 0 ? "treated" : "control") : std::to_string(i * 0.001 + j);
    }
    text += '\n';
  }
  const Dataset data = parse_csv(text, "big.csv");
  EXPECT_EQ(data.rows(), 100000u);
  EXPECT_EQ(data.column("c14").levels, (std::vector<std::string>{"control", "treated"}));
  EXPECT_DOUBLE_EQ(data.column("c3").values[99999], 99.999 + 3);
}

}  // namespace
}  // namespace casebook

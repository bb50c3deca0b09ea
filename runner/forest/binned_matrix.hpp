#pragma once
// Covariates pre-binned for histogram split search: each column is cut at up to 255 of its
// quantiles and every value replaced by its bin code (uint8), stored row-major so a tree reads a
// sample's whole row with one cache line and prediction walks one row per point.
// A column with at most 256 distinct values keeps every value in its own bin (exact splits).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

namespace casebook {

// The cut points of one column: bin(x) = the first k with x <= cuts[k], or cuts.size() if none.
// A split "bin <= b" therefore means "x <= cuts[b]" for any x, seen in training or not.
struct ColumnBins {
  std::vector<double> cuts;  // strictly increasing, at most 255
  std::uint8_t bin(double x) const;
};

class BinnedMatrix {
 public:
  static constexpr std::size_t kMaxBins = 256;

  BinnedMatrix() = default;
  // Cuts each column of `x` (rows × cols) at its quantiles (at most `max_bins` bins).
  static BinnedMatrix fit(const Eigen::Ref<const Eigen::MatrixXd>& x, std::size_t max_bins = kMaxBins);
  // Codes new points with these cuts (same column order).
  BinnedMatrix apply(const Eigen::Ref<const Eigen::MatrixXd>& x) const;
  // A copy with column `col` set to the bin of `value` in every row (S-learner: do(T = t)).
  BinnedMatrix with_column_set(std::size_t col, double value) const;

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return bins_.size(); }
  std::span<const std::uint8_t> row(std::size_t i) const { return {codes_.data() + i * cols(), cols()}; }
  std::uint8_t code(std::size_t i, std::size_t col) const { return codes_[i * cols() + col]; }
  const ColumnBins& bins(std::size_t col) const { return bins_[col]; }

 private:
  std::size_t rows_ = 0;
  std::vector<ColumnBins> bins_;
  std::vector<std::uint8_t> codes_;  // row-major, rows × cols
};

}  // namespace casebook

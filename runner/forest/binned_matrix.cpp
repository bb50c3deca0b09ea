#include "forest/binned_matrix.hpp"

#include <algorithm>
#include <cmath>

#include "core/input_error.hpp"

namespace casebook {
namespace {

// Quantile cuts from at most this many values: beyond it the cuts barely move, and sorting a
// strided subset keeps binning a million rows cheap. The subset is deterministic.
constexpr std::size_t kMaxValuesForCuts = 200'000;

ColumnBins column_cuts(const Eigen::Ref<const Eigen::VectorXd>& column, std::size_t max_bins) {
  const auto n = static_cast<std::size_t>(column.size());
  const std::size_t stride = std::max<std::size_t>(1, (n + kMaxValuesForCuts - 1) / kMaxValuesForCuts);
  std::vector<double> values;
  values.reserve(n / stride + 1);
  for (std::size_t i = 0; i < n; i += stride) values.push_back(column[static_cast<Eigen::Index>(i)]);
  std::sort(values.begin(), values.end());
  std::vector<double> distinct = values;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());

  ColumnBins bins;
  if (distinct.size() <= max_bins) {
    // Every value its own bin; the largest needs no cut (it falls in the last bin).
    bins.cuts.assign(distinct.begin(), distinct.end() - (distinct.empty() ? 0 : 1));
    return bins;
  }
  for (std::size_t k = 1; k < max_bins; ++k) {
    const std::size_t at = k * values.size() / max_bins;
    const double cut = values[std::min(at, values.size() - 1)];
    if (cut < values.back() && (bins.cuts.empty() || cut > bins.cuts.back())) bins.cuts.push_back(cut);
  }
  return bins;
}

}  // namespace

std::uint8_t ColumnBins::bin(double x) const {
  return static_cast<std::uint8_t>(std::lower_bound(cuts.begin(), cuts.end(), x) - cuts.begin());
}

BinnedMatrix BinnedMatrix::fit(const Eigen::Ref<const Eigen::MatrixXd>& x, std::size_t max_bins) {
  if (max_bins < 2 || max_bins > kMaxBins)
    throw InputError("forest: the number of bins must be between 2 and 256");
  BinnedMatrix m;
  m.bins_.reserve(static_cast<std::size_t>(x.cols()));
  for (Eigen::Index j = 0; j < x.cols(); ++j) m.bins_.push_back(column_cuts(x.col(j), max_bins));
  return m.apply(x);
}

BinnedMatrix BinnedMatrix::apply(const Eigen::Ref<const Eigen::MatrixXd>& x) const {
  if (static_cast<std::size_t>(x.cols()) != cols())
    throw InputError(
        "forest: the points to predict have a different number of covariates than the training data");
  BinnedMatrix m;
  m.rows_ = static_cast<std::size_t>(x.rows());
  m.bins_ = bins_;
  m.codes_.resize(m.rows_ * cols());
  for (std::size_t j = 0; j < cols(); ++j) {
    const auto column = x.col(static_cast<Eigen::Index>(j));
    for (std::size_t i = 0; i < m.rows_; ++i)
      m.codes_[i * cols() + j] = bins_[j].bin(column[static_cast<Eigen::Index>(i)]);
  }
  return m;
}

BinnedMatrix BinnedMatrix::with_column_set(std::size_t col, double value) const {
  BinnedMatrix m = *this;
  const std::uint8_t code = bins_.at(col).bin(value);
  for (std::size_t i = 0; i < rows_; ++i) m.codes_[i * cols() + col] = code;
  return m;
}

}  // namespace casebook

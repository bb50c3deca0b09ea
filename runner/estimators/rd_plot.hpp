#pragma once
// The regression-discontinuity plot as rdrobust's rdplot draws it by default (Calonico, Cattaneo &
// Titiunik 2015, "Optimal data-driven regression discontinuity plots", JASA): evenly spaced bins on
// each side of the cutoff, as many as mimic the variance of the raw data (binselect "esmv"):
//   J = ceil(var(y) / V · n / log(n)²), V = Σ (x_(i+1) − x_(i)) (y_(i+1) − y_(i))² / (2 · range)
// over the side's points sorted by x, n the points of both sides; with mass points (≥ 20% of a
// side's points repeated) rdplot's masspoints = "adjust" uses "esmvpr", V from quartic fits of y
// and y² at the spacings' midpoints. Bin k covers [x_min + (k−1) w, x_min + k w), w = range / J,
// the last bin closed at the cutoff (the right side likewise up to x_max). Each bin reports the
// means of x and y and its count; the curves are the global polynomials of order p (default 4, a
// least-squares fit of y on (x − c)^0..p on each side, rdplot's uniform kernel over the whole
// range). A library function for the RD estimators and cases; no registry entry.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "estimators/estimate.hpp"

namespace casebook {

struct RdPlotBin {
  double middle = 0;  // the bin's midpoint (rdplot's rdplot_mean_bin), where its mean is drawn
  double mean_x = 0;  // mean running variable of its points
  double mean_y = 0;  // mean outcome of its points (NaN when the bin is empty)
  std::size_t n = 0;  // its points
};

struct RdPlotSide {
  std::size_t bins = 0;              // rdplot's J (mimicking variance)
  std::size_t bins_imse = 0;         // rdplot's J_IMSE, for reference
  double variance = 0;               // the V above
  std::vector<RdPlotBin> bin;        // left to right
  std::vector<double> coefficients;  // the global polynomial in (x − c), constant first
};

struct RdPlot {
  RdPlotSide left, right;
  std::string method;  // "esmv", or "esmvpr" with mass points
  // "points": the bin means (one series a side; empty bins left out); "lines": the fitted
  // polynomials (one series a side, 200 points each). Plot has one kind a figure, so the two are
  // separate plots with the same axes.
  Plot bins_plot, fit_plot;
};

// Throws InputError when x and y differ in length, a value is not finite, the cutoff is not strictly
// inside the range of x, or a side has fewer than p + 1 distinct values of x.
RdPlot rd_plot(std::span<const double> x, std::span<const double> y, double cutoff = 0, std::size_t p = 4,
               const std::string& x_label = "x", const std::string& y_label = "y");

}  // namespace casebook

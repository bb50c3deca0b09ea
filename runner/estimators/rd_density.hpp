#pragma once
// `rd-density`: the manipulation test of Cattaneo, Jansson & Ma at the cutoff of a running variable,
// as R's rddensity (2.x) computes it with its documented defaults. The empirical CDF of the running
// variable, (rank - 1)/(N - 1) at each sorted point (tied points take their last rank, rddensity's
// massPoints = TRUE), is fitted within [c - h_left, c + h_right] by a kernel-weighted polynomial in
// (x - c)/h on each side; a side's density is its slope over h (Cattaneo, Jansson & Ma 2020, JASA).
// As rddensity's default (all = FALSE, the "robust" row) the reported densities and their
// difference f_right - f_left come from the order q = p + 1 fit at the bandwidths chosen for order
// p, so the test T = (f_right - f_left)/SE is bias-corrected; the order-p fit at the same
// bandwidths is the "conventional" row (diagnostics *_p). Variances: vce=jackknife (rddensity's
// default; the leave-one-out change of the estimated CDF) or vce=plugin (the asymptotic formula
// with the kernel constants S and G). Bandwidths as rdbwdensity: MSE-optimal for the left and the
// right density, their difference and their sum, from normal-reference pilots, regularised to the
// data's range and to at least 20 + p + 1 observations and distinct values a side; bwselect=comb
// (rddensity's default) takes on each side the median of that side's, diff and sum; each, diff and
// sum take those; option h fixes both. The plot shows the order-p density estimated over a grid on
// each side with pointwise jackknife bands (as rdplotdensity draws it), one-sided at the cutoff.
#include "data/dataset.hpp"
#include "estimators/estimate.hpp"

namespace casebook {

Estimate rd_density(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

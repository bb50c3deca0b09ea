#pragma once
// `cuped`: controlled-experiment using pre-experiment data (Deng, Xu, Kohavi & Walker 2013). The
// outcome is adjusted by its slope θ on pre-period metrics, Y - θ(X - mean X), and the arms are
// compared by difference in means with the Neyman SE. θ is pooled across arms (the covariate
// coefficients of OLS y ~ t + X, so the estimate equals that OLS coefficient on t) or fitted by
// arm (Lin 2013: the estimate equals estimatr::lm_lin's). With `adjustment=cupac` the metrics are
// first turned into one cross-fitted linear prediction of the outcome (CUPAC, DoorDash 2020).
#include "data/dataset.hpp"
#include "estimators/estimate.hpp"

namespace casebook {

Estimate cuped(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

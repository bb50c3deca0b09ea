#pragma once
// `segment-effects`: heterogeneous effects by segment, as Lips, Camacho & van de Velden (2023)
// read the National Study of Learning Mindsets: split the units into segments, then estimate the
// effect within each segment with an existing estimator (psm, iptw or difference-in-means, run
// through the registry on the segment's rows), and test whether the segments' effects differ.
//
// Segments (option segments): kmeans or pam on standardised covariates (segment/segmentation.hpp;
// option segment_covariates, default the covariates; option level segments clusters, e.g. schools,
// by their covariate means; k chosen by average silhouette over 2..kmax unless option k is given),
// column (the levels of option column: domain segments), or cate (k quantile groups of a causal
// forest's out-of-bag CATE on the covariates, clustered by option level: model segments).
//
// The estimate is the average of the segment effects weighted by segment size: by treated rows for
// estimand att, by rows for ate; its SE treats the segments as independent, sqrt(Σ w² se²), with a
// normal interval. A segment without a treated or a control row (or where the inner estimator
// cannot run) is named in a note and reported as not estimable; the weights are over the others.
#include "data/dataset.hpp"
#include "estimators/estimator.hpp"

namespace casebook {

// Tables: segment_effects (segment, n, treated, control, estimate, std_error, ci_low, ci_high,
// p_value; "not estimable" in a segment that is not), segment_profiles (covariate means per
// segment), silhouette_by_k (kmeans, pam). Diagnostics: segments, segments_not_estimable, k,
// average_silhouette, equal_effects_chi2/df/p (Wald test that every estimable segment has the same
// effect), segment{s}_effect, segment{s}_se, segment{s}_ci_low, segment{s}_ci_high. Row outputs:
// segment (1-based) and segment_target (1 for the rows a segment's effect is about: the treated
// ones for att, all for ate), from which the runner scores segments against a simulation's truth.
// Plot effects_by_segment.
Estimate segment_effects(const Dataset& data, const EstimatorArgs& args);

}  // namespace casebook

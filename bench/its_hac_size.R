#!/usr/bin/env Rscript
# How often HAC intervals, and GLS with AR(1) errors, reject a placebo launch in the QANDA
# CausalImpact case's design (cases/qanda-quiz-causal-impact: 365 pre-launch days, the two control
# series as regressors, the main app's own AR(1) swings), as placebo-date refits it: the segmented
# regression of its on the first 365 days with a pretend launch on day t0, its average effect
# tested at 1% (t on n - k df). t0 = 306 leaves a 60-day placebo post-period, as long as the real
# one (placebo-date's default for a series since 2026-12-08); t0 = 183 is the half-year placebo it
# used before. Compares sandwich's NeweyWest without and with prewhitening (its's choice;
# NeweyWest's default), vcovHAC, the quadratic-spectral kernel, an equal-weighted cosine variance
# with t_B critical values (Lazarus, Lewis, Stock & Watson 2018, B = 0.4 T^(2/3)), and
# nlme::gls(correlation = corAR1(), method = "REML") (its model=ar1). Not in CI: a few minutes.
#   Rscript bench/its_hac_size.R [replications] [t0]
suppressPackageStartupMessages({
  library(sandwich)
  library(nlme)
})
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args) >= 1) as.integer(args[1]) else 1500
placebo_day <- if (length(args) >= 2) as.integer(args[2]) else 306
set.seed(20261207)

simulate <- function(n = 365, t0 = placebo_day) {
  calendar <- as.numeric(stats::filter(rnorm(n), 0.85, method = "recursive"))
  own <- as.numeric(stats::filter(rnorm(n, 0, 0.6), 0.6, method = "recursive"))
  period <- 1:n
  growth <- 0.02 * period
  post <- as.numeric(period >= t0)
  data.frame(y = 100 + growth + 2 * calendar + own, trend = period - t0, post = post,
             post_trend = post * (period - t0),
             other_subjects = 40 + 0.6 * growth + 1.5 * calendar + rnorm(n, 0, 0.2),
             other_market = 25 + 0.5 * growth + 1.2 * calendar + rnorm(n, 0, 0.2))
}

ewc <- function(fit, cvec) {  # the variance of cvec'b and its degrees of freedom
  x <- model.matrix(fit)
  n <- nrow(x)
  psi <- drop(x %*% solve(crossprod(x) / n, cvec)) * residuals(fit)
  b <- floor(0.4 * n^(2 / 3))
  lambda <- sapply(1:b, function(j) sqrt(2 / n) * sum(psi * cos(pi * j * ((1:n) - 0.5) / n)))
  list(var = mean(lambda^2) / n, df = b)
}

rejections <- matrix(0, reps, 6, dimnames = list(NULL, c("NeweyWest prewhite=FALSE", "NeweyWest prewhite=TRUE",
                                                         "vcovHAC", "kernHAC quadratic spectral",
                                                         "equal-weighted cosine, t_B", "gls corAR1 REML")))
for (r in 1:reps) {
  d <- simulate()
  fit <- lm(y ~ ., data = d)
  cvec <- c(0, 0, 1, mean(d$trend[d$post == 1]), 0, 0)
  estimate <- sum(cvec * coef(fit))
  critical <- qt(0.995, fit$df.residual)
  variances <- list(NeweyWest(fit, prewhite = FALSE, adjust = FALSE), NeweyWest(fit, adjust = FALSE),
                    vcovHAC(fit), kernHAC(fit, kernel = "Quadratic Spectral"))
  for (k in 1:4) rejections[r, k] <- abs(estimate) > critical * sqrt(drop(t(cvec) %*% variances[[k]] %*% cvec))
  e <- ewc(fit, cvec)
  rejections[r, 5] <- abs(estimate) > qt(0.995, e$df) * sqrt(e$var)
  d$day <- seq_len(nrow(d))
  gls_fit <- gls(y ~ . - day, data = d, correlation = corAR1(form = ~day), method = "REML")
  rejections[r, 6] <- abs(sum(cvec * coef(gls_fit))) >
    critical * sqrt(drop(t(cvec) %*% vcov(gls_fit) %*% cvec))
}
cat(sprintf("placebo launch on day %d of 365, %d series\n", placebo_day, reps))
rate <- colMeans(rejections)
cat(sprintf("%-30s %5.1f%% ± %.1f%%\n", colnames(rejections), 100 * rate, 100 * sqrt(rate * (1 - rate) / reps)),
    sep = "")

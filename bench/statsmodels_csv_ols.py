#!/usr/bin/python3
"""The peer of `casebook estimate ols` from a CSV (bench/streaming_ols.sh): pandas reads the file
(its C parser), statsmodels fits OLS with HC1 on [1, x1..x18, d]. Prints one JSON line with the
seconds of each step and the treatment's estimate and SE."""
import json
import sys
import time

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm


def main():
    start = time.perf_counter()
    frame = pd.read_csv(sys.argv[1], dtype=np.float64)
    read = time.perf_counter() - start
    start = time.perf_counter()
    covariates = [c for c in frame.columns if c.startswith("x")]
    x = np.column_stack([np.ones(len(frame))] + [frame[c].to_numpy() for c in covariates + ["d"]])
    fit = sm.OLS(frame["y"].to_numpy(), x).fit(cov_type="HC1")
    seconds = time.perf_counter() - start
    print(json.dumps({"tool": f"pandas {pd.__version__} + statsmodels {statsmodels.__version__}",
                      "n": len(frame), "read_seconds": read, "fit_seconds": seconds,
                      "estimate": fit.params[-1], "se": fit.bse[-1]}))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""statsmodels on the benchmark data (bench/make_data.py): OLS with HC1 and 2SLS. Only the fit
is timed (reading the file is not). Prints one JSON object per line."""
import json
import sys
import time

import numpy as np
import statsmodels
import statsmodels.api as sm
from statsmodels.sandbox.regression.gmm import IV2SLS


def load(path):
    with open(path, "rb") as f:
        n, columns = np.fromfile(f, dtype="<i8", count=2)
        data = np.fromfile(f, dtype="<f8", count=n * columns).reshape(columns, n)
    covariates = data[: columns - 3]
    d, z, y = data[columns - 3], data[columns - 2], data[columns - 1]
    ones = np.ones((1, n))
    x = np.asfortranarray(np.vstack([ones, covariates, d[None, :]]).T)   # [1, x1..x18, d]
    instruments = np.asfortranarray(np.vstack([ones, covariates, z[None, :]]).T)
    return int(n), x, instruments, y


def best_of(repeats, fit):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    n, x, instruments, y = load(path)

    def ols_hc1():
        fit = sm.OLS(y, x).fit(cov_type="HC1")
        return fit.params[-1], fit.bse[-1]

    def tsls():
        fit = IV2SLS(y, x, instruments).fit()
        return fit.params[-1], fit.bse[-1]

    for name, fit in (("ols_hc1", ols_hc1), ("2sls", tsls)):
        seconds, (estimate, se) = best_of(repeats, fit)
        print(json.dumps({"tool": "statsmodels " + statsmodels.__version__, "fit": name, "n": n,
                          "p": x.shape[1], "seconds": seconds, "estimate": estimate, "se": se}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()

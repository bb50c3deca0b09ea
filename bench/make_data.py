#!/usr/bin/python3
"""Writes the regression benchmark's data once, for both casebook and statsmodels to read.

File layout (little-endian): int64 n, int64 columns (21), then the columns one after another
(column-major float64): x1..x18, d (endogenous treatment), z (binary instrument), y.
The design of both fits is [1, x1..x18, d] (p = 20); 2SLS instruments d with z.
"""
import sys

import numpy as np

COVARIATES = 18


def write(path: str, n: int, seed: int = 20240601) -> None:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, COVARIATES))
    z = (rng.random(n) < 0.5).astype(np.float64)
    u = rng.standard_normal(n)  # the confounder the analyst never sees
    d = 0.8 * z + 0.3 * x[:, 0] + u + rng.standard_normal(n)
    y = 1.0 + x @ np.linspace(0.05, 0.5, COVARIATES) + 1.5 * d + 2.0 * u + rng.standard_normal(n)
    with open(path, "wb") as out:
        np.array([n, COVARIATES + 3], dtype="<i8").tofile(out)
        for j in range(COVARIATES):
            np.ascontiguousarray(x[:, j], dtype="<f8").tofile(out)
        for column in (d, z, y):
            column.astype("<f8").tofile(out)


if __name__ == "__main__":
    write(sys.argv[1], int(float(sys.argv[2])))

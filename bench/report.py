#!/usr/bin/python3
"""Prints the benchmark table from Google Benchmark's JSON and statsmodels' JSON lines."""
import json
import sys


def main(cpp_json, statsmodels_jsonl, mc_seconds=None):
    cpp = {}
    for b in json.load(open(cpp_json))["benchmarks"]:
        kind, n = b["name"].split("/n=")
        n = int(n.split("/")[0])
        cpp[(kind, n)] = b
    sm = {}
    for line in open(statsmodels_jsonl):
        if line.strip():
            r = json.loads(line)
            sm[(r["fit"], r["n"])] = r
    sizes = sorted({n for _, n in cpp})
    ms = lambda b: b["real_time"] if b["time_unit"] == "ms" else b["real_time"] / 1e6
    print("| n | p | one-pass floor | OLS+HC1 fit (matrix) | × floor | ols estimator (from data) | statsmodels OLS HC1 | statsmodels ÷ casebook | 2sls estimator | statsmodels IV2SLS | statsmodels ÷ casebook | max |Δ estimate| |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        floor = ms(cpp[("floor_one_pass", n)])
        ols = cpp[("ols_hc1_matrix", n)]
        ols_est = cpp[("ols_hc1_estimator", n)]
        tsls = cpp[("2sls_hc1_estimator", n)]
        s_ols, s_iv = sm.get(("ols_hc1", n)), sm.get(("2sls", n))
        cell = lambda r: f"{1000 * r['seconds']:.1f} ms" if r else "—"
        ratio = lambda r, b: f"{1000 * r['seconds'] / ms(b):.1f}×" if r else "—"
        delta = max(abs(s_ols["estimate"] - ols["estimate"]) if s_ols else 0,
                    abs(s_iv["estimate"] - tsls["estimate"]) if s_iv else 0)
        print(f"| {n:,} | {int(ols['p'])} | {floor:.1f} ms | {ms(ols):.1f} ms | {ms(ols) / floor:.1f}× | "
              f"{ms(ols_est):.1f} ms | {cell(s_ols)} | {ratio(s_ols, ols)} | {ms(tsls):.1f} ms | {cell(s_iv)} | "
              f"{ratio(s_iv, tsls)} | {delta:.1e} |")
    if mc_seconds:
        print(f"\n`casebook mc tripadvisor-membership-iv --reps 200 --threads 2`: {float(mc_seconds):.1f} s wall")


if __name__ == "__main__":
    main(*sys.argv[1:])

"""The size-and-power table of bench/README.md from the committed cases/*/refuter-mc.json.

Size rows: a valid design, a refutation no claim expects to fail; the rejection rate should be
within the refuter's level plus two Monte Carlo SEs (taken at the level). Power rows: a case that
breaks its valid_counterpart's design, or a refutation a claim expects to fail. Each row also
gives the coverage of the refuted analysis's own CI of the case's truth over the same runs (0% for
an analysis biased by design): a refuter whose rule is that estimator's CI (placebo-date, negative
controls) holds its level only where the CI holds its coverage."""
import glob
import json
import math


def main():
    print("| case | refutation | measures | level | rejection rate ± MC SE | failed / assessed | not assessable "
          "| analysis CI coverage | verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path in sorted(glob.glob("cases/*/refuter-mc.json")):
        with open(path) as f:
            s = json.load(f)
        analyses = {a["id"]: a for a in s["analyses"]}
        for r in s["refutations"]:
            analysis = analyses.get(r["analysis"], {})
            coverage = analysis.get("coverage")
            coverage_text = "—" if coverage is None else f"{100 * coverage:.1f}% of {100 * analysis['confidence_level']:g}%"
            assessed = r["passed"] + r["failed"]
            rate = r["rejection_rate"]
            text = "—" if rate is None else f"{100 * rate:.1f}% ± {100 * r['monte_carlo_se']:.1f}%"
            level = r["level"]
            verdict = ""
            if r["measures"] == "size" and level is not None and assessed:
                bound = level + 2 * math.sqrt(level * (1 - level) / assessed)
                verdict = "**above level**" if rate > bound else f"≤ {100 * bound:.1f}%"
            elif r["measures"] == "power" and assessed:
                base = level if level is not None else 0.01
                chance = base + 2 * math.sqrt(base * (1 - base) / assessed)
                verdict = ("**never detects**" if rate == 0 else
                           "no more than false alarms" if rate <= chance else "detects")
            print(f"| {s['case']} ({s['reps']} runs) | {r['id']} | {r['measures']} | "
                  f"{'tolerance' if level is None else f'{level:g}'} | {text} | {r['failed']} / {assessed} | "
                  f"{r['not_assessable']} | {coverage_text} | {verdict} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Every command at the largest counts it accepts, under an address-space limit (issue 20):
#   bash tests/limits/sweep.sh [--limit-kb 8000000] [--seconds 25] [--binary build/casebook]
# Each run must end in a clean message (exit 2, one line) or a result (exit 0 or 1), or still be
# running at --seconds with a progress line on stderr (a run of 10^7 replicates is long, not hung).
# Never std::bad_alloc, an internal error (exit 3), a signal or a silent run. Prints one row per
# run: the verdict, the exit code, seconds, peak memory and the last line of stderr. Exit 1 if
# any run failed. Takes about 10 minutes.
set -uo pipefail
cd "$(dirname "$0")/../.."
limit_kb=8000000
seconds=25
binary=build/casebook
while (($#)); do
  case $1 in
    --limit-kb) limit_kb=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "sweep.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
binary=$(realpath "$binary")
root=$(pwd)
work=$(mktemp -d /tmp/casebook-sweep-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

# 40 units over 10 periods, treated from period 6 in half of them: every estimator finds its columns.
python3 - >panel.csv <<'PY'
import math, random
random.seed(20)
print("y,d,z,x1,x2,unit,time,post,group,running,w,adoption,observed,y_seen")
for unit in range(1, 41):
    group = unit % 2
    for time in range(1, 11):
        post = int(time >= 6); d = group * post; z = int(random.random() < 0.5)
        x1 = random.gauss(0, 1); running = random.uniform(-1, 1)
        y = 1.0 * d + 0.5 * x1 + 0.1 * time + (running >= 0) + random.gauss(0, 1)
        observed = int(random.random() < 1 / (1 + math.exp(-(0.5 + x1 + running))))
        print(f"{y:.6f},{d},{z},{x1:.6f},{'abc'[unit % 3]},{unit},{time},{post},{group},{running:.6f},{unit % 8},"
              f"{6 if group else 0},{observed},{f'{y:.6f}' if observed else 'NA'}")
PY
# One series of 60 periods (its, causal-impact).
python3 - >series.csv <<'PY'
import random
random.seed(21)
print("y,x1,time")
for t in range(1, 61):
    x = random.gauss(0, 1)
    print(f"{10 + 0.1 * t + x + (2 if t > 40 else 0) + random.gauss(0, 0.5):.6f},{x:.6f},{t}")
PY
# A copy of the project whose cases ask for the largest counts in case.json.
mkdir project && cp -r "$root/cases" "$root/templates" "$root/site" project/
python3 - project/cases/tripadvisor-membership-iv/case.json <<'PY'
import json, sys
path = sys.argv[1]; case = json.load(open(path))
case["monte_carlo"] = {"reps": 10000000}
for r in case.get("refutations", []): r["reps"] = 10000000
case["analyses"][0]["bootstrap"] = {"reps": 10000000}
json.dump(case, open(path, "w"), indent=2)
PY

max=10000000
failed=0
printf '%-8s %4s %6s %9s  %s\n' verdict exit s "peak MB" "command · last line of stderr"
check() {
  local name=$1; shift
  local start end status peak last verdict
  start=$(date +%s.%N)
  (ulimit -v "$limit_kb"; exec /usr/bin/time -f '%M' -o time.txt timeout "$seconds" "$binary" "$@") >out.txt 2>err.txt
  status=$?
  end=$(date +%s.%N)
  peak=$(($(tail -1 time.txt 2>/dev/null | grep -E '^[0-9]+$' || echo 0) / 1024))
  last=$(grep -v '^Command ' err.txt | tail -1)
  case $status in
    0 | 1) verdict=result ;;
    2) if (($(wc -l <err.txt) == 1)) && grep -q '^casebook: error: ' err.txt; then verdict=refused; else verdict=FAILED; fi ;;
    124) if grep -qE '[0-9]+/[0-9]+ .*(elapsed|replications)' err.txt; then verdict=running; else verdict=FAILED; fi ;;
    *) verdict=FAILED ;;
  esac
  grep -qE 'bad_alloc|internal error' err.txt && verdict=FAILED
  [[ $verdict == FAILED ]] && failed=1
  printf '%-8s %4s %6.1f %9s  %s · %s\n' "$verdict" "$status" "$(echo "$end - $start" | bc)" "$peak" "$name" "${last:0:150}"
}

big_n=100000000
check "simulate --n 1e8" simulate tripadvisor-membership-iv --n $big_n --out big.csv
check "run --n 1e8" run tripadvisor-membership-iv --n $big_n
check "run forest case --n 1e8" run youth-tomorrow-savings-cf --n $big_n
check "run panel case --n 1e8" run qanda-quiz-staggered --n $big_n
check "mc --reps 1e7" mc tripadvisor-membership-iv --reps $max
check "mc --reps 1e7 --n 1e8" mc qanda-quiz-did --reps $max --n $big_n
check "mc --refutations --reps 1e7" mc bing-cuped-ab-test --reps $max --refutations
check "mc --threads 1024" mc bing-cuped-ab-test --reps 4 --threads 1024
check "case.json counts at 1e7: run" --root project run tripadvisor-membership-iv --n 2000
check "case.json counts at 1e7: mc" --root project mc tripadvisor-membership-iv --n 2000
check "--seed 2^64-1" run bing-cuped-ab-test --seed 18446744073709551615
check "--seed 2^64" run bing-cuped-ab-test --seed 18446744073709551616

p="--data panel.csv --outcome y"
s="--data series.csv --outcome y"
check "ols --bootstrap 1e7" estimate ols $p --treatment d --bootstrap $max
check "ols --bootstrap 1e7 --cluster" estimate ols $p --treatment d --cluster w --bootstrap $max
check "quantile-regression boot 1e7" estimate quantile-regression $p --treatment d --option se=boot --option replications=$max
check "mediation sims 1e7" estimate mediation $p --treatment d --option mediator=x1 --option sims=$max
check "mediation bootstrap 1e7" estimate mediation $p --treatment d --option mediator=x1 --option ci=bootstrap --option sims=$max
check "causal-impact niter 1e7" estimate causal-impact $s --covariates x1 --option time=time --option post_start=41 --option niter=$max
check "synthdid placebo 1e7" estimate synthdid $p --treatment d --option time=time --option se=placebo --option replications=$max
check "synthdid bootstrap 1e7" estimate synthdid $p --treatment d --option time=time --option se=bootstrap --option replications=$max
for learner in causal-forest regression-forest s-learner t-learner x-learner dr-learner; do
  check "$learner --trees 1e7" estimate $learner $p --treatment d --covariates x1 --trees $max
done
check "instrumental-forest --trees 1e7" estimate instrumental-forest $p --treatment d --instruments z --covariates x1 --trees $max
check "rdd p 1e7" estimate rdd $p --option running=running --option p=$max
check "rdd q 1e7" estimate rdd $p --option running=running --option q=$max
check "rdd nnmatch 1e7" estimate rdd $p --option running=running --option nnmatch=$max
check "rd-density p 1e7" estimate rd-density --data panel.csv --option running=running --option p=$max
check "aipw folds 1e7" estimate aipw $p --treatment d --covariates x1 --option folds=$max
check "cuped cupac folds 1e7" estimate cuped $p --treatment d --covariates x1 --option adjustment=cupac --option folds=$max
check "subclassification 1e7" estimate subclassification $p --treatment d --covariates x1 --option subclasses=$max
check "entropy-balancing moments 1e7" estimate entropy-balancing $p --treatment d --covariates x1 --option moments=$max
check "entropy-balancing iterations 1e7" estimate entropy-balancing $p --treatment d --covariates x1 --option max_iterations=$max
check "heckman ml iterations 1e7" estimate heckman --data panel.csv --outcome y_seen --treatment d --covariates x1 --option selection=observed --option selection_covariates=x1,running --option method=ml --option max_iterations=$max
check "its hac_lag 1e7" estimate its $s --option time=time --option intervention=41 --option hac_lag=$max
check "its seasonality 1e7" estimate its $s --option time=time --option intervention=41 --option seasonality=$max
check "cem cutpoints 1e7" estimate cem $p --treatment d --covariates x1 --option cutpoints=$max
check "event-study relative 1e7" estimate event-study $p --treatment d --option time=time --option min_relative=-$max --option max_relative=$max
check "synthetic-control 1e7 lags" estimate synthetic-control $p --treatment d --option time=time --option outcome_lags=$max
check "estimate --threads 1024" estimate ols $p --treatment d --bootstrap 50 --threads 1024
exit $failed

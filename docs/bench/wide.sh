#!/usr/bin/env bash
# Issue 16: ModelZoo against polars + scikit-learn on BMI and on the 51-column wide table (full
# precision and rounded to 6 decimals), same session. Wall times: median of REPEATS runs for zoo,
# polars_predict.py's best of REPEATS; peak RSS from /usr/bin/time.
#   docs/bench/wide.sh [ROWS] [REPEATS]      (default 1000000 3; needs ../shared/peers/setup.sh once)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PEERS_PY:-/tmp/peers-venv/bin/python}
PEERS=../shared/peers
ROWS=${1:-1000000}; REP=${2:-3}
W=${BENCH_DIR:-/tmp/zoo-wide}; mkdir -p "$W"
Z=${ZOO:-.build/release/zoo}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() {  # label cmd...: median wall and CPU (user+sys) seconds, max peak RSS over REP runs
  local label=$1; shift; local walls=() cpus=() rss=0
  for _ in $(seq "$REP"); do
    # zoo fsyncs its output (1 GB for the wide table): the last run's writeback must not land in this one's.
    sync
    /usr/bin/time -f "%e %M %U %S" -o "$W/time.txt" "$@" >/dev/null 2>"$W/stderr.txt"
    read -r wall kb u s < "$W/time.txt"; walls+=("$wall"); cpus+=("$(echo "$u + $s" | bc)"); [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$label: median $(printf '%s\n' "${walls[@]}" | median) s wall of [${walls[*]}], CPU $(printf '%s\n' "${cpus[@]}" | median) s, peak RSS $((rss / 1024)) MB"
}
uptime
# Data: training files with the target, inputs without.
[ -f "$W/train20k.csv" ] || $PY $PEERS/gen_wide.py --rows 20000 --out "$W/train20k.csv" --seed 1
[ -f "$W/train160k.csv" ] || $PY $PEERS/gen_wide.py --rows 160000 --out "$W/train160k.csv" --seed 2
[ -f "$W/wide.csv" ] || $PY $PEERS/gen_wide.py --rows "$ROWS" --out "$W/wide.csv" --seed 3 --no-target
[ -f "$W/wide6.csv" ] || $Z data generate --rows "$ROWS" --features 50 --decimals 6 --no-target --seed 3 -o "$W/wide6.csv"
[ -f "$W/bmi.csv" ] || $Z data generate --rows "$ROWS" --seed 402 -o "$W/bmi.csv"
ls -la "$W"/*.csv
for k in linear mlp; do
  [ -f "$W/wide-$k.nnm" ] || $Z train $k --data "$W/train20k.csv" --target y --out "$W/wide-$k.nnm" | grep -E "^test" || true
  [ -f "$W/bmi-$k.nnm" ] || $Z train $k --data data/bmi_data.csv --target BMI --out "$W/bmi-$k.nnm" | grep -E "^test" || true
done
echo "== zoo predict"
for k in linear mlp; do
  timed "zoo predict $k wide full-precision" $Z predict "$W/wide-$k.nnm" "$W/wide.csv" -o "$W/out.csv" --quiet
  timed "zoo predict $k wide 6-decimals" $Z predict "$W/wide-$k.nnm" "$W/wide6.csv" -o "$W/out.csv" --quiet
  timed "zoo predict $k bmi" $Z predict "$W/bmi-$k.nnm" "$W/bmi.csv" -o "$W/out.csv" --quiet
done
[ -n "${BEFORE:-}" ] && timed "zoo BEFORE predict linear wide full-precision" "$BEFORE" predict "$W/wide-linear.nnm" "$W/wide.csv" -o "$W/out.csv" --quiet
timed "zoo predict forest bmi" $Z predict models/bmi-forest.nnm "$W/bmi.csv" -o "$W/out.csv" --quiet
echo "== zoo bench (ingest, ingest + encode)"
$Z bench "$W/wide-linear.nnm" --data "$W/train160k.csv" --repeats 3 | tail -6
$Z bench "$W/bmi-linear.nnm" --data "$W/bmi.csv" --repeats 3 | tail -6
echo "== zoo train linear, 160k wide rows"
timed "zoo train linear wide 160k" $Z train linear --data "$W/train160k.csv" --target y --out "$W/t.nnm" --quiet
[ -n "${BEFORE:-}" ] && timed "zoo BEFORE train linear wide 160k" "$BEFORE" train linear --data "$W/train160k.csv" --target y --out "$W/t.nnm" --quiet
echo "== zoo train linear, 10,000,000 BMI rows (peak RSS against 1.5x the file plus the matrix)"
[ -f "$W/bmi10m.csv" ] || $Z data generate --rows 10000000 --seed 402 -o "$W/bmi10m.csv"
ls -la "$W/bmi10m.csv"
REP=1 timed "zoo train linear bmi 10M" $Z train linear --data "$W/bmi10m.csv" --target BMI --out "$W/t10m.nnm" --quiet
[ -n "${BEFORE:-}" ] && REP=1 timed "zoo BEFORE train linear bmi 10M" "$BEFORE" train linear --data "$W/bmi10m.csv" --target BMI --out "$W/t10m.nnm" --quiet
echo "== polars + scikit-learn"
# polars_predict.py passes MLPRegressor's sizes positionally, which scikit-learn 1.9 refuses: a keyword copy.
sed 's/MLPRegressor((6, 3), /MLPRegressor(hidden_layer_sizes=(6, 3), /' $PEERS/polars_predict.py > "$W/polars_predict.py"
PEERS=$W
for k in linear mlp; do
  for f in wide wide6; do
    echo -n "polars $k $f: "; /usr/bin/time -f "peak RSS %M KB, process CPU %U+%S s, wall %e s" $PY $PEERS/polars_predict.py --train "$W/train20k.csv" --target y --input "$W/$f.csv" --output "$W/pout.csv" --model $k --repeats "$REP" 2>&1 | grep -vE "Warning|warn" | tr '\n' ' '; echo
  done
  echo -n "polars $k bmi: "; /usr/bin/time -f "peak RSS %M KB, process CPU %U+%S s, wall %e s" $PY $PEERS/polars_predict.py --train data/bmi_data.csv --target BMI --input "$W/bmi.csv" --output "$W/pout.csv" --model $k --repeats "$REP" 2>&1 | grep -vE "Warning|warn" | tr '\n' ' '; echo
done
echo -n "polars forest bmi: "; /usr/bin/time -f "peak RSS %M KB, process CPU %U+%S s, wall %e s" $PY $PEERS/polars_predict.py --train data/bmi_data.csv --target BMI --input "$W/bmi.csv" --output "$W/pout.csv" --model forest --repeats 1 2>&1 | grep -vE "Warning|warn" | tr '\n' ' '; echo
echo -n "polars train linear wide 160k: "; /usr/bin/time -f "peak RSS %M KB, process CPU %U+%S s, wall %e s" $PY docs/bench/polars_train.py --data "$W/train160k.csv" --target y --repeats "$REP" 2>&1 | tr '\n' ' '; echo
uptime

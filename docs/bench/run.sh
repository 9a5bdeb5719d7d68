#!/usr/bin/env bash
# Same-session benchmark of ModelZoo against the Python peers (../shared/peers).
#   docs/bench/run.sh [ROWS...]        (default: 1000000 10000000)
# Needs the peers' venv (bash ../shared/peers/setup.sh). Prints ratios from one run on one machine;
# the machine is shared and noisy, so run it when idle and read ratios, not absolute seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PEERS_PY:-/tmp/peers-venv/bin/python}
PEERS=../shared/peers
rows=("${@:-1000000 10000000}")
swift build -c release >/dev/null
Z=.build/release/zoo
$Z demo -q --out-dir /tmp/zoo-bench-models >/dev/null
echo "== training: ModelZoo (release) vs peers.py on data/bmi_data.csv"
for k in linear mlp forest; do
  $Z train $k --data data/bmi_data.csv --target BMI --out /tmp/zoo-bench-$k.nnm | grep -E "^model:|^test"
done
$Z train mlp --data data/bmi_data.csv --target BMI -p hidden=64,64 --out /tmp/zoo-bench-mlp64.nnm | grep -E "^model:|^test"
$PY $PEERS/peers.py --data data/bmi_data.csv --out /tmp/peers.json --repeats 1 2>&1 | grep -vE "oneDNN|absl|WARNING"
$PY docs/bench/ourSplit.py data/bmi_data.csv
for n in ${rows[@]}; do
  f=/tmp/zoo-bench-$n.csv
  [ -f "$f" ] || $Z data generate --rows "$n" --seed 402 -o "$f"
  echo "== CSV ingest and stages, $n rows ($(du -m "$f" | cut -f1) MB)"
  $Z bench /tmp/zoo-bench-models/bmi-linear.nnm --data "$f" --repeats 3 | tail -5
  echo "== batch prediction, $n rows"
  for k in linear neuron mlp forest; do
    /usr/bin/time -f "zoo predict $k: %e s wall, %M KB peak RSS" $Z predict /tmp/zoo-bench-models/bmi-$k.nnm "$f" -o /tmp/zoo-bench-out.csv --quiet 2>&1 | grep wall
  done
  $PY $PEERS/batch_predict.py bench --data data/bmi_data.csv --big "$f" --workdir /tmp/peers-batch --out /tmp/peers-batch-$n.json --repeats 1 2>&1 | tail -6
done

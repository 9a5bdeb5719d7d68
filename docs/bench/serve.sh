#!/usr/bin/env bash
# zoo serve against `mlflow models serve` (../shared/peers/serve_peer.py: the same one-hot + MinMax +
# regressor pipeline, 2 workers) with wrk on loopback: single-row requests at 1, 16 and 64
# connections, 10,000-row dataframe_split requests, and the HTTP stack's ceiling (GET /v2/health/live).
# Needs a release build (swift build -c release), wrk (Debian), and the peers' venv (bash ../shared/peers/setup.sh).
# Usage: docs/bench/serve.sh [SECONDS]   — prints the raw wrk results; docs/benchmarks.md has one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DUR=${1:-10}
PEERS_PY=${PEERS_VENV:-/tmp/peers-venv}/bin/python
PEER="$ROOT/../shared/peers/serve_peer.py"
ZOO="$ROOT/.build/release/zoo"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$PEERS_PY" - "$ROOT/data/bmi_data.csv" "$WORK" <<'PY'
import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if all(v.strip() for v in r.values())]
cols = ["Sex", "Age", "Height(Inches)", "Weight(Pounds)"]
def split(rs): return {"dataframe_split": {"columns": cols, "data": [[r["Sex"]] + [float(r[c]) for c in cols[1:]] for r in rs]}}
json.dump(split(rows[:1]), open(sys.argv[2] + "/one.json", "w"))
json.dump(split(rows[:10000]), open(sys.argv[2] + "/10k.json", "w"))
PY
for f in one 10k; do
  cat > "$WORK/$f.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/$f.json", "rb"); wrk.body = f:read("*a"); f:close()
LUA
done

wait_port() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1$2" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "port $1 never answered"; exit 1; }
run() { echo "### $1"; shift; wrk --latency "$@" | grep -E "Requests/sec|Latency|Transfer|requests in|  50%|  99%|Non-2xx|Socket errors"; }

for m in linear forest; do
  mkdir -p "$WORK/zoo-$m"; cp "$ROOT/models/bmi-$m.nnm" "$WORK/zoo-$m/"
  # serve_peer.py as is, except that the forest's tree type is declared trusted: MLflow's skops
  # serialisation refuses sklearn.tree._tree.Tree otherwise (the model is our own, just trained).
  "$PEERS_PY" -c '
import functools, runpy, sys
import mlflow.sklearn as ms
ms.save_model = functools.partial(ms.save_model, skops_trusted_types=["sklearn.tree._tree.Tree"])
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")' "$PEER" save --data "$ROOT/data/bmi_data.csv" --model $m --out "$WORK/mlflow-$m" >"$WORK/save-$m.log" 2>&1 \
    || { cat "$WORK/save-$m.log"; exit 1; }
done

for m in linear forest; do
  "$ZOO" serve "$WORK/zoo-$m" --port 18090 2>"$WORK/zoo-$m.log" & ZPID=$!
  wait_port 18090 /ping
  URL=http://127.0.0.1:18090/invocations
  for c in 1 16 64; do run "zoo $m single-row c=$c" -t $(( c < 2 ? 1 : 2 )) -c $c -d ${DUR}s -s "$WORK/one.lua" $URL; done
  run "zoo $m 10k-row c=4" -t 2 -c 4 -d ${DUR}s -s "$WORK/10k.lua" $URL
  [ $m = linear ] && run "zoo ceiling GET /v2/health/live c=16" -t 2 -c 16 -d ${DUR}s http://127.0.0.1:18090/v2/health/live
  echo "### zoo $m peak RSS: $(grep VmHWM /proc/$ZPID/status)"
  kill -TERM $ZPID; wait $ZPID || true

  "$PEERS_PY" "$PEER" serve --dir "$WORK/mlflow-$m" --port 18091 --workers 2 >"$WORK/mlflow-$m.log" 2>&1 & MPID=$!
  wait_port 18091 /ping
  URL=http://127.0.0.1:18091/invocations
  for c in 1 16 64; do run "mlflow $m single-row c=$c" -t $(( c < 2 ? 1 : 2 )) -c $c -d ${DUR}s --timeout 10s -s "$WORK/one.lua" $URL; done
  run "mlflow $m 10k-row c=4" -t 2 -c 4 -d ${DUR}s --timeout 30s -s "$WORK/10k.lua" $URL
  echo "### mlflow $m peak RSS (all processes): $(ps -o rss= --ppid $MPID --pid $MPID | awk '{s+=$1} END {print s " kB"}')"
  pkill -TERM -P $MPID 2>/dev/null || true; kill -TERM $MPID 2>/dev/null || true; wait $MPID 2>/dev/null || true
  sleep 1
done

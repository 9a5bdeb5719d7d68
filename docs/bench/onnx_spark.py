#!/usr/bin/env python3
"""ONNX export and Spark routes against zoo predict and the Python user's routes, in one run.

  python docs/bench/onnx_spark.py --zoo .build/release/zoo --workdir /tmp/zoo-bench-onnx \
      [--ort-rows 200000] [--spark-rows 1000000] [--peer-python /tmp/peers-venv/bin/python]

Needs the integration venv's packages (onnxruntime, pyspark, pandas) in the running Python; the Spark
peer runs in the peers venv (../shared/peers/setup.sh). Prints one JSON object per measurement."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(cmd, **kw):
    start = time.perf_counter()
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit(f"{cmd} failed: {r.stderr[-3000:]}")
    return time.perf_counter() - start, r


def emit(**kv):
    print(json.dumps(kv), flush=True)


def ort_bench(a, work):
    import numpy as np
    import onnxruntime as ort
    import pandas as pd
    data = work / f"ort-{a.ort_rows}.csv"
    if not data.exists():
        timed([a.zoo, "data", "generate", "--rows", a.ort_rows, "--lf", "-o", data])
    for kind in ["mlp", "forest"]:
        model = ROOT / "models" / f"bmi-{kind}.nnm"
        onnx_path = work / f"bmi-{kind}.onnx"
        timed([a.zoo, "export", model, "-o", onnx_path])
        secs, _ = timed([a.zoo, "predict", model, data, "-o", work / "zoo-out.csv", "--quiet"])
        emit(what="zoo predict end to end", kind=kind, rows=a.ort_rows, seconds=round(secs, 3), rows_per_s=round(a.ort_rows / secs))
        start = time.perf_counter()
        session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
        load = time.perf_counter() - start
        start = time.perf_counter()
        frame = pd.read_csv(data, dtype=str, keep_default_na=False)
        feeds = {}
        for i in session.get_inputs():
            col = frame[i.name].str.strip()
            feeds[i.name] = (col.to_numpy(dtype=object) if i.type == "tensor(string)"
                             else pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)).reshape(-1, 1)
        read = time.perf_counter() - start
        start = time.perf_counter()
        y = session.run(None, feeds)[0]
        run = time.perf_counter() - start
        start = time.perf_counter()
        frame["BMI_pred"] = y[:, 0]
        frame.to_csv(work / "ort-out.csv", index=False)
        write = time.perf_counter() - start
        total = read + run + write
        emit(what="onnxruntime", kind=kind, rows=a.ort_rows, session_load_s=round(load, 3), inference_s=round(run, 3),
             inference_rows_per_s=round(a.ort_rows / run), end_to_end_s=round(total, 3),
             end_to_end_rows_per_s=round(a.ort_rows / total), onnx_bytes=onnx_path.stat().st_size)


def spark_bench(a, work):
    data = work / f"spark-{a.spark_rows}.csv"
    if not data.exists():
        timed([a.zoo, "data", "generate", "--rows", a.spark_rows, "--lf", "-o", data])
    model = ROOT / "models" / f"bmi-{a.spark_model}.nnm"
    onnx_path = work / f"bmi-{a.spark_model}.onnx"
    timed([a.zoo, "export", model, "-o", onnx_path])
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    jobs = ROOT / "examples" / "spark"
    runs = [
        ("spark floor: read + write CSV", [sys.executable, Path(__file__).parent / "spark_floor.py", "--input", data, "--output", work / "floor"]),
        ("spark floor: TRANSFORM through cat", [sys.executable, Path(__file__).parent / "spark_floor.py", "--input", data, "--output", work / "floor-cat", "--through-cat"]),
        ("TRANSFORM through zoo predict", [sys.executable, jobs / "transform_job.py", "--zoo", a.zoo, "--model", model]),
        ("RDD.pipe through zoo predict", [sys.executable, jobs / "rdd_pipe_job.py", "--zoo", a.zoo, "--model", model]),
        ("mapInPandas + onnxruntime", [sys.executable, jobs / "map_in_pandas_onnx_job.py", "--model", onnx_path]),
    ]
    for name, cmd in runs:
        if "floor" not in name:
            out = work / f"{name.split()[0]}-{a.spark_model}"
            shutil.rmtree(out, ignore_errors=True)  # saveAsTextFile refuses an existing directory
            cmd += ["--input", data, "--output", out]
        cmd += ["--master", "local[2]"]
        wall, r = timed(cmd, env=env)
        job = json.loads(r.stdout.strip().splitlines()[-1])
        emit(what=name, rows=a.spark_rows, job_seconds=job["seconds"], rows_per_s=round(a.spark_rows / job["seconds"]), wall_with_startup_s=round(wall, 2))
    if a.peer_python:
        wall, r = timed([a.peer_python, ROOT.parent / "shared" / "peers" / "spark_peer.py", "--data", ROOT / "data" / "bmi_data.csv",
                         "--input", data, "--model", a.spark_model, "--out", work / "peer", "--cores", 2])
        peer = json.loads(r.stdout.strip().splitlines()[-1])
        emit(what=f"peer: scikit-learn pandas UDF ({a.spark_model})", rows=a.spark_rows, job_seconds=peer["seconds"],
             rows_per_s=round(a.spark_rows / peer["seconds"]), wall_with_startup_s=round(wall, 2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--zoo", default=str(ROOT / ".build" / "release" / "zoo"))
    p.add_argument("--workdir", default="/tmp/zoo-bench-onnx")
    p.add_argument("--ort-rows", type=int, default=200000)
    p.add_argument("--spark-rows", type=int, default=1000000)
    p.add_argument("--spark-model", default="mlp")
    p.add_argument("--peer-python", default="/tmp/peers-venv/bin/python")
    p.add_argument("--skip-ort", action="store_true")
    p.add_argument("--skip-spark", action="store_true")
    a = p.parse_args()
    a.zoo = os.path.abspath(a.zoo)
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    if not a.skip_ort:
        ort_bench(a, work)
    if not a.skip_spark:
        spark_bench(a, work)


if __name__ == "__main__":
    main()

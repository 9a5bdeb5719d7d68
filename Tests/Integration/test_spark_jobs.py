"""The three PySpark jobs in examples/spark/ (SQL TRANSFORM through zoo predict, RDD.pipe through zoo
predict, mapInPandas with onnxruntime on the exported model) on a 100,000-row generated file in
local[2] mode: each gives zoo predict's predictions on the same file, row for row (the zoo routes
character for character; onnxruntime within 1e-9 relative, the MLP being double throughout)."""
import glob
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, ZOO, zoo

MODEL = ROOT / "models" / "bmi-mlp.nnm"
JOBS = ROOT / "examples" / "spark"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="module")
def rows(work):
    """100,000 generated rows (1% missing values) with an id column in front, and zoo predict's text for each."""
    raw = work / "raw.csv"
    zoo("data", "generate", "--rows", 100000, "--missing-rate", "0.01", "--lf", "-o", raw)
    frame = pd.read_csv(raw, dtype=str, keep_default_na=False)
    frame.insert(0, "id", [str(i) for i in range(len(frame))])
    path = work / "rows.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    r = zoo("predict", MODEL, path, "--on-error", "skip", "--emit", "prediction", "--quiet")
    want = r.stdout.split("\n")[1:-1]
    assert len(want) == 100000 and want.count("") > 0
    return path, want


def run_job(script, *args):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    r = subprocess.run([sys.executable, str(JOBS / script), "--master", "local[2]", *map(str, args)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, f"{script} exited {r.returncode}:\n{r.stderr[-4000:]}"
    return r


def read_output(directory, pattern):
    """Every part file of a Spark output directory as one frame of strings."""
    parts = sorted(glob.glob(os.path.join(directory, pattern)))
    assert parts, f"no output in {directory}"
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in parts if os.path.getsize(p) > 0]
    return pd.concat(frames, ignore_index=True)


def by_id(frame):
    frame = frame.assign(_id=frame["id"].astype(int)).sort_values("_id")
    assert list(frame["_id"]) == list(range(100000)), "rows lost or repeated"
    return frame


def test_sql_transform_through_zoo_predict(rows, work):
    path, want = rows
    out = work / "transform-out"
    run_job("transform_job.py", "--zoo", ZOO, "--model", MODEL, "--input", path, "--output", out)
    got = by_id(read_output(out, "part-*.csv"))
    assert list(got["BMI_pred"]) == want


def test_rdd_pipe_through_zoo_predict(rows, work):
    path, want = rows
    out = work / "pipe-out"
    run_job("rdd_pipe_job.py", "--zoo", ZOO, "--model", MODEL, "--input", path, "--output", out)
    parts = sorted(glob.glob(str(out / "part-*")))
    text = "".join(open(p).read() for p in parts)
    lines = text.split("\n")[:-1]
    assert lines[0] == "id,Sex,Age,Height(Inches),Weight(Pounds),BMI,BMI_pred"
    got = {}
    for line in lines[1:]:
        fields = line.split(",")
        got[int(fields[0])] = fields[-1]
    assert len(got) == 100000 == len(lines) - 1
    assert [got[i] for i in range(100000)] == want
    # Each output line is the input line as it was, plus the prediction.
    source = open(path).read().split("\n")[1:-1]
    assert sorted(l.rsplit(",", 1)[0] for l in lines[1:]) == sorted(source)


def test_map_in_pandas_with_onnxruntime(rows, work):
    path, want = rows
    onnx_path = work / "bmi-mlp.onnx"
    zoo("export", MODEL, "-o", onnx_path)
    out = work / "onnx-out"
    run_job("map_in_pandas_onnx_job.py", "--model", onnx_path, "--input", path, "--output", out, "--ship", "--batch", 20000)
    got = by_id(read_output(out, "part-*.csv"))["BMI_pred"]
    g = np.array([float(v) if v not in ("", "NaN") else np.nan for v in got])
    w = np.array([float(v) if v else np.nan for v in want])
    assert np.array_equal(np.isnan(g), np.isnan(w))
    ok = ~np.isnan(w)
    assert np.max(np.abs(g[ok] - w[ok]) / np.abs(w[ok])) <= 1e-9

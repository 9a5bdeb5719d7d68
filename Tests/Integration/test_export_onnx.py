"""`zoo export` checked against onnx and onnxruntime: the checker accepts every exported model, and
onnxruntime's predictions equal `zoo predict`'s (1e-9 relative for linear and dense models, float32
rounding for the forest, whose TreeEnsembleRegressor returns float32) on the bundled data and a
100,000-row generated file, categorical inputs and imputation included. Rows zoo leaves without a
prediction (`--on-error skip`) are NaN in onnxruntime, and only those."""
import csv
import io
import json

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest

from conftest import ROOT, zoo

KINDS = ["linear", "neuron", "two-layer", "mlp", "forest"]
DENSE_RTOL = 1e-9
FLOAT_RTOL = 2.0 ** -23  # one float32 ulp, relative


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("export")


@pytest.fixture(scope="module")
def exported(work):
    """The shipped models, exported once."""
    out = {}
    for kind in KINDS:
        path = work / f"bmi-{kind}.onnx"
        zoo("export", ROOT / "models" / f"bmi-{kind}.nnm", "-o", path)
        out[kind] = path
    return out


@pytest.fixture(scope="module")
def big_csv(work):
    path = work / "big.csv"
    zoo("data", "generate", "--rows", 100000, "--missing-rate", "0.01", "-o", path)
    return path


@pytest.fixture(scope="module")
def sessions(exported):
    return {k: ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]) for k, p in exported.items()}


def feeds_from_csv(session, path):
    """One [N, 1] array per graph input, from the CSV's column of that name: numbers as float64 (empty or
    not a number: NaN), categories as stripped strings (empty: "")."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    feeds = {}
    for i in session.get_inputs():
        col = frame[i.name].str.strip()
        if i.type == "tensor(string)":
            feeds[i.name] = col.to_numpy(dtype=object).reshape(-1, 1)
        else:
            feeds[i.name] = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64).reshape(-1, 1)
    return feeds


def zoo_predictions(model, path):
    """zoo predict's predictions for every row, NaN where it gives none (--on-error skip)."""
    r = zoo("predict", model, path, "--on-error", "skip", "--emit", "prediction", "--quiet")
    lines = r.stdout.split("\n")
    assert lines[-1] == ""
    return np.array([float(v) if v else np.nan for v in lines[1:-1]])


def assert_matches(kind, got, want):
    assert got.shape == want.shape
    assert np.array_equal(np.isnan(got), np.isnan(want)), "NaN rows differ from zoo's rows without a prediction"
    ok = ~np.isnan(want)
    assert ok.sum() > 0
    rel = np.abs(got[ok] - want[ok]) / np.maximum(np.abs(want[ok]), 1e-300)
    if kind == "forest":
        assert rel.max() <= FLOAT_RTOL, f"worst relative difference {rel.max():.3g}"
        # Nearly every value is exactly zoo's rounded to float32 (a mean computed in another order may
        # land on the neighbouring float).
        same = np.float32(want[ok]) == np.float32(got[ok])
        assert same.mean() > 0.999
    else:
        assert rel.max() <= DENSE_RTOL, f"worst relative difference {rel.max():.3g}"


@pytest.mark.parametrize("kind", KINDS)
def test_checker_accepts_full_check(exported, kind):
    model = onnx.load(str(exported[kind]))
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == 8
    assert {(o.domain, o.version) for o in model.opset_import} == {("", 17), ("ai.onnx.ml", 3)}


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_and_doc_string(exported, sessions, kind):
    model = onnx.load(str(exported[kind]))
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["zoo.kind"] == kind
    assert meta["zoo.target"] == "BMI"
    assert json.loads(meta["zoo.features"]) == ["Sex", "Age", "Height(Inches)", "Weight(Pounds)"]
    assert json.loads(meta["zoo.test_metrics"])["rmse"] > 0
    assert len(meta["zoo.nnm_crc32"]) == 8
    assert "Feed one input per column" in model.graph.doc_string
    s = sessions[kind]
    assert [(i.name, i.type) for i in s.get_inputs()] == [
        ("Sex", "tensor(string)"), ("Age", "tensor(double)"), ("Height(Inches)", "tensor(double)"), ("Weight(Pounds)", "tensor(double)")]
    assert [(o.name, o.type) for o in s.get_outputs()] == [("BMI_pred", "tensor(double)")]
    if kind == "forest":
        ops = [(n.op_type, n.domain) for n in model.graph.node]
        assert ("TreeEnsembleRegressor", "ai.onnx.ml") in ops
        tree = next(n for n in model.graph.node if n.op_type == "TreeEnsembleRegressor")
        attrs = {a.name: a for a in tree.attribute}
        assert attrs["aggregate_function"].s == b"AVERAGE"
        assert attrs["nodes_values_as_tensor"].t.data_type == onnx.TensorProto.DOUBLE
        assert attrs["target_weights_as_tensor"].t.data_type == onnx.TensorProto.DOUBLE


@pytest.mark.parametrize("kind", KINDS)
def test_bundled_data_matches_zoo_predict(sessions, kind):
    path = ROOT / "data" / "bmi_data.csv"
    got = sessions[kind].run(None, feeds_from_csv(sessions[kind], path))[0][:, 0]
    assert_matches(kind, got, zoo_predictions(ROOT / "models" / f"bmi-{kind}.nnm", path))


@pytest.mark.parametrize("kind", KINDS)
def test_100k_generated_rows_match_zoo_predict(sessions, big_csv, kind):
    got = sessions[kind].run(None, feeds_from_csv(sessions[kind], big_csv))[0][:, 0]
    want = zoo_predictions(ROOT / "models" / f"bmi-{kind}.nnm", big_csv)
    assert len(want) == 100000
    assert np.isnan(want).sum() > 0  # the 1% missing values: rows without a prediction in both
    assert_matches(kind, got, want)


@pytest.fixture(scope="module")
def color_csv(work, big_csv):
    """The generated rows with a three-level category (one-hot, not 0/1) and missing values everywhere."""
    frame = pd.read_csv(big_csv, dtype=str, keep_default_na=False).head(20000)
    rng = np.random.default_rng(7)
    frame.insert(1, "Color", rng.choice(["red", "green", "blue"], size=len(frame)))
    for c in ["Color", "Sex", "Age"]:
        frame.loc[rng.random(len(frame)) < 0.02, c] = ""
    path = work / "color.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("kind,params", [("linear", []), ("mlp", ["-p", "epochs=3"]), ("forest", ["-p", "trees=8"]),
                                         ("two-layer", ["-p", "epochs=2"])])
@pytest.mark.parametrize("impute", ["mean", "drop"])
def test_one_hot_and_imputation_match_zoo_predict(work, color_csv, kind, params, impute):
    model = work / f"color-{kind}-{impute}.nnm"
    zoo("train", kind, "--data", color_csv, "--target", "BMI", "--impute", impute, "--scaler", "standard",
        "--out", model, *params, "--quiet")
    onnx_path = work / f"color-{kind}-{impute}.onnx"
    zoo("export", model, "-o", onnx_path)
    onnx.checker.check_model(onnx.load(str(onnx_path)), full_check=True)
    s = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    assert dict((i.name, i.type) for i in s.get_inputs())["Color"] == "tensor(string)"
    got = s.run(None, feeds_from_csv(s, color_csv))[0][:, 0]
    want = zoo_predictions(model, color_csv)
    if impute == "mean":
        assert not np.isnan(want).any()  # every missing value imputed, in zoo and in the graph
    else:
        assert np.isnan(want).sum() > 0
    assert_matches(kind, got, want)


@pytest.mark.parametrize("kind", KINDS)
def test_unknown_category_and_bad_numbers_give_nan(work, sessions, kind):
    """Documented: a category never seen in training, a missing value without imputation, NaN or
    infinity give NaN (zoo predict --on-error skip: an empty prediction). Levels match exactly in the
    graph, so 'male' is unknown there, while zoo matches it ignoring case (with a warning)."""
    rows = [("Male", 30, 70, 180), ("Martian", 30, 70, 180), ("", 30, 70, 180), ("Female", float("nan"), 65, 120),
            ("Female", float("inf"), 65, 120), ("Female", 25, 65, 120), ("male", 30, 70, 180)]
    s = sessions[kind]
    feeds = {"Sex": np.array([[r[0]] for r in rows], dtype=object)}
    for k, name in enumerate(["Age", "Height(Inches)", "Weight(Pounds)"], start=1):
        feeds[name] = np.array([[float(r[k])] for r in rows])
    got = s.run(None, feeds)[0][:, 0]
    assert list(np.isnan(got)) == [False, True, True, True, True, False, True]
    path = work / "odd.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Sex", "Age", "Height(Inches)", "Weight(Pounds)"])
        for r in rows:
            w.writerow(["" if isinstance(v, float) and np.isnan(v) else v for v in r])
    want = zoo_predictions(ROOT / "models" / f"bmi-{kind}.nnm", path)
    assert list(np.isnan(want)) == [False, True, True, True, True, False, False]  # zoo: 'male' matches Male
    assert_matches(kind, got[:6], want[:6])
    assert want[6] == want[0]

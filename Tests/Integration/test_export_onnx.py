"""`zoo export` checked against onnx and onnxruntime: the checker accepts every exported model, and
onnxruntime's predictions equal `zoo predict`'s (1e-9 relative for linear and dense models, float32
rounding for the forest, whose TreeEnsembleRegressor returns float32) on the bundled data and a
100,000-row generated file, categorical inputs and imputation included. Rows zoo leaves without a
prediction (`--on-error skip`) are NaN in onnxruntime, and only those.

Classifiers the same way: onnxruntime's `<target>_pred` labels equal zoo predict's and its
`<target>_proba` columns equal zoo's `<target>_proba_<class>` columns (1e-9 relative for the dense
heads, float32 rounding for the forest's TreeEnsembleClassifier), on the shipped BMI-category models,
the generated rows, one-hot and imputed inputs, and two of scikit-learn's bundled real datasets
(breast cancer: two classes, so the one-unit sigmoid heads; wine: three). Rows without a prediction
get NaN probabilities and the label "", and only those."""
import csv
import io
import json

import numpy as np
import onnx
import sklearn.datasets
import onnxruntime as ort
import pandas as pd
import pytest

from conftest import ROOT, zoo

KINDS = ["linear", "neuron", "two-layer", "mlp", "forest"]
DENSE_RTOL = 1e-9
# Two classes from one unit are σ(z) and 1 − σ(z), in onnxruntime as in zoo: an ulp of difference in
# σ near 1 is ~1e-16 absolute in the first class, and relative to a probability of 1e-8 that is 1e-8.
# So class probabilities match to DENSE_RTOL relative or a few ulps of 1.0 absolute.
DENSE_ATOL = 1e-15
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



# --- Classifiers -----------------------------------------------------------------------------------

BMI_CLASSES = ["normal", "overweight", "underweight"]  # the shipped classifiers' stored order


@pytest.fixture(scope="module")
def exported_classifiers(work):
    out = {}
    for kind in KINDS:
        path = work / f"bmi-category-{kind}.onnx"
        zoo("export", ROOT / "models" / f"bmi-category-{kind}.nnm", "-o", path)
        out[kind] = path
    return out


@pytest.fixture(scope="module")
def class_sessions(exported_classifiers):
    return {k: ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]) for k, p in exported_classifiers.items()}


def zoo_class_predictions(model, path, target):
    """zoo predict's labels and probability columns for every row ("" and NaN where it gives none), and
    the classes in column order (from the `<target>_proba_<class>` header)."""
    r = zoo("predict", model, path, "--on-error", "skip", "--emit", "prediction", "--quiet")
    frame = pd.read_csv(io.StringIO(r.stdout), dtype=str, keep_default_na=False)
    prefix = f"{target}_proba_"
    columns = [c for c in frame.columns if c.startswith(prefix)]
    assert list(frame.columns) == [f"{target}_pred"] + columns
    proba = frame[columns].replace("", "nan").astype(np.float64).to_numpy()
    return frame[f"{target}_pred"].to_numpy(dtype=object), proba, [c[len(prefix):] for c in columns]


def run_classifier(session, feeds):
    names = [o.name for o in session.get_outputs()]
    label, proba = session.run(None, feeds)
    assert len(names) == 2 and label.ndim == 1 and proba.ndim == 2
    return label, proba


def assert_classes_match(kind, got_label, got_proba, want_label, want_proba):
    """Same rows without a prediction (NaN probabilities, label ""), the same labels, the same probabilities:
    1e-9 relative (or 1e-15 absolute, DENSE_ATOL) for the dense heads; for the forest zoo's doubles rounded
    to float32 (one float ulp)."""
    assert got_proba.shape == want_proba.shape and got_label.shape == want_label.shape
    none = np.isnan(want_proba).any(axis=1)
    assert np.array_equal(np.isnan(got_proba), np.isnan(want_proba)), "NaN rows differ from zoo's rows without a prediction"
    assert list(got_label[none]) == [""] * none.sum()
    assert list(want_label[none]) == [""] * none.sum()
    ok = ~none
    assert ok.sum() > 0
    assert np.array_equal(got_label[ok], want_label[ok]), f"{(got_label[ok] != want_label[ok]).sum()} labels differ"
    got, want = got_proba[ok], want_proba[ok]
    rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
    rel[(got == 0) & (want == 0)] = 0
    print(f"{kind}: worst relative probability difference {rel.max():.3g} over {ok.sum()} rows")  # shown with -s
    if kind == "forest":
        assert rel.max() <= FLOAT_RTOL, f"worst relative difference {rel.max():.3g}"
        assert (np.float32(want) == np.float32(got)).mean() > 0.999
    else:
        err = np.abs(got - want)
        assert (err <= DENSE_RTOL * np.abs(want) + DENSE_ATOL).all(), f"worst relative difference {rel.max():.3g}, absolute {err.max():.3g}"
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=0, atol=1e-6 if kind == "forest" else 1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_classifier_checker_outputs_and_metadata(exported_classifiers, class_sessions, kind):
    model = onnx.load(str(exported_classifiers[kind]))
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == 8
    assert {(o.domain, o.version) for o in model.opset_import} == {("", 17), ("ai.onnx.ml", 3)}
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["zoo.kind"] == kind
    assert meta["zoo.task"] == "classification"
    assert meta["zoo.target"] == "Category"
    assert json.loads(meta["zoo.classes"]) == BMI_CLASSES
    assert "accuracy" in json.loads(meta["zoo.test_metrics"])
    assert "one probability per class in this order: normal, overweight, underweight" in model.graph.doc_string
    s = class_sessions[kind]
    assert [(i.name, i.type) for i in s.get_inputs()] == [
        ("Sex", "tensor(string)"), ("Age", "tensor(double)"), ("Height(Inches)", "tensor(double)"), ("Weight(Pounds)", "tensor(double)")]
    assert [(o.name, o.type, o.shape) for o in s.get_outputs()] == [
        ("Category_pred", "tensor(string)", ["N"]), ("Category_proba", "tensor(double)", ["N", 3])]
    ops = {(n.op_type, n.domain) for n in model.graph.node}
    if kind == "forest":
        tree = next(n for n in model.graph.node if n.op_type == "TreeEnsembleClassifier")
        attrs = {a.name: a for a in tree.attribute}
        assert tree.domain == "ai.onnx.ml"
        assert attrs["post_transform"].s == b"NONE"
        assert attrs["nodes_values_as_tensor"].t.data_type == onnx.TensorProto.DOUBLE
        assert attrs["class_weights_as_tensor"].t.data_type == onnx.TensorProto.DOUBLE
    else:
        assert ("Softmax", "") in ops  # three classes: a softmax for every dense head


@pytest.mark.parametrize("kind", KINDS)
def test_classifier_bundled_data_matches_zoo_predict(class_sessions, kind):
    path = ROOT / "data" / "bmi_category.csv"
    s = class_sessions[kind]
    label, proba = run_classifier(s, feeds_from_csv(s, path))
    want_label, want_proba, classes = zoo_class_predictions(ROOT / "models" / f"bmi-category-{kind}.nnm", path, "Category")
    assert classes == BMI_CLASSES
    assert len(want_label) == 25000
    assert_classes_match(kind, label, proba, want_label, want_proba)


@pytest.mark.parametrize("kind", KINDS)
def test_classifier_100k_generated_rows_match_zoo_predict(class_sessions, big_csv, kind):
    s = class_sessions[kind]
    label, proba = run_classifier(s, feeds_from_csv(s, big_csv))
    want_label, want_proba, _ = zoo_class_predictions(ROOT / "models" / f"bmi-category-{kind}.nnm", big_csv, "Category")
    assert len(want_label) == 100000
    assert np.isnan(want_proba).any(axis=1).sum() > 0  # the 1% missing values
    assert_classes_match(kind, label, proba, want_label, want_proba)


@pytest.mark.parametrize("kind", KINDS)
def test_classifier_unknown_category_and_bad_numbers(work, class_sessions, kind):
    """As for the regressors: an unknown level, a missing value without imputation, NaN or infinity give
    NaN probabilities and the label ""; 'male' is unknown in the graph (exact levels), Male to zoo."""
    rows = [("Male", 30, 70, 180), ("Martian", 30, 70, 180), ("", 30, 70, 180), ("Female", float("nan"), 65, 120),
            ("Female", float("inf"), 65, 120), ("Female", 25, 65, 90), ("male", 30, 70, 180)]
    s = class_sessions[kind]
    feeds = {"Sex": np.array([[r[0]] for r in rows], dtype=object)}
    for k, name in enumerate(["Age", "Height(Inches)", "Weight(Pounds)"], start=1):
        feeds[name] = np.array([[float(r[k])] for r in rows])
    label, proba = run_classifier(s, feeds)
    assert list(np.isnan(proba).all(axis=1)) == [False, True, True, True, True, False, True]
    assert list(np.isnan(proba).any(axis=1)) == list(np.isnan(proba).all(axis=1))
    assert [l == "" for l in label] == [False, True, True, True, True, False, True]
    path = work / "odd-class.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Sex", "Age", "Height(Inches)", "Weight(Pounds)"])
        for r in rows:
            w.writerow(["" if isinstance(v, float) and np.isnan(v) else v for v in r])
    want_label, want_proba, _ = zoo_class_predictions(ROOT / "models" / f"bmi-category-{kind}.nnm", path, "Category")
    assert list(want_label == "") == [False, True, True, True, True, False, False]  # zoo: 'male' matches Male
    assert_classes_match(kind, label[:6], proba[:6], want_label[:6], want_proba[:6])


QUICK = {"linear": [], "neuron": ["-p", "epochs=3"], "two-layer": ["-p", "epochs=2"], "mlp": ["-p", "epochs=3"],
         "forest": ["-p", "trees=8"]}


@pytest.fixture(scope="module")
def color_class_csv(work, color_csv):
    """The one-hot/missing-value rows with BMI replaced by its WHO category."""
    frame = pd.read_csv(color_csv, dtype=str, keep_default_na=False)
    bmi = pd.to_numeric(frame.pop("BMI"), errors="coerce")
    frame["Category"] = np.select([bmi < 18.5, bmi < 25, bmi < 30], ["underweight", "normal", "overweight"], "obese")
    frame.loc[bmi.isna(), "Category"] = ""
    path = work / "color-class.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("impute", ["mean", "drop"])
def test_classifier_one_hot_and_imputation_match_zoo_predict(work, color_class_csv, kind, impute):
    model = work / f"color-class-{kind}-{impute}.nnm"
    zoo("train", kind, "--data", color_class_csv, "--target", "Category", "--impute", impute, "--scaler", "standard",
        "--out", model, *QUICK[kind], "--quiet")
    onnx_path = work / f"color-class-{kind}-{impute}.onnx"
    zoo("export", model, "-o", onnx_path)
    onnx.checker.check_model(onnx.load(str(onnx_path)), full_check=True)
    s = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    assert dict((i.name, i.type) for i in s.get_inputs())["Color"] == "tensor(string)"
    label, proba = run_classifier(s, feeds_from_csv(s, color_class_csv))
    want_label, want_proba, _ = zoo_class_predictions(model, color_class_csv, "Category")
    none = np.isnan(want_proba).any(axis=1).sum()
    assert (none == 0) if impute == "mean" else (none > 0)
    assert_classes_match(kind, label, proba, want_label, want_proba)


def sklearn_csv(work, name):
    """One of scikit-learn's bundled real datasets as a CSV: its feature columns, then `label` holding the
    class names (text, so zoo trains a classifier)."""
    data = getattr(sklearn.datasets, f"load_{name}")(as_frame=True)
    frame = data.data.copy()
    frame["label"] = np.asarray(data.target_names)[data.target.to_numpy()]
    path = work / f"{name}.csv"
    frame.to_csv(path, index=False, float_format="%.17g")
    return path, sorted(set(frame["label"]))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dataset,classes", [("breast_cancer", 2), ("wine", 3)])
def test_classifier_on_real_datasets_matches_zoo_predict(work, kind, dataset, classes):
    path, labels = sklearn_csv(work, dataset)
    model = work / f"{dataset}-{kind}.nnm"
    zoo("train", kind, "--data", path, "--target", "label", "--out", model, "--quiet")
    onnx_path = work / f"{dataset}-{kind}.onnx"
    zoo("export", model, "-o", onnx_path)
    onnx_model = onnx.load(str(onnx_path))
    onnx.checker.check_model(onnx_model, full_check=True)
    meta = {p.key: p.value for p in onnx_model.metadata_props}
    assert json.loads(meta["zoo.classes"]) == labels and len(labels) == classes
    ops = {n.op_type for n in onnx_model.graph.node}
    if classes == 2 and kind in ("linear", "neuron"):
        assert "Sigmoid" in ops and "Softmax" not in ops  # one logit: σ for the second class, 1 − σ for the first
    s = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    assert [o.shape for o in s.get_outputs()] == [["N"], ["N", classes]]
    label, proba = run_classifier(s, feeds_from_csv(s, path))
    want_label, want_proba, got_classes = zoo_class_predictions(model, path, "label")
    assert got_classes == labels
    assert not np.isnan(want_proba).any()
    assert_classes_match(kind, label, proba, want_label, want_proba)
    # The model learned something real: zoo's own labels agree with the truth on most rows.
    truth = pd.read_csv(path)["label"].to_numpy(dtype=object)
    assert (want_label == truth).mean() > 0.8


"""The release binary the rest of the suite drives: it runs and lists the registry's plugins."""
import json

from conftest import zoo


def test_plugins_json_lists_the_five_kinds():
    kinds = [p["kind"] for p in json.loads(zoo("plugins", "--format", "json").stdout)]
    assert kinds == ["linear", "neuron", "two-layer", "mlp", "forest"]


def test_every_shipped_model_predicts_the_bundled_data(tmp_path, shipped_models):
    out = tmp_path / "p.csv"
    assert len(shipped_models) == 5
    for model in shipped_models:
        zoo("predict", model, "data/bmi_data.csv", "-o", out, "--on-error", "skip")
        lines = out.read_text().splitlines()
        assert lines[0].endswith(",BMI_pred")
        assert len(lines) > 20000


def test_every_shipped_classifier_writes_labels_and_probabilities(tmp_path, shipped_classifiers):
    out = tmp_path / "c.csv"
    assert len(shipped_classifiers) == 5
    for model in shipped_classifiers:
        zoo("predict", model, "data/bmi_category.csv", "-o", out, "--on-error", "skip")
        lines = out.read_text().splitlines()
        assert lines[0].endswith(",Category_pred,Category_proba_normal,Category_proba_overweight,Category_proba_underweight")
        assert len(lines) > 20000
        for line in lines[1:200]:
            cells = line.split(",")
            if cells[-4] == "":
                continue  # a row skipped for a missing feature
            p = [float(v) for v in cells[-3:]]
            assert abs(sum(p) - 1) < 1e-9 and all(0 <= v <= 1 for v in p)
            assert cells[-4] in ("normal", "overweight", "underweight")

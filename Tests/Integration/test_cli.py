"""The release binary the rest of the suite drives: it runs and lists the registry's plugins."""
import json

from conftest import zoo


def test_plugins_json_lists_the_five_kinds():
    kinds = [p["kind"] for p in json.loads(zoo("plugins", "--format", "json").stdout)]
    assert kinds == ["linear", "neuron", "two-layer", "mlp", "forest"]


def test_every_shipped_model_predicts_the_bundled_data(tmp_path, shipped_models):
    out = tmp_path / "p.csv"
    for model in shipped_models:
        zoo("predict", model, "data/bmi_data.csv", "-o", out, "--on-error", "skip")
        lines = out.read_text().splitlines()
        assert lines[0].endswith(",BMI_pred")
        assert len(lines) > 20000

"""`zoo serve` through tritonclient's own HTTP client (InferenceServerClient): health, model
metadata and infer with binary tensors (the client's default) and with JSON tensors; every
prediction equals `zoo predict`'s on the same rows, bit for bit."""
import numpy as np
import pytest
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

from conftest import ROOT
from serve_util import FEATURES, Server, sample_rows, zoo_predict, zoo_predict_columns

ROWS = sample_rows(200)


@pytest.fixture(scope="module")
def server():
    with Server(ROOT / "models") as s:
        yield s


@pytest.fixture(scope="module")
def client(server):
    c = httpclient.InferenceServerClient(url=f"127.0.0.1:{server.port}")
    yield c
    c.close()


def inputs(rows, binary):
    out = []
    for k, name in enumerate(FEATURES):
        if name == "Sex":
            arr = np.array([[r[k]] for r in rows], dtype=object)
            i = httpclient.InferInput(name, list(arr.shape), "BYTES")
        else:
            arr = np.array([[float(r[k])] for r in rows], dtype=np.float64)
            i = httpclient.InferInput(name, list(arr.shape), "FP64")
        i.set_data_from_numpy(arr, binary_data=binary)
        out.append(i)
    return out


def test_health_and_server_metadata(client):
    assert client.is_server_live()
    assert client.is_server_ready()
    meta = client.get_server_metadata()
    assert meta["name"] == "zoo" and "binary_tensor_data" in meta["extensions"]


def test_model_ready_and_metadata(client, shipped_models):
    for path in shipped_models:
        name = path.stem
        assert client.is_model_ready(name)
        assert client.is_model_ready(name, model_version="1")
        meta = client.get_model_metadata(name)
        assert meta["name"] == name
        assert [(i["name"], i["datatype"], i["shape"]) for i in meta["inputs"]] == [
            ("Sex", "BYTES", [-1, 1]), ("Age", "FP64", [-1, 1]), ("Height(Inches)", "FP64", [-1, 1]), ("Weight(Pounds)", "FP64", [-1, 1])]
        assert meta["outputs"] == [{"name": "BMI_pred", "datatype": "FP64", "shape": [-1, 1]}]
    assert not client.is_model_ready("no-such-model")


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "json"])
def test_infer_equals_zoo_predict(client, shipped_models, binary):
    for path in shipped_models:
        expected = zoo_predict(path, ROWS)
        outputs = None if binary else [httpclient.InferRequestedOutput("BMI_pred", binary_data=False)]
        result = client.infer(path.stem, inputs(ROWS, binary), outputs=outputs, request_id="r1")
        got = result.as_numpy("BMI_pred")
        assert got.shape == (len(ROWS), 1)
        assert got.dtype == np.float64
        assert result.get_response()["id"] == "r1"
        assert [float(v) for v in got[:, 0]] == expected, path.stem  # exact: same doubles


def test_mixed_binary_inputs_and_json_output(client, shipped_models):
    path = shipped_models[0]
    ins = inputs(ROWS[:5], True)
    ins[1] = inputs(ROWS[:5], False)[1]  # Age as JSON, the rest binary
    result = client.infer(path.stem, ins, outputs=[httpclient.InferRequestedOutput("BMI_pred", binary_data=False)])
    assert [float(v) for v in result.as_numpy("BMI_pred")[:, 0]] == zoo_predict(path, ROWS[:5])


def test_errors_name_row_and_column(client, shipped_models):
    rows = [list(r) for r in ROWS[:3]]
    rows[2][0] = "Robot"
    with pytest.raises(InferenceServerException) as e:
        client.infer(shipped_models[0].stem, inputs(rows, True))
    assert e.value.status() == "400"
    assert "row 2, column 'Sex': unknown category 'Robot'" in e.value.message()
    with pytest.raises(InferenceServerException) as e:
        client.infer("no-such-model", inputs(rows, True))
    assert e.value.status() == "404"
    with pytest.raises(InferenceServerException) as e:
        client.infer(shipped_models[0].stem, inputs(ROWS[:3], True)[:3])
    assert "missing input 'Weight(Pounds)'" in e.value.message()


def test_a_classifier_answers_label_and_probabilities(client, shipped_classifiers):
    """Label (BYTES) and one probability per class (FP64), as `zoo predict` writes them."""
    for path in shipped_classifiers:
        meta = client.get_model_metadata(path.stem)
        assert meta["outputs"] == [{"name": "Category_pred", "datatype": "BYTES", "shape": [-1, 1]},
                                   {"name": "Category_proba", "datatype": "FP64", "shape": [-1, 3]}]
        result = client.infer(path.stem, inputs(ROWS[:50], True))
        labels = [v.decode() for v in result.as_numpy("Category_pred")[:, 0]]
        proba = result.as_numpy("Category_proba")
        expected = zoo_predict_columns(path, ROWS[:50])
        assert labels == [r["Category_pred"] for r in expected], path.stem
        for k, cls in enumerate(["normal", "overweight", "underweight"]):
            assert [float(v) for v in proba[:, k]] == [float(r[f"Category_proba_{cls}"]) for r in expected], path.stem

"""`zoo serve` speaking MLflow's scoring protocol over plain HTTP, with the request formats
`mlflow models serve` accepts; every prediction equals `zoo predict`'s on the same rows. Also the
limits (413 for bodies and rows), error shapes, /metrics and the access log."""
import json

import pytest
import requests

from conftest import ROOT
from serve_util import FEATURES, Server, rows_csv, sample_rows, typed, zoo_predict

ROWS = sample_rows(100, seed=7)


@pytest.fixture(scope="module")
def server():
    with Server(ROOT / "models", "--max-rows", "1000", "--max-body", "200000", "--log-format", "json") as s:
        yield s


def bodies(rows):
    t = [typed(r) for r in rows]
    return {
        "dataframe_split": {"dataframe_split": {"columns": FEATURES, "data": t}},
        "dataframe_split_reordered": {"dataframe_split": {"columns": FEATURES[::-1], "data": [r[::-1] for r in t]}},
        "dataframe_records": {"dataframe_records": [dict(zip(FEATURES, r)) for r in t]},
        "instances": {"instances": [dict(zip(FEATURES, r)) for r in t]},
        "instances_lists": {"instances": t},
        "inputs_columns": {"inputs": {c: [r[k] for r in t] for k, c in enumerate(FEATURES)}},
        "inputs_records": {"inputs": [dict(zip(FEATURES, r)) for r in t], "params": {}},
    }


def test_every_format_equals_zoo_predict(server, shipped_models):
    for path in shipped_models:
        expected = zoo_predict(path, ROWS)
        for fmt, body in bodies(ROWS).items():
            r = requests.post(f"{server.url}/invocations/{path.stem}", json=body)
            assert r.status_code == 200, (fmt, r.text)
            assert r.json()["predictions"] == expected, (path.stem, fmt)
        r = requests.post(f"{server.url}/invocations?model={path.stem}", data=rows_csv(ROWS), headers={"Content-Type": "text/csv"})
        assert r.status_code == 200, r.text
        assert r.json()["predictions"] == expected


def test_health_version_and_model_choice(server):
    assert requests.get(f"{server.url}/ping").status_code == 200
    assert requests.get(f"{server.url}/health").status_code == 200
    assert requests.get(f"{server.url}/version").text
    # Several models: /invocations without a name says how to choose one.
    r = requests.post(f"{server.url}/invocations", json=bodies(ROWS[:1])["dataframe_split"])
    assert r.status_code == 400 and "/invocations/NAME" in r.json()["message"]


def test_errors_in_mlflow_shape(server):
    url = f"{server.url}/invocations/bmi-linear"
    bad = [typed(r) for r in ROWS[:3]]
    bad[1][0] = "Robot"
    r = requests.post(url, json={"dataframe_split": {"columns": FEATURES, "data": bad}})
    assert r.status_code == 400
    assert r.json()["error_code"] == "BAD_REQUEST"
    assert "row 1, column 'Sex': unknown category 'Robot'" in r.json()["message"]
    r = requests.post(url, json={"dataframe_records": [{"Sex": "Male", "Age": 30, "Height(Inches)": 70}]})
    assert r.status_code == 400 and "missing value" in r.json()["message"] and "Weight(Pounds)" in r.json()["message"]
    r = requests.post(url, json={"dataframe_split": {"columns": FEATURES[:3], "data": [r[:3] for r in bad]}})
    assert r.status_code == 400 and "missing column 'Weight(Pounds)'" in r.json()["message"]
    r = requests.post(url, data="hello", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["error_code"] == "BAD_REQUEST"
    r = requests.post(url, data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and "invalid JSON" in r.json()["message"]
    r = requests.post(f"{server.url}/invocations/nope", json={"instances": []})
    assert r.status_code == 404 and r.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"


def test_limits(server):
    url = f"{server.url}/invocations/bmi-linear"
    many = sample_rows(1001, seed=1)
    r = requests.post(url, data=rows_csv(many), headers={"Content-Type": "text/csv"})
    assert r.status_code == 413 and "--max-rows" in r.json()["message"]
    r = requests.post(url, data=b"x" * 300_000, headers={"Content-Type": "text/csv"})
    assert r.status_code == 413 and "--max-body" in r.json()["message"]
    # OIP shape for OIP paths.
    r = requests.post(f"{server.url}/v2/models/bmi-linear/infer", data=b"x" * 300_000)
    assert r.status_code == 413 and "--max-body" in r.json()["error"]
    r = requests.get(f"{server.url}/v2/models/bmi-linear/infer")
    assert r.status_code == 405
    r = requests.get(server.url + "/x" * 5000)
    assert r.status_code in (414, 431)


def test_metrics_and_access_log(server):
    requests.post(f"{server.url}/invocations/bmi-linear", json=bodies(ROWS[:4])["dataframe_split"])
    text = requests.get(f"{server.url}/metrics").text
    assert 'zoo_http_requests_total{endpoint="invocations",model="bmi-linear",status="200"}' in text
    assert "zoo_http_request_duration_seconds_bucket" in text
    assert 'zoo_rows_predicted_total{model="bmi-linear"}' in text
    assert 'zoo_model_reloads_total{model="bmi-linear",outcome="loaded"} 1' in text
    entries = [json.loads(line) for line in server.lines if line.startswith("{")]
    mine = [e for e in entries if e["path"] == "/invocations/bmi-linear" and e["status"] == 200]
    assert mine and mine[-1]["method"] == "POST" and mine[-1]["model"] == "bmi-linear" and mine[-1]["rows"] == 4
    assert {"time", "remote", "bytes", "duration_ms"} <= set(mine[-1])

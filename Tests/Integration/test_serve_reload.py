"""Hot reload under load: a model file replaced 100 times (atomically, as `zoo train` writes) while
clients keep predicting gets 0 failed requests, and every answer is one of the two versions'
`zoo predict` results; a corrupt file is refused while the old version keeps serving; added and
removed files appear and disappear. SIGTERM lets a request in flight finish, then exits 0."""
import os
import shutil
import threading
import time

import requests

from conftest import ROOT
from serve_util import FEATURES, Server, rows_csv, sample_rows, typed, wait_for, zoo_predict

ROWS = sample_rows(20, seed=11)


def replace(src, dst):
    tmp = str(dst) + ".tmp-%d" % os.getpid()
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)  # atomic, like zoo train's writes


def test_replace_100_times_under_load(tmp_path):
    a, b = ROOT / "models" / "bmi-linear.nnm", ROOT / "models" / "bmi-mlp.nnm"
    versions = {tuple(zoo_predict(a, ROWS)), tuple(zoo_predict(b, ROWS))}
    served = tmp_path / "m.nnm"
    shutil.copyfile(a, served)
    body = {"dataframe_split": {"columns": FEATURES, "data": [typed(r) for r in ROWS]}}
    with Server(tmp_path, "--reload-interval", "0.01", "--no-access-log") as s:
        stop = threading.Event()
        results = {"ok": 0, "failed": []}
        lock = threading.Lock()

        def client():
            with requests.Session() as http:
                while not stop.is_set():
                    try:
                        r = http.post(f"{s.url}/invocations/m", json=body, timeout=10)
                        good = r.status_code == 200 and tuple(r.json()["predictions"]) in versions
                        detail = None if good else f"{r.status_code} {r.text[:200]}"
                    except Exception as e:  # a dropped connection is a failure too
                        good, detail = False, repr(e)
                    with lock:
                        if good:
                            results["ok"] += 1
                        else:
                            results["failed"].append(detail)

        threads = [threading.Thread(target=client) for _ in range(4)]
        for t in threads:
            t.start()
        for i in range(100):
            replace(b if i % 2 == 0 else a, served)
            time.sleep(0.03)
        stop.set()
        for t in threads:
            t.join()
        assert results["failed"] == [], results["failed"][:5]
        assert results["ok"] > 100
        metrics = requests.get(f"{s.url}/metrics").text
        reloads = sum(float(line.split()[-1]) for line in metrics.splitlines()
                      if line.startswith('zoo_model_reloads_total{model="m",outcome="loaded"}'))
        assert reloads >= 50, metrics  # the replacements were seen, not slept through


def test_corrupt_added_and_removed_files(tmp_path):
    linear, mlp = ROOT / "models" / "bmi-linear.nnm", ROOT / "models" / "bmi-mlp.nnm"
    shutil.copyfile(linear, tmp_path / "m.nnm")
    url_m = "/invocations/m"
    with Server(tmp_path, "--reload-interval", "0.05") as s:
        def predict(name):
            return requests.post(s.url + f"/invocations/{name}", data=rows_csv(ROWS), headers={"Content-Type": "text/csv"})
        assert predict("m").json()["predictions"] == zoo_predict(linear, ROWS)
        # A truncated copy (CRC fails): refused, the old version keeps serving.
        data = mlp.read_bytes()
        tmp = tmp_path / "m.partial"
        tmp.write_bytes(data[: len(data) // 2])
        os.replace(tmp, tmp_path / "m.nnm")
        assert wait_for(lambda: "refused" in s.log() and "m.nnm" in s.log())
        assert "still serving the version loaded before" in s.log()
        assert predict("m").json()["predictions"] == zoo_predict(linear, ROWS)
        # Garbage that is not an .nnm at all: also refused.
        (tmp_path / "junk.nnm").write_bytes(b"not a model")
        assert wait_for(lambda: "junk.nnm" in s.log())
        assert requests.get(s.url + "/v2/models/junk/ready").status_code == 404
        # The fixed file is picked up.
        replace(mlp, tmp_path / "m.nnm")
        assert wait_for(lambda: predict("m").json().get("predictions") == zoo_predict(mlp, ROWS))
        # Added, then removed.
        replace(linear, tmp_path / "new.nnm")
        assert wait_for(lambda: requests.get(s.url + "/v2/models/new/ready").status_code == 200)
        os.remove(tmp_path / "new.nnm")
        assert wait_for(lambda: requests.get(s.url + "/v2/models/new/ready").status_code == 404)
        assert url_m


def test_sigterm_finishes_the_request_in_flight(tmp_path):
    shutil.copyfile(ROOT / "models" / "bmi-forest.nnm", tmp_path / "f.nnm")
    rows = sample_rows(20000, seed=3)
    body = rows_csv(rows).encode()
    s = Server(tmp_path)
    result = {}
    halfway = threading.Event()

    def upload():  # the body arrives in two parts; SIGTERM comes between them
        yield body[: len(body) // 2]
        halfway.set()
        time.sleep(1.0)
        yield body[len(body) // 2:]

    def slow():
        result["r"] = requests.post(f"{s.url}/invocations/f", data=upload(), headers={"Content-Type": "text/csv"}, timeout=60)

    t = threading.Thread(target=slow)
    t.start()
    assert halfway.wait(10)
    time.sleep(0.2)
    code = s.stop()
    t.join()
    assert code == 0, s.log()
    assert result["r"].status_code == 200, result["r"].text
    assert result["r"].json()["predictions"] == zoo_predict(tmp_path / "f.nnm", rows)
    assert "stopped" in s.log()
    # After the drain the port is closed.
    try:
        requests.get(s.url + "/v2/health/live", timeout=2)
        raise AssertionError("still answering after SIGTERM")
    except requests.ConnectionError:
        pass


def test_a_stalled_body_gets_408_and_the_server_stays_healthy(tmp_path):
    import socket
    shutil.copyfile(ROOT / "models" / "bmi-linear.nnm", tmp_path / "m.nnm")
    with Server(tmp_path, "--request-timeout", "1") as s:
        sock = socket.create_connection(("127.0.0.1", s.port))
        sock.sendall(b"POST /invocations/m HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\nSex,Age")
        sock.settimeout(10)
        start = time.time()
        reply = sock.recv(4096).decode()
        sock.close()
        assert reply.startswith("HTTP/1.1 408"), reply
        assert "--request-timeout" in reply
        assert time.time() - start < 5
        r = requests.post(f"{s.url}/invocations/m", data=rows_csv(ROWS), headers={"Content-Type": "text/csv"})
        assert r.status_code == 200

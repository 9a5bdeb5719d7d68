"""Helpers for the `zoo serve` checks: start the release server on a free port, stop it with
SIGTERM (it must exit 0), and compute `zoo predict`'s answers for the same rows."""
import csv
import io
import os
import random
import re
import signal
import subprocess
import tempfile
import threading
import time

from conftest import ROOT, ZOO, zoo

FEATURES = ["Sex", "Age", "Height(Inches)", "Weight(Pounds)"]


class Server:
    def __init__(self, directory, *args):
        self.proc = subprocess.Popen([ZOO, "serve", str(directory), "--port", "0", *map(str, args)], cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self._ready = threading.Event()
        self.port = None
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(30):
            self.proc.kill()
            raise AssertionError("zoo serve did not start: " + "".join(self.lines))
        if self.port is None:
            raise AssertionError("zoo serve exited: " + "".join(self.lines))
        self.url = f"http://127.0.0.1:{self.port}"

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                self._ready.set()
        self._ready.set()

    def log(self):
        return "".join(self.lines)

    def stop(self, timeout=30):
        """SIGTERM; returns the exit code (zoo serve exits 0 after finishing requests in flight)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("zoo serve did not stop within %d s after SIGTERM" % timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        code = self.stop()
        if exc[0] is None:
            assert code == 0, f"zoo serve exited {code}: {self.log()[-2000:]}"


def sample_rows(n, seed=402):
    """n complete rows of the bundled data, feature columns only, as lists of strings (the CSV's own text)."""
    with open(ROOT / "data" / "bmi_data.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if all(r[c].strip() for c in FEATURES)]
    rng = random.Random(seed)
    picked = rng.sample(rows, n)
    return [[r[c] for c in FEATURES] for r in picked]


def rows_csv(rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(FEATURES)
    w.writerows(rows)
    return out.getvalue()


def zoo_predict_columns(model, rows):
    """`zoo predict`'s output rows for rows, as dicts of its exact text."""
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.csv"), os.path.join(d, "out.csv")
        with open(src, "w") as f:
            f.write(rows_csv(rows))
        zoo("predict", model, src, "-o", dst)
        with open(dst, newline="") as f:
            return list(csv.DictReader(f))


def zoo_predict(model, rows):
    """`zoo predict`'s predictions for rows, as floats parsed from its exact text output."""
    return [float(r["BMI_pred"]) for r in zoo_predict_columns(model, rows)]


def typed(row):
    """A CSV row as JSON values: numbers as Python floats (parsed from the same text), Sex as text."""
    return [row[0]] + [float(v) for v in row[1:]]


def wait_for(cond, timeout=10, step=0.02):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(step)
    return False

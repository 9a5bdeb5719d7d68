"""Shared fixtures of the integration suite, and the rule that a skipped check is a failed one."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("ZOO_ROOT", Path(__file__).resolve().parents[2]))
ZOO = os.environ.get("ZOO_BIN", str(ROOT / ".build" / "release" / "zoo"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"a skipped integration check is a defect: {report.longrepr}"


def zoo(*args, check=True, **kwargs):
    """Runs the release `zoo` binary; returns the CompletedProcess (text mode). With `check`, a
    non-zero exit fails the test with zoo's stderr."""
    r = subprocess.run([ZOO, *map(str, args)], cwd=ROOT, capture_output=True, text=True, **kwargs)
    if check and r.returncode != 0:
        raise AssertionError(f"zoo {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
    return r


@pytest.fixture(scope="session")
def shipped_models():
    """The shipped regressors: `models/bmi-*.nnm` predicting BMI (the classifiers are `bmi-category-*`)."""
    return sorted(p for p in (ROOT / "models").glob("bmi-*.nnm") if not p.name.startswith("bmi-category-"))


@pytest.fixture(scope="session")
def shipped_classifiers():
    """The shipped classifiers: `models/bmi-category-*.nnm` predicting Category."""
    return sorted((ROOT / "models").glob("bmi-category-*.nnm"))

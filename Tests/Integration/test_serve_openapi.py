"""The OpenAPI document at /openapi.json is the one kept in the repository, and schemathesis,
generating requests from it against the running server, finds no 5xx and no response that the
document does not describe."""
import json

import pytest
import requests
import schemathesis
from hypothesis import settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

from conftest import ROOT
from serve_util import Server

_server = Server(ROOT / "models", "--no-access-log", "--max-rows", "5000")
schema = schemathesis.openapi.from_url(f"{_server.url}/openapi.json")


def teardown_module(module):
    assert _server.stop() == 0


def test_served_document_is_the_repository_one():
    served = requests.get(f"{_server.url}/openapi.json").json()
    assert served == json.loads((ROOT / "docs" / "openapi.json").read_text())
    assert served["openapi"].startswith("3.1")


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True)
def test_api(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])

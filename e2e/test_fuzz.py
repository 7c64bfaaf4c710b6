"""Schemathesis against every service's OpenAPI document, with a tenant administrator's token.

Each service is fuzzed directly on its own test port (its document describes its own paths, including the
callbacks the gateway does not route); the gateway's document (its own operations) against the gateway. For a
bounded number of examples per operation the checks are: no 5xx, every status documented, every body and
content type as documented. The run is reproducible (a fixed seed; DMLP_FUZZ_SEED picks another to explore) and
prints its figures. A failure a service's owner has accepted for now may live in e2e/fuzz-baseline/<service>.json
(Schemathesis' --baseline), pinned by a strict xfail with the request that reproduces it, so the entry cannot
outlive the bug; today there is none.
See docs/api.md, "Fuzzing".
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from conftest import SERVICE_URLS, bearer, own_openapi

# Operations left out of fuzzing, with why. Each is covered by a test of its own.
NOT_FUZZED = {
    "gateway": {"/api/v1/events/stream": "an endless server-sent event stream: every example would wait for the "
                                         "request timeout (test_event_stream.py, and its row in the isolation matrix)"},
}
MAX_EXAMPLES = int(os.environ.get("DMLP_FUZZ_EXAMPLES", "15"))
SEED = int(os.environ.get("DMLP_FUZZ_SEED", "8"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
BASELINES = Path(__file__).parent / "fuzz-baseline"
CONFIG = Path(__file__).parent / "schemathesis.toml"


@pytest.fixture(scope="module")
def fuzz_tenant(new_tenant):
    """A throw-away tenant: the fuzzer may create, change and delete anything its administrator can reach."""
    return new_tenant("fuzz")


def schemathesis(url: str, document: str, token: str, report: Path, baseline: Path | None,
                 excluded: list[str]) -> subprocess.CompletedProcess:
    # Every operation to the end of its budget (--continue-on-failure), so a run counts all its failures. One
    # worker: on Python 3.11, Hypothesis describing strategies in parallel threads trips CPython's AST checks.
    # No stateful phase: its chains of calls are not bounded by --max-examples.
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run", document, "--url", url,
               "--checks", CHECKS, "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
               "--phases", "examples,coverage,fuzzing", "--continue-on-failure", "--workers", "1",
               "--request-timeout", "30", "--header", f"Authorization: Bearer {token}",
               "--report-json-path", str(report), "--no-color"]
    if baseline is not None:
        command += ["--baseline", str(baseline)]
    for path in excluded:
        command += ["--exclude-path", path]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("service", sorted(SERVICE_URLS))
def test_every_documented_operation_survives_fuzzing_and_answers_as_documented(service, fuzz_tenant, tmp_path,
                                                                                capsys):
    url = SERVICE_URLS[service]
    document = requests.get(own_openapi(service), params={"format": "json"}, timeout=15)
    assert document.status_code == 200, f"{service} serves no OpenAPI document"
    if not document.json().get("paths"):
        pytest.skip(f"{service} documents no operation yet: nothing to fuzz")
    baseline = BASELINES / f"{service}.json"
    report = tmp_path / "report.json"

    run = schemathesis(url, own_openapi(service), fuzz_tenant["admin"]["token"], report,
                       baseline if baseline.exists() else None, sorted(NOT_FUZZED.get(service, {})))

    assert report.exists(), run.stdout[-4000:] + run.stderr[-4000:]
    result = json.loads(report.read_text())
    known = result["baseline"]["known"] if result["baseline"] else 0
    with capsys.disabled():
        print(f"\nfuzz {service}: {result['operations']['tested']} operations, "
              f"{result['test_cases']['generated']} examples, {result['test_cases']['unique_failures']} failures"
              f" ({known} accepted in the baseline), {result['running_time']:.0f} s")
        if result["baseline"] and result["baseline"]["unobserved_ids"]:
            # Not a failure: which examples a run draws depends on the data it meets, so one run may miss one.
            print(f"  {baseline.name}: {result['baseline']['unobserved_ids']} not reproduced this run")
    assert run.returncode == 0 and not result["errors"], run.stdout


MALFORMED_MULTIPART = {"headers": {"Content-Type": "multipart/form-data; boundary=b0undary"},
                       "data": b"--b0undary\r\nNone--b0undary--\r\n"}


@pytest.mark.parametrize("method,path,request_kwargs", [
    pytest.param("POST", "/api/v1/dataset/upload?dataset_name=m&usage=t", MALFORMED_MULTIPART, id="upload"),
    pytest.param("POST", "/api/v1/files/add?dataset_id=1", MALFORMED_MULTIPART, id="files-add"),
    pytest.param("GET", "/api/v1/files/download?file_path=a%00b", {}, id="download-nul"),
])
def test_the_inputs_fuzzing_found_answering_500_are_client_errors(method, path, request_kwargs, fuzz_tenant):
    """The fuzzer's finds, pinned: what it draws varies with the data it meets, these requests do not."""
    headers = {**bearer(fuzz_tenant["admin"]["token"]), **request_kwargs.get("headers", {})}

    response = requests.request(method, SERVICE_URLS["dataset-service"] + path, headers=headers,
                                data=request_kwargs.get("data"), timeout=30)

    assert 400 <= response.status_code < 500, response.text
    assert response.json()["status_code"] == response.status_code

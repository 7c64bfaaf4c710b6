"""The local Ray head as the services use it: Job REST API, token auth, code shipped as a package."""

import hashlib
import io
import os
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import requests

RAY = os.environ.get("DMLP_RAY_ADDRESS", "http://127.0.0.1:8265")
TOKEN_FILE = os.environ.get("DMLP_RAY_TOKEN_FILE", "")
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def auth() -> dict:
    if not TOKEN_FILE or not Path(TOKEN_FILE).exists():
        pytest.fail("DMLP_RAY_TOKEN_FILE must name the local Ray's token file (./dmlp test sets it)")
    return {"Authorization": "Bearer " + Path(TOKEN_FILE).read_text().strip()}


def package_zip() -> bytes:
    """dmlp_jobs at the zip root, as Ray's working_dir expects; deterministic so the hash is stable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((PACKAGE_ROOT / "dmlp_jobs").rglob("*.py")):
            info = zipfile.ZipInfo(str(path.relative_to(PACKAGE_ROOT)), date_time=(2020, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def test_the_job_api_refuses_a_caller_without_the_token():
    response = requests.get(f"{RAY}/api/version", timeout=10)

    assert response.status_code in (401, 403)


def submitted(entrypoint: str, submission_id: str, env_vars: dict | None = None, timeout_s: float = 120) -> tuple[str, str]:
    """Uploads our package (once per content hash, as the services do), submits `entrypoint` with it and waits:
    (final status, logs)."""
    headers = auth()
    archive = package_zip()
    uri = f"gcs://_ray_pkg_{hashlib.sha256(archive).hexdigest()[:16]}.zip"
    upload = requests.put(f"{RAY}/api/packages/gcs/{uri[len('gcs://'):]}", data=archive, headers=headers,
                          timeout=30)
    assert upload.status_code == 200, upload.text
    runtime_env = {"working_dir": uri} | ({"env_vars": env_vars} if env_vars else {})
    response = requests.post(f"{RAY}/api/jobs/", headers=headers, timeout=30, json={
        "entrypoint": entrypoint, "submission_id": submission_id, "runtime_env": runtime_env})
    assert response.status_code == 200, response.text
    deadline = time.time() + timeout_s
    status = None
    while time.time() < deadline:
        status = requests.get(f"{RAY}/api/jobs/{submission_id}", headers=headers, timeout=10).json()["status"]
        if status in ("SUCCEEDED", "FAILED", "STOPPED"):
            break
        time.sleep(1)
    logs = requests.get(f"{RAY}/api/jobs/{submission_id}/logs", headers=headers, timeout=10).json()["logs"]
    return status, logs


def test_a_job_runs_our_package_with_the_pinned_libraries():
    submission_id = f"dmlp-selfcheck-{uuid.uuid4().hex[:12]}"
    entrypoint = ("python -c \"import dmlp_jobs, numpy, pandas, sklearn; "
                  "print('dmlp-ok', dmlp_jobs.__version__, numpy.__version__)\"")

    status, logs = submitted(entrypoint, submission_id)

    assert status == "SUCCEEDED", logs
    assert "dmlp-ok 0.1.0" in logs

    archive = package_zip()
    uri = f"gcs://_ray_pkg_{hashlib.sha256(archive).hexdigest()[:16]}.zip"
    again = requests.post(f"{RAY}/api/jobs/", headers=auth(), timeout=30, json={
        "entrypoint": entrypoint, "submission_id": submission_id, "runtime_env": {"working_dir": uri}})
    assert again.status_code >= 400, "a reused submission_id must be refused (it makes submits idempotent)"

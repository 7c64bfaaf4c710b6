"""Shared test support: a local HTTP endpoint that records the callbacks a job posts, and the local S3."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import boto3
import pytest
from botocore.config import Config


class Recorder(BaseHTTPRequestHandler):
    replies: list[int] = []
    received: list[tuple[str, dict]] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers["Content-Length"])
        Recorder.received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
        status = Recorder.replies.pop(0) if Recorder.replies else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "success"}' if status == 200 else b'{"status_code": %d}' % status)

    def log_message(self, *args):
        pass


@pytest.fixture()
def callback_base():
    """The recording endpoint's base URL; what it received is in Recorder.received."""
    Recorder.replies, Recorder.received = [], []
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture()
def run_job(monkeypatch, callback_base):
    """Runs a job's main() as Ray would, with a spec, a callback URL and credential in the environment: returns
    (exit code, the one callback body it posted), the callback having carried the credential."""

    def run(main, spec: dict) -> tuple[int, dict]:
        monkeypatch.setenv("DMLP_CALLBACK_URL", f"{callback_base}/callback")
        monkeypatch.setenv("DMLP_CALLBACK_TOKEN", "job-secret")
        monkeypatch.setenv("DMLP_JOB_SPEC", json.dumps(spec))
        code = 0
        try:
            main()
        except SystemExit as exit:
            code = exit.code
        [(authorization, payload)] = Recorder.received
        assert authorization == "Bearer job-secret"
        return code, payload

    return run


@pytest.fixture(scope="session")
def s3():
    """A client of the local S3Proxy (./dmlp test exports its settings); unreachable means failed, not skipped."""
    settings = {name: os.environ.get(name) for name in ("DMLP_S3_ENDPOINT", "DMLP_S3_ACCESS_KEY", "DMLP_S3_SECRET_KEY")}
    if not all(settings.values()):
        pytest.fail(f"the S3 settings must be set (./dmlp test exports them): {sorted(settings)}")
    return boto3.client(
        "s3", endpoint_url=settings["DMLP_S3_ENDPOINT"], aws_access_key_id=settings["DMLP_S3_ACCESS_KEY"],
        aws_secret_access_key=settings["DMLP_S3_SECRET_KEY"], region_name=os.environ.get("DMLP_S3_REGION", "us-east-1"),
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                      request_checksum_calculation="when_required", response_checksum_validation="when_required",
                      connect_timeout=5, retries={"max_attempts": 2}))

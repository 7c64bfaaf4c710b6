import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from dmlp_jobs.callback import Callback, CallbackError


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
def server():
    Recorder.replies, Recorder.received = [], []
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/api/v1/train/result"
    httpd.shutdown()


def test_posts_the_result_with_the_job_credential(server):
    reply = Callback(server, "job-secret").post({"train_id": 7, "result": {"metrics": {"accuracy": 0.9}}})

    assert reply == {"status": "success"}
    assert Recorder.received == [("Bearer job-secret", {"train_id": 7, "result": {"metrics": {"accuracy": 0.9}}})]


def test_retries_while_the_service_is_unavailable(server):
    Recorder.replies = [503, 502]

    Callback(server, "t").post({"n": 1}, backoff_s=0.01)

    assert len(Recorder.received) == 3


def test_a_refused_credential_is_not_retried(server):
    Recorder.replies = [401]

    with pytest.raises(CallbackError, match="HTTP 401"):
        Callback(server, "wrong").post({"n": 1}, backoff_s=0.01)
    assert len(Recorder.received) == 1


def test_gives_up_when_nothing_listens():
    with pytest.raises(CallbackError, match="after 2 attempts"):
        Callback("http://127.0.0.1:9/none", "t").post({}, attempts=2, backoff_s=0.01, timeout_s=1)


def test_never_shows_the_token(monkeypatch):
    monkeypatch.setenv("DMLP_CALLBACK_URL", "http://x/cb")
    monkeypatch.setenv("DMLP_CALLBACK_TOKEN", "super-secret")

    assert "super-secret" not in repr(Callback.from_env())


def test_a_job_without_its_callback_settings_fails_clearly(monkeypatch):
    monkeypatch.delenv("DMLP_CALLBACK_URL", raising=False)

    with pytest.raises(CallbackError, match="DMLP_CALLBACK_URL"):
        Callback.from_env()

"""Shared test support: a local HTTP endpoint that records the callbacks a job posts."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


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

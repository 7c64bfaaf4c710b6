"""GET /api/v1/events/stream: a tenant's job events, live from Kafka, as server-sent events (docs/events.md).

The job followed is the cheapest one that emits events: a dataset statistics job on a three-row dataset.
"""

import json
import queue
import threading
import time
import uuid

import pytest
import requests

from conftest import GATEWAY, bearer, log_in, new_user, upload

STREAM = f"{GATEWAY}/api/v1/events/stream"
STATISTICS = "io.dmlp.dataset.statistics."
TERMINAL = ("completed", "failed", "cancelled")


class EventStream:
    """One client of the stream, read on a thread of its own: every block (a message or a comment) as it arrives."""

    def __init__(self, token: str, types: str | None = None):
        # A read timeout well above the 15 s keep-alive: a stream that goes silent fails the test.
        self.response = requests.get(STREAM, headers=bearer(token), params={"types": types} if types else None,
                                     stream=True, timeout=(5, 45))
        self.blocks: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        block = []
        try:
            # chunk_size=None: each chunk as the gateway sends it, not once 512 bytes have piled up.
            for raw in self.response.iter_lines(chunk_size=None):
                line = raw.decode("utf-8")
                if line:
                    block.append(line)
                elif block:
                    self.blocks.put(block)
                    block = []
        except (requests.RequestException, AttributeError, ValueError):
            pass  # close(): the client hung up

    def next_block(self, timeout_s: float) -> list[str] | None:
        try:
            return self.blocks.get(timeout=timeout_s)
        except queue.Empty:
            return None

    def messages(self, until, timeout_s: float) -> list[dict]:
        """The messages (fields, with data parsed) up to the first for which until(message) holds."""
        deadline, received = time.time() + timeout_s, []
        while True:
            block = self.next_block(max(0.0, deadline - time.time()))
            assert block is not None, f"no closing message within {timeout_s}s; received {received}"
            if all(line.startswith(":") for line in block):
                continue
            fields = dict(line.split(": ", 1) for line in block)
            received.append({**fields, "data": json.loads(fields["data"])})
            if until(received[-1]):
                return received

    def messages_so_far(self) -> list[list[str]]:
        drained = []
        while (block := self.next_block(0)) is not None:
            if not all(line.startswith(":") for line in block):
                drained.append(block)
        return drained

    def close(self) -> None:
        self.response.close()


@pytest.fixture
def streams():
    opened = []

    def open_stream(token: str, types: str | None = None) -> EventStream:
        stream = EventStream(token, types)
        opened.append(stream)
        assert stream.response.status_code == 200, stream.response.text
        assert stream.response.headers["Content-Type"] == "text/event-stream"
        assert stream.response.headers["Cache-Control"] == "no-cache"
        assert stream.next_block(15) == [": connected"]
        return stream

    yield open_stream
    for stream in opened:
        stream.close()


def assert_refused_with_401(headers: dict) -> None:
    response = requests.get(STREAM, headers=headers, stream=True, timeout=15)
    try:
        assert response.status_code == 401, response.status_code
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.json()["status_code"] == 401
    finally:
        response.close()


def test_an_anonymous_caller_is_refused_before_any_stream():
    assert_refused_with_401({})


@pytest.mark.parametrize("token", ["not-a-token", "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl"])
def test_a_bad_token_is_refused(token):
    assert_refused_with_401(bearer(token))


def test_a_logged_out_session_is_refused_within_seconds(new_tenant, streams):
    tenant = new_tenant("stream-leaver")
    user = new_user(tenant["admin"]["token"], tenant["id"], "viewer", prefix="leaver")
    session = log_in(user["username"], user["password"])
    streams(session["access_token"]).close()

    out = requests.post(f"{GATEWAY}/api/v1/logout", params={"refresh_token": session["refresh_token"]}, timeout=15)
    assert out.status_code == 200, out.text

    deadline = time.time() + 10
    while True:
        response = requests.get(STREAM, headers=bearer(session["access_token"]), stream=True, timeout=15)
        response.close()
        if response.status_code == 401:
            break
        assert time.time() < deadline, "the stream still opens for a logged-out session"
        time.sleep(0.2)


def test_a_tenant_follows_its_statistics_job_and_no_one_else_sees_it(new_tenant, streams):
    owner, other = new_tenant("stream-owner"), new_tenant("stream-other")
    owner_token = owner["admin"]["token"]
    mine = streams(owner_token)
    ends_only = streams(owner_token, types=",".join(STATISTICS + end for end in TERMINAL))
    trainings_only = streams(owner_token, types="io.dmlp.training.")
    theirs = streams(other["admin"]["token"])

    # Uploading emits dataset.created and file.added: dataset events, but no job's.
    dataset_id = upload(owner_token, "meter,load\nm1,1.5\nm2,2.5\nm3,4.0\n", name=f"stream-{uuid.uuid4().hex[:8]}")
    started = requests.post(f"{GATEWAY}/api/v1/dataset/generate_statistics", headers=bearer(owner_token),
                            timeout=60, params={"dataset_id": dataset_id})
    assert started.status_code == 200, started.text

    followed = mine.messages(lambda m: m["event"].removeprefix(STATISTICS).removesuffix(".v1") in TERMINAL,
                             timeout_s=180)
    events = [m["event"] for m in followed]
    assert events[0] == f"{STATISTICS}submitted.v1", events
    assert events[-1] == f"{STATISTICS}completed.v1", events
    assert all(event.startswith(STATISTICS) for event in events), events
    for message in followed:
        assert message["id"] == message["data"]["id"]
        assert message["event"] == message["data"]["type"]
        assert message["data"]["tenantid"] == owner["id"]
        assert message["data"]["data"]["dataset_id"] == dataset_id
    assert followed[-1]["data"]["data"]["status"] == "completed"

    end = ends_only.messages(lambda m: True, timeout_s=15)
    assert [m["id"] for m in end] == [followed[-1]["id"]]
    time.sleep(1)  # the same reader fed every stream: anything misrouted would have arrived with the events above
    assert ends_only.messages_so_far() == []
    assert trainings_only.messages_so_far() == []
    assert theirs.messages_so_far() == []

import pytest
from conftest import Recorder

from dmlp_jobs.callback import Callback, CallbackError


@pytest.fixture()
def server(callback_base):
    return f"{callback_base}/api/v1/train/result"


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

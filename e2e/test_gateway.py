import socket
import uuid
from urllib.parse import urlsplit

import pytest
import requests

from conftest import HEALTH, LOGS, infra, wait_for_status
from test_identity import ADMIN_PASSWORD, login

# One path per owning service (API-SURFACE.md) that no endpoint matches: each answers the owning
# service's JSON 404, and the service's own log shows the request id, which proves where it went.
OWNED_PATHS = {
    "auth-service": "/api/v1/rbac/no/such-thing",
    "catalog-service": "/api/v1/template/no/such-thing",
    "dataset-service": "/api/v1/files/no/such-thing",
    "training-service": "/api/v1/train/no/such-thing",
    "inference-service": "/api/v1/inference/no/such-thing",
    "datalake-service": "/api/v1/datalake/no/such-thing",
}


def test_health_check_answers_the_guides_body(gateway):
    for path in (HEALTH, HEALTH.rstrip("/")):
        response = requests.get(gateway + path, timeout=15)

        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ok", "message": "Service is healthy."}


@pytest.mark.parametrize("service,path", sorted(OWNED_PATHS.items()))
def test_each_prefix_reaches_its_owning_service_with_the_request_id(gateway, service, path):
    request_id = f"e2e-{service}-{uuid.uuid4().hex[:8]}"

    response = requests.get(gateway + path, headers={"X-Request-Id": request_id}, timeout=15)

    assert response.status_code == 404
    assert response.headers["X-Request-Id"] == request_id
    assert response.json() == {"status_code": 404, "message": f"No endpoint GET {path}", "request_id": request_id}
    assert request_id in (LOGS / f"test-{service}.log").read_text()


def test_the_gateway_assigns_a_request_id_when_the_client_sends_none(gateway):
    response = requests.get(gateway + OWNED_PATHS["catalog-service"], timeout=15)

    request_id = response.headers["X-Request-Id"]
    assert len(request_id) == 36
    assert response.json()["request_id"] == request_id


def test_a_path_no_service_owns_is_a_json_404(gateway):
    response = requests.get(gateway + "/api/v1/nowhere", timeout=15)

    assert response.status_code == 404
    assert response.json()["status_code"] == 404


def test_a_segment_prefix_does_not_leak_into_a_longer_name(gateway):
    request_id = f"e2e-trainer-{uuid.uuid4().hex[:8]}"

    response = requests.get(gateway + "/api/v1/trainer", headers={"X-Request-Id": request_id}, timeout=15)

    assert response.status_code == 404
    assert response.json()["message"] == "No endpoint GET /api/v1/trainer"
    assert request_id in (LOGS / "test-gateway.log").read_text()
    assert request_id not in (LOGS / "test-training-service.log").read_text()


def test_bodies_over_the_limit_are_refused_before_reaching_a_service(gateway):
    big = b"x" * (11 * 1024 * 1024)

    response = requests.post(gateway + "/api/v1/template/", data=big,
                             headers={"Content-Type": "application/json"}, timeout=60)

    assert response.status_code == 413
    assert response.json()["status_code"] == 413
    assert "exceeds the limit" in response.json()["message"]


def _chunks(total, size=64 * 1024):
    for _ in range(total // size):
        yield b"x" * size


def test_a_chunked_body_streaming_past_the_limit_is_cut_off(gateway):
    # Authenticated, so catalog-service waits for the whole body: without a token it may answer 401 before the
    # gateway has counted 10 MB, and the test would race the two.
    token = login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"]
    response = requests.post(gateway + "/api/v1/template/", data=_chunks(12 * 1024 * 1024), timeout=60,
                             headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})

    assert response.status_code == 413
    assert response.headers["Connection"].lower() == "close"
    assert response.json()["message"] == "Request body exceeds the limit of 10485760 bytes for this endpoint."


def _raw(gateway, data):
    url = urlsplit(gateway)
    with socket.create_connection((url.hostname, url.port), timeout=15) as conn:
        conn.sendall(data)
        answer = b""
        while len(answer) < 12:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer


def test_transfer_codings_other_than_chunked_are_refused(gateway):
    answer = _raw(gateway, b"POST /api/v1/template/ HTTP/1.1\r\nHost: x\r\n"
                           b"Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 501 ")


def test_cleartext_http2_is_refused(gateway):
    answer = _raw(gateway, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0]))

    # An HTTP/2 server would answer with a binary SETTINGS frame.
    assert answer[:5] == b"HTTP/" and answer[9:10] == b"4", answer


@pytest.mark.parametrize("path", ["/api/v1/dataset/statistics/result", "/api/v1/train/result",
                                  "/api/v1/train/shap-result", "/api/v1/train/./result/",
                                  "/api/v1/inference/batch-result", "/api/v1/inference/forecast-result"])
def test_ray_callbacks_are_not_routed(gateway, path):
    response = requests.post(gateway + path, json={}, timeout=15)

    assert response.status_code == 404
    assert response.json()["status_code"] == 404


@pytest.mark.parametrize("path", ["/q/health", "/q/health/ready", "/q/metrics"])
def test_health_and_metrics_are_not_on_the_public_port(gateway, path):
    assert requests.get(gateway + path, timeout=15).status_code == 404


def test_uploads_have_their_own_larger_limit(gateway):
    big = b"a,b\n" + b"1,2\n" * (3 * 1024 * 1024)  # 12 MiB: over the default limit, under the upload one

    response = requests.post(gateway + "/api/v1/dataset/upload", data=big,
                             headers={"Content-Type": "text/csv"}, timeout=60)

    assert response.status_code != 413, response.text
    assert response.json()["status_code"] == response.status_code


@pytest.mark.parametrize("component", ["s3", "kafka"])
def test_health_is_503_naming_a_stopped_dependency_and_recovers(gateway, component):
    infra("stop", component)
    try:
        response = wait_for_status(gateway + HEALTH, 503)
        body = response.json()
        assert body["status_code"] == 503
        assert component in body["message"]
        failing = {d["component"]: d for d in body["details"]}
        assert set(failing) == {component}
        assert failing[component]["status"] == "DOWN"
        assert failing[component]["reported_by"]
    finally:
        infra("start", component)
    assert wait_for_status(gateway + HEALTH, 200, timeout_s=90).json()["status"] == "ok"

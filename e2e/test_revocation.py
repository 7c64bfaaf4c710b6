"""Ending a session ends its access everywhere: every service refuses the old access token within seconds.

auth-service announces each ending on Kafka (session.ended); every service keeps the ended sessions in a set its
token check consults. The delay each service took is printed, so the run records the revocation window.
"""

import time
import uuid

import pytest
import requests

from test_identity import ADMIN_PASSWORD, bearer, login

# The window docs/security.md promises is a few seconds (outbox relay poll + Kafka delivery); allow a busy host.
BOUND_S = 10

# One endpoint per token-checking service that a fresh viewer may call (200 before the ending).
ENDPOINTS = {
    "auth": "/api/v1/users/{user_id}",
    "catalog": "/api/v1/template/list",
    "dataset": "/api/v1/dataset/list",
    "datalake": "/api/v1/datalake/schemas",
}


@pytest.fixture(scope="module")
def admin_token(gateway):
    response = login(gateway, "admin", ADMIN_PASSWORD)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture(scope="module")
def tenant_id(gateway, admin_token):
    return requests.post(f"{gateway}/api/v1/login/test-token", headers=bearer(admin_token),
                         timeout=15).json()["tenant_id"]


@pytest.fixture(scope="module")
def viewer_role_id(gateway, admin_token, tenant_id):
    roles = requests.get(f"{gateway}/api/v1/rbac/roles", headers=bearer(admin_token), timeout=15,
                         params={"tenant_id": tenant_id})
    assert roles.status_code == 200, roles.text
    return next(role["id"] for role in roles.json() if role["name"] == "viewer")


def fresh_viewer(gateway, admin_token, tenant_id, viewer_role_id):
    """A new user of the admin's tenant holding the viewer role, and a session of theirs."""
    username = f"leaver-{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex}"
    created = requests.post(f"{gateway}/api/v1/users/create-user", headers=bearer(admin_token), timeout=15, json={
        "tenant_id": tenant_id, "first_name": "lee", "last_name": "ver", "email": f"{username}@example.com",
        "username": username, "password": password})
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    assigned = requests.post(f"{gateway}/api/v1/users/{user_id}/roles", headers=bearer(admin_token), timeout=15,
                             json={"role_id": viewer_role_id})
    assert assigned.status_code == 200, assigned.text
    tokens = login(gateway, username, password)
    assert tokens.status_code == 200, tokens.text
    return {"id": user_id, "username": username, **tokens.json()}


def status(gateway, service, user, token):
    path = ENDPOINTS[service].format(user_id=user["id"])
    return requests.get(f"{gateway}{path}", headers=bearer(token), timeout=15).status_code


def log_out(gateway, admin_token, user, viewer_role_id):
    response = requests.post(f"{gateway}/api/v1/logout", params={"refresh_token": user["refresh_token"]},
                             timeout=15)
    assert response.status_code == 200, response.text


def deactivate(gateway, admin_token, user, viewer_role_id):
    response = requests.post(f"{gateway}/api/v1/users/{user['id']}/deactivate", headers=bearer(admin_token),
                             timeout=15)
    assert response.status_code == 200, response.text


def reset_password(gateway, admin_token, user, viewer_role_id):
    response = requests.post(f"{gateway}/api/v1/reset-password", headers=bearer(admin_token), timeout=15,
                             json={"user_name": user["username"], "new_password": f"Pw-{uuid.uuid4().hex}"})
    assert response.status_code == 200, response.text


def remove_role(gateway, admin_token, user, viewer_role_id):
    response = requests.delete(f"{gateway}/api/v1/users/{user['id']}/roles/{viewer_role_id}",
                               headers=bearer(admin_token), timeout=15)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("end_access", [log_out, deactivate, reset_password, remove_role],
                         ids=["logout", "deactivation", "password-reset", "role-change"])
def test_every_service_refuses_an_ended_sessions_token_within_seconds(gateway, admin_token, tenant_id,
                                                                      viewer_role_id, end_access, capsys):
    user = fresh_viewer(gateway, admin_token, tenant_id, viewer_role_id)
    token = user["access_token"]
    for service in ENDPOINTS:
        assert status(gateway, service, user, token) == 200, f"{service} refused a live session's token"

    end_access(gateway, admin_token, user, viewer_role_id)
    ended = time.monotonic()

    delays = {}
    while len(delays) < len(ENDPOINTS) and time.monotonic() - ended < BOUND_S:
        for service in ENDPOINTS.keys() - delays.keys():
            if status(gateway, service, user, token) == 401:
                delays[service] = time.monotonic() - ended
        time.sleep(0.05)

    with capsys.disabled():
        print(f"\nrevocation after {end_access.__name__}: " + ", ".join(
            f"{service} {delays[service] * 1000:.0f} ms" if service in delays else f"{service} still accepts"
            for service in ENDPOINTS))
    assert delays.keys() == ENDPOINTS.keys(), f"still accepted after {BOUND_S} s: {ENDPOINTS.keys() - delays.keys()}"
    # The same 401 body as any other bad token.
    refused = requests.get(f"{gateway}/api/v1/template/list", headers=bearer(token), timeout=15)
    assert refused.json()["status_code"] == 401

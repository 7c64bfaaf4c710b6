"""The API guide's Login, User, RBAC and Auth samples, unchanged, through the gateway."""

import uuid

import pytest
import requests

ADMIN_PASSWORD = "admin123"  # the local default of DMLP_ADMIN_PASSWORD, as in the guide's sample


def login(gateway, username, password):
    return requests.post(f"{gateway}/api/v1/login/access-token",
                         headers={"Content-Type": "application/x-www-form-urlencoded"},
                         data={"username": username, "password": password}, timeout=15)


@pytest.fixture(scope="module")
def admin(gateway):
    response = login(gateway, "admin", ADMIN_PASSWORD)
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_login_answers_the_guides_fields(admin):
    assert admin["token_type"] == "bearer"
    assert admin["access_token"].count(".") == 2
    assert admin["refresh_token"]


def test_test_token_returns_the_user(gateway, admin):
    response = requests.post(f"{gateway}/api/v1/login/test-token", headers=bearer(admin["access_token"]), timeout=15)

    assert response.status_code == 200
    body = response.json()
    assert {"tenant_id", "first_name", "last_name", "email", "username", "id", "is_active"} <= body.keys()
    assert body["username"] == "admin"


def test_users_and_rbac_samples(gateway, admin):
    tenant_id = requests.post(f"{gateway}/api/v1/login/test-token", headers=bearer(admin["access_token"]),
                              timeout=15).json()["tenant_id"]
    username = f"janedoe-{uuid.uuid4().hex[:8]}"
    headers = {**bearer(admin["access_token"]), "Content-Type": "application/json"}

    created = requests.post(f"{gateway}/api/v1/users/create-user", headers=headers, timeout=15, json={
        "tenant_id": tenant_id, "first_name": "jane", "last_name": "doe",
        "email": f"{username}@example.com", "username": username, "password": "Password123!"})
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["username"] == username and user["is_active"] is True

    listed = requests.get(f"{gateway}/api/v1/users/read-users/", headers=bearer(admin["access_token"]), timeout=15,
                          params={"tenant_id": tenant_id})
    assert listed.status_code == 200
    count = listed.json()["count"]
    assert count >= 2
    last = requests.get(f"{gateway}/api/v1/users/read-users/", headers=bearer(admin["access_token"]), timeout=15,
                        params={"tenant_id": tenant_id, "skip": count - 1, "limit": 1}).json()
    assert [u["username"] for u in last["data"]] == [username]

    one = requests.get(f"{gateway}/api/v1/users/{user['id']}", headers=bearer(admin["access_token"]), timeout=15)
    assert one.json()["email"] == f"{username}@example.com"

    role = requests.post(f"{gateway}/api/v1/rbac/roles/", headers=headers, timeout=15,
                         json={"name": f"data_scientist_{uuid.uuid4().hex[:6]}", "tenant_id": tenant_id})
    assert role.status_code == 201, role.text
    assert set(role.json()) == {"id", "tenant_id", "name"}

    # Tenants name their own permissions in the custom: namespace; the catalogue's names are the platform's.
    permission = requests.post(f"{gateway}/api/v1/rbac/permissions/", headers=headers, timeout=15,
                               json={"name": f"custom:forecast_{uuid.uuid4().hex[:6]}", "tenant_id": tenant_id})
    assert permission.status_code == 201, permission.text
    refused = requests.post(f"{gateway}/api/v1/rbac/permissions/", headers=headers, timeout=15,
                            json={"name": "platform_admin", "tenant_id": tenant_id})
    assert refused.status_code == 422, refused.text
    assert set(permission.json()) == {"id", "name", "tenant_id"}

    reset = requests.post(f"{gateway}/api/v1/reset-password?user_name={username}&new_password=NewSecurePassword123",
                          headers=bearer(admin["access_token"]), timeout=15)
    assert reset.json() == {"status": 200, "message": "Password has been reset successfully"}
    assert login(gateway, username, "NewSecurePassword123").status_code == 200


def test_refresh_logout_and_validate(gateway):
    tokens = login(gateway, "admin", ADMIN_PASSWORD).json()

    refreshed = requests.post(f"{gateway}/api/v1/refresh?refresh_token={tokens['refresh_token']}", timeout=15)
    assert refreshed.status_code == 200
    assert refreshed.json()["token_type"] == "bearer"
    new = refreshed.json()

    valid = requests.get(f"{gateway}/api/v1/validate-token", headers=bearer(new["access_token"]), timeout=15)
    assert valid.json() == {"status": "success", "message": "Token is valid."}

    out = requests.post(f"{gateway}/api/v1/logout?refresh_token={new['refresh_token']}", timeout=15)
    assert out.json() == {"status": 200, "message": "User successfully logged out"}
    after = requests.get(f"{gateway}/api/v1/validate-token", headers=bearer(new["access_token"]), timeout=15)
    assert after.status_code == 401
    assert after.json()["status_code"] == 401


def test_jwks_is_published_through_the_gateway(gateway):
    keys = requests.get(f"{gateway}/.well-known/jwks.json", timeout=15).json()["keys"]

    assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" and k["kid"] for k in keys)


def test_anonymous_and_bad_tokens_are_refused(gateway):
    for headers in ({}, bearer("not.a.token")):
        response = requests.get(f"{gateway}/api/v1/users/read-users/", headers=headers, timeout=15)
        assert response.status_code == 401
        assert response.json()["status_code"] == 401

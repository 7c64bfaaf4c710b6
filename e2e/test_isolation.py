"""The isolation matrix: every documented operation of every service, as three callers who must be refused.

For each operation, on a resource of the "victim" tenant:
- another tenant's administrator (every permission, wrong tenant) gets 404, as if the resource did not exist;
- a user of the victim tenant lacking the operation's permission gets 403;
- an anonymous caller gets 401.
An operation that cannot follow that pattern (public, platform-administrator only, addressed by tenant id, a
listing of the caller's own tenant, a callback) has a row saying what it answers instead, and why.

The rows are checked against the services' OpenAPI documents: an operation without a row, or a row without an
operation, fails test_every_documented_operation_has_a_row. See docs/api.md, "The isolation matrix".
"""

import time
import uuid
from dataclasses import dataclass
from typing import Callable

import pytest
import requests

from conftest import (CHURN_COLUMNS, GATEWAY, SERVICE_URLS, bearer, churn_csv, new_user, own_openapi, submit,
                      upload, wait_for_importance, wait_for_run)

CSV = "meter,load\nm1,1.5\nm2,2.5\n"


@dataclass(frozen=True)
class Row:
    """What one operation answers to each caller. ``send(victim, headers)`` makes the call on a victim resource."""
    send: Callable[[dict, dict], requests.Response]
    other_admin: int | str | None = 404
    lacking: int | None = 403
    lacking_role: str | None = "viewer"
    anonymous: int | None = 401
    why: str = ""


def call(method: str, path: str, params: dict | None = None, json=None, files=None, form=None,
         base: str = GATEWAY) -> Callable[[dict, dict], requests.Response]:
    """A request whose path and parameter values are templates over the victim's fields, e.g. "{dataset_id}"."""
    def send(victim: dict, headers: dict) -> requests.Response:
        return requests.request(method, base + path.format(**victim), headers=headers, timeout=30,
                                params={k: str(v).format(**victim) for k, v in (params or {}).items()},
                                json=json(victim) if callable(json) else json,
                                files=files() if files else None, data=form)
    return send


def absent(text: str) -> str:
    """other_admin for a listing of the caller's own tenant: 200, without the victim's item (a template)."""
    return "absent:" + text


def csv_file():
    return {"files": ("meters.csv", CSV, "text/csv")}


OWN_TENANT = "lists or creates in the caller's own tenant only: the victim's item must not show"
BY_TENANT_ID = "names the tenant itself (tenant_id): another tenant's id is refused 403 (TenantScope)"
PLATFORM = "platform administrator only: a tenant's users get 403 whatever their permissions"
CALLBACK = "Ray's callback: only the job's credential opens it, so every user token is 401 (not routed by the gateway)"

MATRIX: dict[tuple[str, str, str], Row] = {
    # --- auth-service ---
    ("auth-service", "GET", "/.well-known/jwks.json"): Row(
        call("GET", "/.well-known/jwks.json"), other_admin=None, lacking=None, anonymous=200,
        why="public: the keys that verify tokens"),
    ("auth-service", "POST", "/api/v1/login/access-token"): Row(
        call("POST", "/api/v1/login/access-token", form={"username": "{admin_username}", "password": "wrong"}),
        other_admin=None, lacking=None, anonymous=401,
        why="public: the credentials are the form; a wrong password is 401"),
    ("auth-service", "POST", "/api/v1/login/test-token"): Row(
        call("POST", "/api/v1/login/test-token"), other_admin=None, lacking=None,
        why="describes the caller itself: any valid token, no tenant resource"),
    ("auth-service", "GET", "/api/v1/validate-token"): Row(
        call("GET", "/api/v1/validate-token"), other_admin=None, lacking=None,
        why="checks the caller's own token: no tenant resource"),
    ("auth-service", "POST", "/api/v1/refresh"): Row(
        call("POST", "/api/v1/refresh", params={"refresh_token": "not-a-refresh-token"}), other_admin=None,
        lacking=None, why="public: the refresh token is the credential; an unknown one is 401"),
    ("auth-service", "POST", "/api/v1/logout"): Row(
        call("POST", "/api/v1/logout", params={"refresh_token": "not-a-refresh-token"}), other_admin=None,
        lacking=None, why="public: the refresh token is the credential; an unknown one is 401"),
    ("auth-service", "POST", "/api/v1/reset-password"): Row(
        call("POST", "/api/v1/reset-password", json=lambda v: {
            "user_name": v["target_username"], "new_password": f"Pw-{uuid.uuid4().hex}"}),
        why="another tenant's user name is not found; a viewer may reset only its own password"),
    ("auth-service", "GET", "/api/v1/tenants"): Row(
        call("GET", "/api/v1/tenants"), other_admin=403, lacking=403, why=PLATFORM),
    ("auth-service", "POST", "/api/v1/tenants"): Row(
        call("POST", "/api/v1/tenants", json=lambda v: {"name": f"nope-{uuid.uuid4().hex[:8]}"}),
        other_admin=403, lacking=403, why=PLATFORM),
    ("auth-service", "GET", "/api/v1/rbac/roles"): Row(
        call("GET", "/api/v1/rbac/roles", params={"tenant_id": "{tenant_id}"}), other_admin=403, why=BY_TENANT_ID),
    ("auth-service", "POST", "/api/v1/rbac/roles"): Row(
        call("POST", "/api/v1/rbac/roles", json=lambda v: {"name": f"r_{uuid.uuid4().hex[:8]}",
                                                           "tenant_id": v["tenant_id"]}),
        other_admin=403, why=BY_TENANT_ID),
    ("auth-service", "GET", "/api/v1/rbac/permissions"): Row(
        call("GET", "/api/v1/rbac/permissions", params={"tenant_id": "{tenant_id}"}), other_admin=403,
        why=BY_TENANT_ID),
    ("auth-service", "POST", "/api/v1/rbac/permissions"): Row(
        call("POST", "/api/v1/rbac/permissions", json=lambda v: {"name": f"custom:p_{uuid.uuid4().hex[:8]}",
                                                                 "tenant_id": v["tenant_id"]}),
        other_admin=403, why=BY_TENANT_ID),
    ("auth-service", "POST", "/api/v1/rbac/roles/{role_id}/permissions"): Row(
        call("POST", "/api/v1/rbac/roles/{role_id}/permissions",
             json=lambda v: {"permission_id": v["permission_id"]})),
    ("auth-service", "DELETE", "/api/v1/rbac/roles/{role_id}/permissions/{permission_id}"): Row(
        call("DELETE", "/api/v1/rbac/roles/{role_id}/permissions/{permission_id}")),
    ("auth-service", "POST", "/api/v1/users/create-user"): Row(
        call("POST", "/api/v1/users/create-user", json=lambda v: {
            "tenant_id": v["tenant_id"], "first_name": "x", "last_name": "y", "username": f"u-{uuid.uuid4().hex[:8]}",
            "email": f"u-{uuid.uuid4().hex[:8]}@example.com", "password": f"Pw-{uuid.uuid4().hex}"}),
        other_admin=403, why=BY_TENANT_ID),
    ("auth-service", "GET", "/api/v1/users/read-users"): Row(
        call("GET", "/api/v1/users/read-users"), other_admin=absent("{target_username}"), why=OWN_TENANT),
    ("auth-service", "GET", "/api/v1/users/{user_id}"): Row(
        call("GET", "/api/v1/users/{target_id}"), why="a viewer may read only itself"),
    ("auth-service", "POST", "/api/v1/users/{user_id}/activate"): Row(
        call("POST", "/api/v1/users/{target_id}/activate")),
    ("auth-service", "POST", "/api/v1/users/{user_id}/deactivate"): Row(
        call("POST", "/api/v1/users/{target_id}/deactivate")),
    ("auth-service", "GET", "/api/v1/users/{user_id}/roles"): Row(
        call("GET", "/api/v1/users/{target_id}/roles"), why="a viewer may read only its own roles"),
    ("auth-service", "POST", "/api/v1/users/{user_id}/roles"): Row(
        call("POST", "/api/v1/users/{target_id}/roles", json=lambda v: {"role_id": v["role_id"]})),
    ("auth-service", "DELETE", "/api/v1/users/{user_id}/roles/{role_id}"): Row(
        call("DELETE", "/api/v1/users/{target_id}/roles/{role_id}")),
    # --- catalog-service ---
    ("catalog-service", "POST", "/api/v1/template"): Row(
        call("POST", "/api/v1/template", json=lambda v: {"template_name": f"t-{uuid.uuid4().hex[:8]}",
                                                        "template_schema": [{"column_name": "a",
                                                                             "data_type": "String"}]}),
        other_admin=None, why="creates in the caller's own tenant: no resource of another tenant is named"),
    ("catalog-service", "POST", "/api/v1/template/from-dataset"): Row(
        call("POST", "/api/v1/template/from-dataset", params={"dataset_id": "{dataset_id}"})),
    ("catalog-service", "GET", "/api/v1/template/list"): Row(
        call("GET", "/api/v1/template/list"), other_admin=absent("{template_name}"), lacking_role=None,
        why=OWN_TENANT),
    ("catalog-service", "GET", "/api/v1/template/{template_id}"): Row(
        call("GET", "/api/v1/template/{template_id}"), lacking_role=None),
    ("catalog-service", "PUT", "/api/v1/template/update/{template_id}"): Row(
        call("PUT", "/api/v1/template/update/{template_id}", json=lambda v: {
            "template_name": v["template_name"], "template_schema": [{"column_name": "a", "data_type": "String"}]})),
    ("catalog-service", "DELETE", "/api/v1/template/{template_id}"): Row(
        call("DELETE", "/api/v1/template/{template_id}")),
    # --- dataset-service ---
    ("dataset-service", "POST", "/api/v1/dataset/upload"): Row(
        call("POST", "/api/v1/dataset/upload", files=csv_file,
             params={"dataset_name": "up-{tenant_id}", "usage": "t", "template_id": "{template_id}"}),
        other_admin=422, why="creates in the caller's own tenant; the victim's template, named in a parameter, "
                             "reads as one that does not exist (422, as for an unknown id)"),
    ("dataset-service", "GET", "/api/v1/dataset/list"): Row(
        call("GET", "/api/v1/dataset/list"), other_admin=absent("{dataset_name}"), lacking_role=None,
        why=OWN_TENANT),
    ("dataset-service", "GET", "/api/v1/dataset/list_validated"): Row(
        call("GET", "/api/v1/dataset/list_validated"), other_admin=absent("{dataset_name}"), lacking_role=None,
        why=OWN_TENANT),
    ("dataset-service", "GET", "/api/v1/dataset/get_dataset_by_id"): Row(
        call("GET", "/api/v1/dataset/get_dataset_by_id", params={"dataset_id": "{dataset_id}"}), lacking_role=None),
    ("dataset-service", "GET", "/api/v1/dataset/view"): Row(
        call("GET", "/api/v1/dataset/view", params={"dataset_id": "{dataset_id}"}), lacking_role=None),
    ("dataset-service", "DELETE", "/api/v1/dataset/delete/{dataset_id}"): Row(
        call("DELETE", "/api/v1/dataset/delete/{dataset_id}")),
    ("dataset-service", "POST", "/api/v1/dataset/generate_statistics"): Row(
        call("POST", "/api/v1/dataset/generate_statistics", params={"dataset_id": "{dataset_id}"})),
    ("dataset-service", "GET", "/api/v1/dataset/statistics"): Row(
        call("GET", "/api/v1/dataset/statistics", params={"dataset_id": "{dataset_id}"}), lacking_role=None),
    ("dataset-service", "POST", "/api/v1/dataset/statistics/result"): Row(
        call("POST", "/api/v1/dataset/statistics/result", json=lambda v: {"job_id": v["job_id"]},
             base=SERVICE_URLS["dataset-service"]),
        other_admin=401, lacking=401, why=CALLBACK),
    ("dataset-service", "POST", "/api/v1/files/add"): Row(
        call("POST", "/api/v1/files/add", files=csv_file, params={"dataset_id": "{dataset_id}"})),
    ("dataset-service", "GET", "/api/v1/files/list"): Row(
        call("GET", "/api/v1/files/list", params={"dataset_id": "{dataset_id}"}), lacking_role=None),
    ("dataset-service", "GET", "/api/v1/files/get_file_by_id"): Row(
        call("GET", "/api/v1/files/get_file_by_id", params={"file_id": "{file_id}"}), lacking_role=None),
    ("dataset-service", "GET", "/api/v1/files/view"): Row(
        call("GET", "/api/v1/files/view", params={"file_id": "{file_id}"}), lacking_role=None),
    ("dataset-service", "GET", "/api/v1/files/download"): Row(
        call("GET", "/api/v1/files/download", params={"file_path": "{file_path}"}), lacking_role=None),
    ("dataset-service", "DELETE", "/api/v1/files/delete/{file_id}"): Row(
        call("DELETE", "/api/v1/files/delete/{file_id}")),
    # --- training-service (can_train_models, which the viewer role lacks) ---
    ("training-service", "POST", "/api/v1/train/get_details"): Row(
        call("POST", "/api/v1/train/get_details", json=lambda v: {
            "dataset_id": v["dataset_id"], "predictor_name": "p", "domain": "d", "problem_type": "Regression"})),
    ("training-service", "POST", "/api/v1/ray/terminate_ray_job"): Row(
        call("POST", "/api/v1/ray/terminate_ray_job", params={"ray_job_id": "{job_id}", "usage": "statistics"})),
    ("training-service", "POST", "/api/v1/train"): Row(
        call("POST", "/api/v1/train/", json=lambda v: {
            "dataset_id": v["train_dataset_id"], "predictor_name": "p", "problem_type": "Classification",
            "columns": CHURN_COLUMNS})),
    ("training-service", "GET", "/api/v1/train/list"): Row(
        call("GET", "/api/v1/train/list"), other_admin=absent("{predictor_name}"), lacking_role=None,
        why=OWN_TENANT),
    ("training-service", "GET", "/api/v1/train/refresh"): Row(
        call("GET", "/api/v1/train/refresh"), other_admin=absent("{predictor_name}"), lacking_role=None,
        why=OWN_TENANT),
    ("training-service", "DELETE", "/api/v1/train/delete/{id}"): Row(
        call("DELETE", "/api/v1/train/delete/{train_id}")),
    ("training-service", "POST", "/api/v1/train/update"): Row(
        call("POST", "/api/v1/train/update/", json=lambda v: {
            "train_id": v["train_id"], "preprocess_id": v["preprocess_id"]})),
    ("training-service", "POST", "/api/v1/train/result"): Row(
        call("POST", "/api/v1/train/result", json=lambda v: {"job_id": v["train_job_id"]},
             base=SERVICE_URLS["training-service"]),
        other_admin=401, lacking=401, why=CALLBACK),
    ("training-service", "POST", "/api/v1/train/shap-result"): Row(
        call("POST", "/api/v1/train/shap-result", json=lambda v: {"train_id": v["train_id"]},
             base=SERVICE_URLS["training-service"]),
        other_admin=401, lacking=401, why=CALLBACK),
    ("training-service", "GET", "/api/v1/train/download-schema/{train_id}"): Row(
        call("GET", "/api/v1/train/download-schema/{train_id}"), lacking_role=None),
    ("training-service", "GET", "/api/v1/train/model-summary"): Row(
        call("GET", "/api/v1/train/model-summary", params={"train_id": "{train_id}"}), lacking_role=None),
    ("training-service", "GET", "/api/v1/train/view-feature-importance"): Row(
        call("GET", "/api/v1/train/view-feature-importance", params={"train_id": "{train_id}"}),
        lacking_role=None),
    ("training-service", "GET", "/api/v1/train/generate-feature-importance"): Row(
        call("GET", "/api/v1/train/generate-feature-importance", params={"train_id": "{train_id}"})),
    ("training-service", "DELETE", "/api/v1/train/delete-feature-importance/{train_id}"): Row(
        call("DELETE", "/api/v1/train/delete-feature-importance/{train_id}")),
    # --- inference-service (can_run_inference, which the viewer role lacks; reads need can_view) ---
    ("inference-service", "POST", "/api/v1/inference"): Row(
        call("POST", "/api/v1/inference/", json=lambda v: {
            "train_id": v["train_id"], "preprocess_id": v["preprocess_id"], "features": {}})),
    ("inference-service", "GET", "/api/v1/inference/form-based-prediction"): Row(
        call("GET", "/api/v1/inference/form-based-prediction", params={"id": "{train_id}"}), lacking_role=None),
    ("inference-service", "GET", "/api/v1/inference/predictions"): Row(
        call("GET", "/api/v1/inference/predictions", params={"train_id": "{train_id}"}), lacking_role=None),
    ("inference-service", "POST", "/api/v1/inference/batchPrediction"): Row(
        call("POST", "/api/v1/inference/batchPrediction", json=lambda v: {
            "train_id": v["train_id"], "dataset_id": v["dataset_id"]})),
    ("inference-service", "POST", "/api/v1/inference/batch-prediction"): Row(
        call("POST", "/api/v1/inference/batch-prediction", json=lambda v: {
            "train_id": v["train_id"], "dataset_id": v["dataset_id"]})),
    ("inference-service", "GET", "/api/v1/inference/result"): Row(
        call("GET", "/api/v1/inference/result", params={"prediction_id": "{prediction_id}"}), lacking_role=None),
    ("inference-service", "POST", "/api/v1/inference/forecast"): Row(
        call("POST", "/api/v1/inference/forecast", json=lambda v: {
            "train_id": v["train_id"], "preprocess_id": v["preprocess_id"], "steps": 1, "frequency": "Day",
            "unique_id": "series"})),
    ("inference-service", "POST", "/api/v1/inference/batch-result"): Row(
        call("POST", "/api/v1/inference/batch-result", json={"status": "succeeded"},
             base=SERVICE_URLS["inference-service"]),
        other_admin=401, lacking=401, why=CALLBACK),
    ("inference-service", "POST", "/api/v1/inference/forecast-result"): Row(
        call("POST", "/api/v1/inference/forecast-result", json={"status": "succeeded"},
             base=SERVICE_URLS["inference-service"]),
        other_admin=401, lacking=401, why=CALLBACK),
    # --- datalake-service (can_view_datalake, which the viewer role holds: the lacking user has no role) ---
    ("datalake-service", "GET", "/api/v1/datalake/schemas"): Row(
        call("GET", "/api/v1/datalake/schemas"), other_admin=None, lacking_role=None,
        why="the platform's schema names: no tenant resource"),
    ("datalake-service", "GET", "/api/v1/datalake/schemas/tables"): Row(
        call("GET", "/api/v1/datalake/schemas/tables", params={"schema_name": "silver"}),
        other_admin=absent("{table}"), lacking_role=None, why=OWN_TENANT),
    ("datalake-service", "GET", "/api/v1/datalake/tables/columns"): Row(
        call("GET", "/api/v1/datalake/tables/columns", params={"schema_name": "silver", "table_name": "{table}"}),
        lacking_role=None),
    ("datalake-service", "GET", "/api/v1/datalake/table_metadata"): Row(
        call("GET", "/api/v1/datalake/table_metadata", params={"schema_name": "silver", "table_name": "{table}"}),
        lacking_role=None),
    ("datalake-service", "GET", "/api/v1/datalake/numeric_stats"): Row(
        call("GET", "/api/v1/datalake/numeric_stats",
             params={"schema_name": "silver", "table_name": "{table}", "column_name": "load"}), lacking_role=None),
    ("datalake-service", "GET", "/api/v1/datalake/distinct-count"): Row(
        call("GET", "/api/v1/datalake/distinct-count",
             params={"schema": "silver", "table": "{table}", "column": "meter"}), lacking_role=None),
    # --- the gateway's own ---
    ("gateway", "GET", "/api/v1/utils/health-check/"): Row(
        call("GET", "/api/v1/utils/health-check/"), other_admin=None, lacking=None, anonymous=200,
        why="public: the platform's readiness, no tenant data"),
    ("gateway", "GET", "/api/v1/events/stream"): Row(
        call("GET", "/api/v1/events/stream"), other_admin=None, lacking_role=None,
        why="streams the caller's own tenant's job events, whoever asks: no resource of another tenant is named "
            "(that no other tenant's event reaches it is test_event_stream.py's); an open stream never ends, so "
            "only the refusals are called here"),
}


def documented_operations() -> set[tuple[str, str, str]]:
    operations = set()
    for service in SERVICE_URLS:
        document = requests.get(own_openapi(service), params={"format": "json"}, timeout=15)
        assert document.status_code == 200, f"{service} serves no OpenAPI document"
        for path, item in document.json().get("paths", {}).items():
            operations |= {(service, method.upper(), path) for method in item
                           if method in ("get", "put", "post", "delete", "patch", "head", "options")}
    return operations


def test_every_documented_operation_has_a_row():
    documented = documented_operations()

    missing = sorted(documented - MATRIX.keys())
    stale = sorted(MATRIX.keys() - documented)
    assert not missing, f"operations without a row in test_isolation.MATRIX (add one, see docs/api.md): {missing}"
    assert not stale, f"rows for operations no service documents any more: {stale}"
    assert all(row.why for row in MATRIX.values() if row.other_admin != 404 or row.lacking != 403
               or row.anonymous != 401), "a row that departs from 404/403/401 must say why"


@pytest.fixture(scope="module")
def victim(new_tenant):
    """A tenant with one of everything: users, a role, a template, a dataset with its file, table and statistics, and
    a trained model with its feature importance and a logged prediction."""
    tenant = new_tenant("victim")
    admin = bearer(tenant["admin"]["token"])
    target = new_user(tenant["admin"]["token"], tenant["id"], None, prefix="target")
    role = requests.post(f"{GATEWAY}/api/v1/rbac/roles", headers=admin, timeout=15,
                         json={"name": f"analyst_{uuid.uuid4().hex[:8]}", "tenant_id": tenant["id"]})
    assert role.status_code == 201, role.text
    permissions = requests.get(f"{GATEWAY}/api/v1/rbac/permissions", headers=admin, timeout=15)
    assert permissions.status_code == 200, permissions.text
    template_name = f"victim-template-{uuid.uuid4().hex[:8]}"
    template = requests.post(f"{GATEWAY}/api/v1/template", headers=admin, timeout=15, json={
        "template_name": template_name, "template_schema": [{"column_name": "a", "data_type": "String"}]})
    assert template.status_code == 201, template.text
    table = f"victim_{uuid.uuid4().hex[:8]}"
    uploaded = requests.post(f"{GATEWAY}/api/v1/dataset/upload", headers=admin, timeout=60, files=csv_file(),
                             params={"dataset_name": table, "usage": "t", "iceberg_table_name": table})
    assert uploaded.status_code == 200, uploaded.text
    dataset_id, file_id = uploaded.json()["dataset_id"], uploaded.json()["files"][0]["id"]
    file = requests.get(f"{GATEWAY}/api/v1/files/get_file_by_id", headers=admin, timeout=15,
                        params={"file_id": file_id})
    assert file.status_code == 200, file.text
    job = requests.post(f"{GATEWAY}/api/v1/dataset/generate_statistics", headers=admin, timeout=60,
                        params={"dataset_id": dataset_id})
    assert job.status_code == 200, job.text
    train_dataset_id = upload(tenant["admin"]["token"], churn_csv(rows=100))
    trained = submit(tenant["admin"]["token"], train_dataset_id, algorithm="LogisticRegression", shap_enabled=True)
    assert trained.status_code == 200, trained.text
    run = wait_for_run(tenant["admin"]["token"], trained.json()["id"])
    assert run["train_status"] == "completed", run
    wait_for_importance(tenant["admin"]["token"], run["id"])
    prediction_id = logged_prediction(tenant["admin"]["token"], run)
    return {
        "train_dataset_id": train_dataset_id, "train_id": run["id"], "predictor_name": run["predictor_name"],
        "preprocess_id": run["preprocess_id"], "train_job_id": run["ray_job_id"],
        "tenant_id": tenant["id"], "admin_username": tenant["admin"]["username"], "admin": admin,
        "viewer": bearer(new_user(tenant["admin"]["token"], tenant["id"], "viewer", prefix="viewer")["token"]),
        "nobody": bearer(new_user(tenant["admin"]["token"], tenant["id"], None, prefix="nobody")["token"]),
        "target_id": target["id"], "target_username": target["username"], "role_id": role.json()["id"],
        "permission_id": next(p["id"] for p in permissions.json() if p["name"] == "can_view"),
        "template_id": template.json()["id"], "template_name": template_name, "dataset_id": dataset_id,
        "dataset_name": table, "table": table, "file_id": file_id, "file_path": file.json()["csv_file_path"],
        "job_id": job.json()["job_id"], "prediction_id": prediction_id,
    }


def logged_prediction(token: str, run: dict, timeout_s: float = 60) -> int:
    """The id of a real-time prediction with the model, once inference knows the model and has logged the call."""
    headers, deadline = bearer(token), time.time() + timeout_s
    while True:
        answer = requests.post(f"{GATEWAY}/api/v1/inference/", headers=headers, timeout=30, json={
            "train_id": run["id"], "preprocess_id": run["preprocess_id"],
            "features": {"tenure": 7, "plan": "max", "noise": 0.125}})
        if answer.status_code == 200:
            break
        assert answer.status_code == 404 and time.time() < deadline, answer.text
        time.sleep(0.5)
    while True:
        log = requests.get(f"{GATEWAY}/api/v1/inference/predictions", headers=headers, timeout=30,
                           params={"train_id": run["id"]})
        assert log.status_code == 200, log.text
        if log.json()["data"]:
            return log.json()["data"][0]["prediction_id"]
        assert time.time() < deadline, "the real-time call was not logged"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def intruder(new_tenant):
    return bearer(new_tenant("intruder")["admin"]["token"])


# (operation, column) -> the branch whose fix makes that cell pass: strict, so the mark must go when it lands.
XFAIL: dict[tuple[tuple[str, str, str], str], str] = {}


def rows(column: str):
    return [pytest.param(key, id=" ".join(key), marks=[pytest.mark.xfail(strict=True, reason=XFAIL[key, column])]
                         if (key, column) in XFAIL else [])
            for key, row in MATRIX.items() if getattr(row, column) is not None]


@pytest.mark.parametrize("key", rows("other_admin"))
def test_another_tenants_administrator_cannot_reach_the_resource(key, victim, intruder):
    row = MATRIX[key]

    response = row.send(victim, intruder)

    if isinstance(row.other_admin, str):
        assert response.status_code == 200, response.text
        assert row.other_admin.removeprefix("absent:").format(**victim) not in response.text
    else:
        assert response.status_code == row.other_admin, response.text
        assert response.json()["status_code"] == row.other_admin
        if key[1] == "GET" and row.other_admin == 404:
            # The same read by the victim's administrator succeeds: the 404 is isolation, not a wrong request.
            assert row.send(victim, victim["admin"]).status_code == 200


@pytest.mark.parametrize("key", rows("lacking"))
def test_a_user_of_the_tenant_lacking_the_permission_is_refused(key, victim):
    row = MATRIX[key]

    response = row.send(victim, victim["viewer"] if row.lacking_role == "viewer" else victim["nobody"])

    assert response.status_code == row.lacking, response.text
    assert response.json()["status_code"] == row.lacking


@pytest.mark.parametrize("key", rows("anonymous"))
def test_an_anonymous_caller_is_refused(key, victim):
    row = MATRIX[key]

    response = row.send(victim, {})

    assert response.status_code == row.anonymous, response.text
    if row.anonymous >= 400:
        assert response.json()["status_code"] == row.anonymous

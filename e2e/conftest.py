"""End-to-end tests: the packaged services started by ./dmlp test, called through the gateway."""

import os
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

GATEWAY = os.environ.get("DMLP_GATEWAY_URL", "http://127.0.0.1:8000")
CLI = os.environ.get("DMLP_CLI", str(Path(__file__).resolve().parents[1] / "dmlp"))
LOGS = Path(os.environ.get("DMLP_LOGS", Path(__file__).resolve().parents[1] / ".dmlp" / "logs"))
HEALTH = "/api/v1/utils/health-check/"


def pytest_collection_modifyitems(items: list) -> None:
    """Tests marked ``after_everything`` run after all others, whatever order the files were given in: they check
    what the rest of the run made the platform do (e.g. every event it published)."""
    items.sort(key=lambda item: item.get_closest_marker("after_everything") is not None)


@pytest.fixture(scope="session")
def gateway() -> str:
    return GATEWAY


def infra(action: str, component: str) -> None:
    """Stops or starts one infrastructure component of the shared local stack."""
    subprocess.run([CLI, "infra", action, component], check=True, stdout=subprocess.DEVNULL)


def wait_for_status(url: str, status: int, timeout_s: float = 60) -> requests.Response:
    deadline = time.time() + timeout_s
    response = None
    while time.time() < deadline:
        response = requests.get(url, timeout=15)
        if response.status_code == status:
            return response
        time.sleep(1)
    raise AssertionError(f"{url} still answers {response.status_code if response else None}: "
                         f"{response.text if response else ''}")


# --- tenants and their people, for the fuzzing and the isolation matrix ---

ADMIN_PASSWORD = "admin123"  # the local default of DMLP_ADMIN_PASSWORD
# The services' own ports: ./dmlp test exports them (start_services); otherwise the gateway's offset from 8000.
_OFFSET = (urlsplit(GATEWAY).port or 80) - 8000
SERVICE_URLS = {f"{name}-service": "http://127.0.0.1:" + os.environ.get(f"DMLP_{name.upper()}_PORT", str(port + _OFFSET))
                for name, port in {"auth": 8101, "catalog": 8102, "dataset": 8103, "training": 8104,
                                   "inference": 8105, "datalake": 8106}.items()}
SERVICE_URLS["gateway"] = GATEWAY


def own_openapi(service: str) -> str:
    """The URL of a service's own OpenAPI document: the gateway's /q/openapi is the whole platform's (merged), its
    own operations are at /q/openapi/gateway."""
    return SERVICE_URLS[service] + ("/q/openapi/gateway" if service == "gateway" else "/q/openapi")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def log_in(username: str, password: str) -> dict:
    response = requests.post(f"{GATEWAY}/api/v1/login/access-token", timeout=15,
                             data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def new_user(admin_token: str, tenant_id: str, role: str | None, prefix: str = "user") -> dict:
    """A new user of the tenant holding one of its roles (or none), logged in: id, username, password, token."""
    username = f"{prefix}-{uuid.uuid4().hex[:10]}"
    password = f"Pw-{uuid.uuid4().hex}"
    created = requests.post(f"{GATEWAY}/api/v1/users/create-user", headers=bearer(admin_token), timeout=15, json={
        "tenant_id": tenant_id, "first_name": prefix, "last_name": "e2e", "email": f"{username}@example.com",
        "username": username, "password": password})
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    if role is not None:
        roles = requests.get(f"{GATEWAY}/api/v1/rbac/roles", headers=bearer(admin_token), timeout=15,
                             params={"tenant_id": tenant_id})
        assert roles.status_code == 200, roles.text
        role_id = next(r["id"] for r in roles.json() if r["name"] == role)
        assigned = requests.post(f"{GATEWAY}/api/v1/users/{user_id}/roles", headers=bearer(admin_token),
                                 timeout=15, json={"role_id": role_id})
        assert assigned.status_code == 200, assigned.text
    return {"id": user_id, "username": username, "password": password, "tenant_id": tenant_id,
            "token": log_in(username, password)["access_token"]}


@pytest.fixture(scope="session")
def platform_admin_token() -> str:
    return log_in("admin", ADMIN_PASSWORD)["access_token"]


@pytest.fixture(scope="session")
def new_tenant(platform_admin_token):
    """Makes a fresh tenant with an administrator (its seeded 'admin' role): {"id", "name", "admin": user}."""

    def make(prefix: str) -> dict:
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        created = requests.post(f"{GATEWAY}/api/v1/tenants", headers=bearer(platform_admin_token), timeout=15,
                                json={"name": name})
        assert created.status_code == 201, created.text
        tenant_id = created.json()["id"]
        return {"id": tenant_id, "name": name,
                "admin": new_user(platform_admin_token, tenant_id, "admin", prefix=f"{prefix}-admin")}

    return make


# --- training: small generated datasets and runs followed to their end ---

def churn_csv(rows: int = 300, seed: int = 3) -> str:
    """A churn table: an Id, two informative columns (tenure, plan), a noise column and a Boolean target."""
    import random
    generator = random.Random(seed)
    lines = ["customer,tenure,plan,noise,churn"]
    for i in range(rows):
        tenure, plan = generator.randint(1, 60), generator.choice(["basic", "pro", "max"])
        churn = (tenure < 20 and plan == "basic") or (tenure < 8) or generator.random() < 0.05
        lines.append(f"c{i},{tenure},{plan},{generator.random():.4f},{str(churn).lower()}")
    return "\n".join(lines) + "\n"


CHURN_COLUMNS = [{"column_name": "customer", "attribute_name": "Id"},
                 {"column_name": "tenure", "data_type": "Integer", "attribute_name": "Feature"},
                 {"column_name": "plan", "data_type": "String", "attribute_name": "Feature"},
                 {"column_name": "noise", "attribute_name": "Feature"},
                 {"column_name": "churn", "data_type": "Boolean", "attribute_name": "Target"}]


def upload(token: str, csv: str, usage: str = "t", name: str | None = None) -> int:
    response = requests.post(f"{GATEWAY}/api/v1/dataset/upload", headers=bearer(token), timeout=120,
                             params={"dataset_name": name or f"train-{uuid.uuid4().hex[:8]}", "usage": usage},
                             files={"files": ("data.csv", csv, "text/csv")})
    assert response.status_code == 200, response.text
    return response.json()["dataset_id"]


def submit(token: str, dataset: int, **overrides) -> requests.Response:
    body = {"dataset_id": dataset, "predictor_name": f"churn-{uuid.uuid4().hex[:8]}", "domain": "Churn",
            "problem_type": "Classification", "columns": CHURN_COLUMNS, "is_incremental": False,
            "algorithm": "XGBoost", "shap_enabled": False} | overrides
    return requests.post(f"{GATEWAY}/api/v1/train/", headers=bearer(token), timeout=120, json=body)


def run_of(token: str, train_id: int, refresh: bool = True) -> dict:
    listed = requests.get(f"{GATEWAY}/api/v1/train/{'refresh' if refresh else 'list'}", headers=bearer(token),
                          timeout=60, params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    return next(item for item in listed.json()["data"] if item["id"] == train_id)


def wait_for_run(token: str, train_id: int, states=("completed", "failed", "cancelled"),
                 timeout_s: float = 300) -> dict:
    """The run once its state is one of ``states`` (its list item, refreshed from Ray)."""
    deadline = time.time() + timeout_s
    while True:
        run = run_of(token, train_id)
        if run["train_status"] in states:
            return run
        assert time.time() < deadline, f"run {train_id} still {run['train_status']} after {timeout_s}s"
        time.sleep(1)


def wait_for_importance(token: str, train_id: int, timeout_s: float = 300) -> dict:
    """The model's feature importance once its SHAP job has ended (view-feature-importance's answer)."""
    deadline = time.time() + timeout_s
    while True:
        view = requests.get(f"{GATEWAY}/api/v1/train/view-feature-importance", headers=bearer(token), timeout=30,
                            params={"train_id": train_id})
        if view.status_code == 200 and view.json()["status"] in ("completed", "failed", "cancelled"):
            return view.json()
        assert view.status_code in (200, 404), view.text  # 404 until the SHAP job is recorded
        assert time.time() < deadline, f"the SHAP job of run {train_id} has not ended after {timeout_s}s: {view.text}"
        time.sleep(1)

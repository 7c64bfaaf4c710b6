"""End-to-end tests: the packaged services started by ./dmlp test, called through the gateway."""

import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

GATEWAY = os.environ.get("DMLP_GATEWAY_URL", "http://127.0.0.1:8000")
CLI = os.environ.get("DMLP_CLI", str(Path(__file__).resolve().parents[1] / "dmlp"))
LOGS = Path(os.environ.get("DMLP_LOGS", Path(__file__).resolve().parents[1] / ".dmlp" / "logs"))
HEALTH = "/api/v1/utils/health-check/"


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

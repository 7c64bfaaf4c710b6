"""The gateway's /q/openapi: one document for the whole API, as a client of the gateway sees it."""

import re

import pytest
import requests
import yaml

from conftest import GATEWAY, SERVICE_URLS, own_openapi

METHODS = ("get", "put", "post", "delete", "patch")
# Ray posts these straight to the owning service; the gateway answers them 404 (GatewayConfig.internalPaths).
INTERNAL = ("/api/v1/dataset/statistics/result", "/api/v1/train/result", "/api/v1/train/shap-result",
            "/api/v1/inference/batch-result", "/api/v1/inference/forecast-result")


@pytest.fixture(scope="module")
def merged() -> dict:
    response = requests.get(f"{GATEWAY}/q/openapi", params={"format": "json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def operations(document: dict) -> set[tuple[str, str]]:
    return {(method, path) for path, item in document.get("paths", {}).items() for method in item if method in METHODS}


def test_every_routed_operation_of_every_service_is_there_once_and_no_callback(merged):
    expected = set()
    for service in SERVICE_URLS:
        own = requests.get(own_openapi(service), params={"format": "json"}, timeout=15).json()
        expected |= {op for op in operations(own) if not op[1].startswith(INTERNAL)}
        for method, path in operations(own) - {op for op in operations(own) if op[1].startswith(INTERNAL)}:
            assert merged["paths"][path][method]["x-dmlp-service"] == service, (method, path)

    assert operations(merged) == expected
    assert not [path for path in merged["paths"] if path.startswith(INTERNAL)]
    assert merged["info"]["title"] == "Data ML Platform API"


def test_every_operation_says_how_it_is_secured_and_how_it_fails(merged):
    schemes = merged["components"]["securitySchemes"]
    for method, path in operations(merged):
        operation = merged["paths"][path][method]
        security = operation.get("security", merged.get("security"))
        assert security is not None, (method, path)
        assert all(name in schemes for requirement in security for name in requirement), (method, path)
        assert any(status.startswith("4") for status in operation["responses"]), (method, path)


def test_every_reference_resolves(merged):
    text = yaml.safe_dump(merged)
    for section, name in set(re.findall(r"#/components/(\w+)/([\w.\-]+)", text)):
        assert name in merged["components"][section], f"{section}/{name}"


def test_yaml_by_default_and_swagger_ui_shows_it(merged):
    response = requests.get(f"{GATEWAY}/q/openapi", timeout=30)
    assert response.headers["Content-Type"].startswith("application/yaml")
    assert yaml.safe_load(response.text)["paths"].keys() == merged["paths"].keys()
    ui = requests.get(f"{GATEWAY}/q/swagger-ui/", timeout=15)
    assert ui.status_code == 200 and "swagger-ui" in ui.text
    assert "url: '/q/openapi'" in ui.text  # the merged document, not the gateway's own

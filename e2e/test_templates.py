"""The API guide's Template samples through the gateway, with a token from the real auth-service."""

import uuid

import requests

from test_identity import ADMIN_PASSWORD, bearer, login


def test_template_lifecycle_with_a_real_token(gateway):
    token = login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"]
    headers = {**bearer(token), "Content-Type": "application/json"}
    name = f"Telecom Customer Usage {uuid.uuid4().hex[:8]}"

    created = requests.post(f"{gateway}/api/v1/template/", headers=headers, timeout=15, json={
        "template_name": name,
        "template_schema": [
            {"column_name": "CustomerID", "data_type": "String", "default_value": "CUST-0000"},
            {"column_name": "DataUsageGB", "data_type": "Float", "default_value": "0.0"}]})
    assert created.status_code == 201, created.text
    assert created.json()["status"] == 201 and created.json()["message"] == "Template created successfully."
    template_id = created.json()["id"]

    listed = requests.get(f"{gateway}/api/v1/template/list", headers=bearer(token), timeout=15).json()
    assert name in [t["template_name"] for t in listed["data"]]
    assert {"template_name", "id", "tenant_id", "no_of_columns", "created_by", "created_at", "modified_at",
            "modified_by"} <= listed["data"][0].keys()

    updated = requests.put(f"{gateway}/api/v1/template/update/{template_id}", headers=headers, timeout=15, json={
        "template_name": name + " V2",
        "template_schema": [{"column_name": "CustomerID", "data_type": "String"},
                            {"column_name": "DataUsageGB", "data_type": "Float"},
                            {"column_name": "PlanType", "data_type": "String"}]})
    assert updated.status_code == 200, updated.text
    assert updated.json()["template_schema"][0] == {"column_name": "CustomerID", "data_type": "String",
                                                    "default_value": None}

    one = requests.get(f"{gateway}/api/v1/template/{template_id}", headers=bearer(token), timeout=15).json()
    assert one["no_of_columns"] == 3 and one["created_by"] == "admin"

    deleted = requests.delete(f"{gateway}/api/v1/template/{template_id}", headers=bearer(token), timeout=15)
    assert deleted.json() == {"status_code": 200, "message": "Template deleted successfully."}


def test_catalog_refuses_anonymous_calls(gateway):
    response = requests.get(f"{gateway}/api/v1/template/list", timeout=15)

    assert response.status_code == 401
    assert response.json()["status_code"] == 401

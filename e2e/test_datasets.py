"""Upload through the gateway against a real template, and the template's guard that follows Kafka events."""

import time
import uuid

import requests

from test_identity import ADMIN_PASSWORD, bearer, login

CSV = "CustomerID,DataUsageGB\nC-1,1.5\nC-2,oops\nC-3,\n"


def wait_for(check, timeout_s=60):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if check():
            return True
        time.sleep(1)
    return False


def test_upload_validate_and_the_template_in_use_guard(gateway):
    token = login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"]
    headers = bearer(token)
    template = requests.post(f"{gateway}/api/v1/template/", headers={**headers, "Content-Type": "application/json"},
                             timeout=15, json={"template_name": f"Usage {uuid.uuid4().hex[:8]}", "template_schema": [
                                 {"column_name": "CustomerID", "data_type": "String", "default_value": "CUST-0000"},
                                 {"column_name": "DataUsageGB", "data_type": "Float", "default_value": "0.0"}]})
    template_id = template.json()["id"]
    name = f"forecast-{uuid.uuid4().hex[:8]}"

    uploaded = requests.post(f"{gateway}/api/v1/dataset/upload", headers=headers, timeout=60,
                             params={"dataset_name": name, "template_id": template_id, "usage": "p"},
                             files={"files": ("network_congestion_dataset.csv", CSV, "text/csv")})
    assert uploaded.status_code == 200, uploaded.text
    body = uploaded.json()
    assert body["dataset_name"] == name and body["data_source"] == "csv"
    file = body["files"][0]
    assert (file["total_fields"], file["total_records"]) == (2, 3)
    assert file["error_report"]["errors"][0] == {"row": 3, "column": "DataUsageGB", "value": "oops",
                                                 "reason": "not a valid Float"}

    listed = requests.get(f"{gateway}/api/v1/dataset/list", headers=headers, timeout=15).json()["data"]
    mine = next(d for d in listed if d["id"] == body["dataset_id"])
    assert mine["dataset_usability"] == "67%" and mine["dataset_usage"] == "Prediction"

    # catalog-service learns from dataset.created on Kafka that the template is in use.
    assert wait_for(lambda: requests.get(f"{gateway}/api/v1/template/{template_id}", headers=headers,
                                         timeout=15).json()["used_by_datasets"] == 1)
    refused = requests.delete(f"{gateway}/api/v1/template/{template_id}", headers=headers, timeout=15)
    assert refused.status_code == 409 and "used by 1 dataset" in refused.json()["message"]

    deleted = requests.delete(f"{gateway}/api/v1/dataset/delete/{body['dataset_id']}", headers=headers, timeout=15)
    assert deleted.json() == {"status_code": 200, "message": "Dataset deleted successfully"}
    assert wait_for(lambda: requests.get(f"{gateway}/api/v1/template/{template_id}", headers=headers,
                                         timeout=15).json()["used_by_datasets"] == 0)
    assert requests.delete(f"{gateway}/api/v1/template/{template_id}", headers=headers, timeout=15).status_code == 200

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
    assert mine["dataset_usability"] == "66%" and mine["dataset_usage"] == "Prediction"  # 2 of 3, rounded down

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


def test_an_inferred_schema_its_silver_rows_statistics_on_ray_and_a_template_made_from_it(gateway):
    headers = bearer(login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"])
    csv = "station;load;peak;day\nA;1.5;true;2025-01-01\nB;2;false;2025-01-02\nA;4.5;true;2025-01-03\n"
    uploaded = requests.post(f"{gateway}/api/v1/dataset/upload", headers=headers, timeout=60,
                             params={"dataset_name": f"inferred-{uuid.uuid4().hex[:8]}", "usage": "t"},
                             files={"files": ("stations.csv", csv, "text/csv")})
    assert uploaded.status_code == 200, uploaded.text
    dataset_id = uploaded.json()["dataset_id"]
    file_id = uploaded.json()["files"][0]["id"]

    detail = requests.get(f"{gateway}/api/v1/dataset/get_dataset_by_id", headers=headers, timeout=15,
                          params={"dataset_id": dataset_id}).json()
    assert detail["schema_inferred"] is True
    assert [(c["column_name"], c["data_type"]) for c in detail["dataset_schema"]] == [
        ("station", "String"), ("load", "Float"), ("peak", "Boolean"), ("day", "Date")]
    assert detail["validated_path"].startswith("s3://lakehouse-test/silver/")

    preview = requests.get(f"{gateway}/api/v1/dataset/view", headers=headers, timeout=15,
                           params={"dataset_id": dataset_id}).json()["preview"]
    assert preview[0] == {"station": "A", "load": 1.5, "peak": True, "day": "2025-01-01"}
    file = requests.get(f"{gateway}/api/v1/files/get_file_by_id/", headers=headers, timeout=15,
                        params={"file_id": file_id}).json()
    assert file["hdf_file_path"].endswith(".parquet") and file["valid_records"] == 3

    started = requests.post(f"{gateway}/api/v1/dataset/generate_statistics", headers=headers, timeout=60,
                            params={"dataset_id": dataset_id})
    assert started.status_code == 200 and started.json()["status"] == "success", started.text
    result = {}

    def finished():
        result.update(requests.get(f"{gateway}/api/v1/dataset/statistics", headers=headers, timeout=15,
                                   params={"dataset_id": dataset_id}).json())
        return result["status"] in ("completed", "failed", "cancelled")

    assert wait_for(finished, timeout_s=120), result
    assert result["status"] == "completed", result
    load = next(c for c in result["statistics"]["columns"] if c["column_name"] == "load")
    assert (load["count"], load["min"], load["max"]) == (3, 1.5, 4.5) and abs(load["mean"] - 8 / 3) < 1e-9

    made = requests.post(f"{gateway}/api/v1/template/from-dataset", headers=headers, timeout=15,
                         params={"dataset_id": dataset_id, "template_name": f"Stations {uuid.uuid4().hex[:8]}"})
    assert made.status_code == 201, made.text
    template = requests.get(f"{gateway}/api/v1/template/{made.json()['id']}", headers=headers, timeout=15).json()
    assert [c["data_type"] for c in template["template_schema"]] == ["String", "Float", "Boolean", "Date"]

    assert requests.post(f"{gateway}/api/v1/template/from-dataset", headers=headers, timeout=15,
                         params={"dataset_id": 987654321}).status_code == 404
    requests.delete(f"{gateway}/api/v1/dataset/delete/{dataset_id}", headers=headers, timeout=15)
    requests.delete(f"{gateway}/api/v1/template/{made.json()['id']}", headers=headers, timeout=15)

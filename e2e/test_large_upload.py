"""Large input through the gateway into a dataset-service whose heap is capped at 256 MB (./dmlp's -Xmx)."""

import os
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ingest import COLUMNS, MultipartFile, generate_csv  # noqa: E402  (one generator for bench and test)

from test_identity import ADMIN_PASSWORD, bearer, login  # noqa: E402

RUN = Path(os.environ.get("DMLP_RUN", Path(__file__).resolve().parents[1] / ".dmlp" / "run"))


def service_heap_flag() -> str:
    pid = (RUN / "test-dataset-service.pid").read_text().strip()
    args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return next(a for a in args if a.startswith("-Xmx"))


def test_a_200_mb_file_streams_through_a_256_mb_heap(gateway, tmp_path):
    assert service_heap_flag() == "-Xmx256m"
    csv = tmp_path / "large.csv"
    rows = generate_csv(csv, 200)
    headers = bearer(login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"])
    template = requests.post(f"{gateway}/api/v1/template/", headers=headers, timeout=15, json={
        "template_name": f"Large {uuid.uuid4().hex[:8]}",
        "template_schema": [{"column_name": n, "data_type": t, "default_value": None} for n, t in COLUMNS]})
    assert template.status_code == 201, template.text

    body = MultipartFile(csv)
    uploaded = requests.post(f"{gateway}/api/v1/dataset/upload", data=body, timeout=(10, 900),
                             headers={**headers, "Content-Type": body.content_type},
                             params={"dataset_name": f"large-{uuid.uuid4().hex[:8]}", "usage": "t",
                                     "template_id": template.json()["id"]})

    assert uploaded.status_code == 200, uploaded.text[:2000]
    file = uploaded.json()["files"][0]
    assert (file["total_records"], file["total_fields"], file["error_report"]) == (rows, 20, None)
    detail = requests.get(f"{gateway}/api/v1/files/get_file_by_id/", headers=headers, timeout=15,
                          params={"file_id": file["id"]}).json()
    assert detail["valid_records"] == rows and detail["hdf_file_path"].endswith(".parquet")
    requests.delete(f"{gateway}/api/v1/dataset/delete/{uploaded.json()['dataset_id']}", headers=headers, timeout=60)


def test_a_ten_megabyte_line_is_reported_truncated(gateway):
    headers = bearer(login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"])
    template = requests.post(f"{gateway}/api/v1/template/", headers=headers, timeout=15, json={
        "template_name": f"Wide {uuid.uuid4().hex[:8]}", "template_schema": [
            {"column_name": "id", "data_type": "String", "default_value": None},
            {"column_name": "amount", "data_type": "Float", "default_value": None}]}).json()
    csv = "id,amount\nC-1," + "x" * (10 * 1024 * 1024) + "\nC-2,1.5\n"

    uploaded = requests.post(f"{gateway}/api/v1/dataset/upload", headers=headers, timeout=120,
                             params={"dataset_name": f"wide-{uuid.uuid4().hex[:8]}", "usage": "t",
                                     "template_id": template["id"]},
                             files={"files": ("wide.csv", csv, "text/csv")})

    assert uploaded.status_code == 200, uploaded.text[:2000]
    file = uploaded.json()["files"][0]
    assert file["total_records"] == 2 and file["is_valid"] is True
    error = file["error_report"]["errors"][0]
    assert (error["row"], error["column"], len(error["value"])) == (2, "amount", 101)
    requests.delete(f"{gateway}/api/v1/dataset/delete/{uploaded.json()['dataset_id']}", headers=headers, timeout=60)

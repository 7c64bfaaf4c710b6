"""The datalake browser over a silver table written by dataset ingest, through the gateway."""

import statistics
import uuid

import requests

from test_identity import ADMIN_PASSWORD, bearer, login


def test_a_silver_table_from_an_upload_is_browsable_with_exact_statistics(gateway):
    headers = bearer(login(gateway, "admin", ADMIN_PASSWORD).json()["access_token"])
    table = f"meters_{uuid.uuid4().hex[:8]}"
    loads = [round(0.25 * i, 2) for i in range(1, 41)]
    csv = "meter,load,active\n" + "".join(f"m{i % 7},{x},{'true' if i % 2 else 'false'}\n"
                                          for i, x in enumerate(loads, start=1))
    uploaded = requests.post(f"{gateway}/api/v1/dataset/upload", headers=headers, timeout=60,
                             params={"dataset_name": table, "usage": "t", "iceberg_table_name": table},
                             files={"files": ("meters.csv", csv, "text/csv")})
    assert uploaded.status_code == 200, uploaded.text
    datalake = f"{gateway}/api/v1/datalake"

    assert requests.get(f"{datalake}/schemas", headers=headers, timeout=15).json()[:4] == [
        "bronze", "silver", "gold", "default"]
    # The bootstrap admin is a platform administrator: other tenants' tables show as <tenant>.<table>.
    assert table in requests.get(f"{datalake}/schemas/tables", headers=headers, timeout=15,
                                 params={"schema_name": "silver"}).json()
    columns = requests.get(f"{datalake}/tables/columns", headers=headers, timeout=15,
                           params={"schema_name": "silver", "table_name": table}).json()
    assert columns == [{"column_name": "meter", "data_type": "varchar"},
                       {"column_name": "load", "data_type": "double"},
                       {"column_name": "active", "data_type": "boolean"},
                       {"column_name": "_file_id", "data_type": "bigint"}]
    metadata = requests.get(f"{datalake}/table_metadata", headers=headers, timeout=15,
                            params={"schema_name": "silver", "table_name": table}).json()
    assert (metadata["format"], metadata["record_count"], metadata["owner"]) == ("iceberg", 40, "admin")

    stats = requests.get(f"{datalake}/numeric_stats", headers=headers, timeout=30,
                         params={"schema_name": "silver", "table_name": table, "column_name": "load"}).json()
    assert (stats["count"], stats["min"], stats["max"], stats["approximate"]) == (40, 0.25, 10.0, False)
    assert abs(stats["mean"] - statistics.mean(loads)) < 1e-9
    assert abs(stats["std_dev"] - statistics.stdev(loads)) < 1e-9
    assert stats["median"] == statistics.median(loads)
    distinct = requests.get(f"{datalake}/distinct-count", headers=headers, timeout=30,
                            params={"schema": "silver", "table": table, "column": "meter"}).json()
    assert distinct == {"column": "meter", "distinct_count": 7, "approximate": False}
    assert requests.get(f"{datalake}/numeric_stats", headers=headers, timeout=15, params={
        "schema_name": "silver", "table_name": table, "column_name": "meter"}).status_code == 422

    requests.delete(f"{gateway}/api/v1/dataset/delete/{uploaded.json()['dataset_id']}", headers=headers, timeout=30)
    assert requests.get(f"{datalake}/tables/columns", headers=headers, timeout=15,
                        params={"schema_name": "silver", "table_name": table}).status_code == 404

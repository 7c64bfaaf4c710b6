"""Batch predictions and forecasts through the gateway: the refusals before any compute, a forecast answered from
the one the model stored at training time, and (once the Ray jobs dmlp_jobs.predict and dmlp_jobs.forecast_ahead
are in ray-jobs/) a batch end to end and a forecast beyond the stored horizon.

The tests that need those jobs are marked ``needs_jobs``: they are skipped while ray-jobs/dmlp_jobs/predict.py
(or forecast_ahead.py) is missing and run by themselves once it lands."""

import csv
import datetime
import io
import math
import statistics
import time
from pathlib import Path

import pytest
import requests

from conftest import GATEWAY, bearer, churn_csv, new_user, submit, upload, wait_for_run

INFERENCE = f"{GATEWAY}/api/v1/inference"
RAY_JOBS = Path(__file__).resolve().parents[1] / "ray-jobs" / "dmlp_jobs"


def needs_jobs(module: str):
    return pytest.mark.skipif(not (RAY_JOBS / f"{module}.py").exists(),
                              reason=f"dmlp_jobs.{module} (the Ray job) has not landed yet")


@pytest.fixture(scope="module")
def tenant(new_tenant):
    return new_tenant("batch")


@pytest.fixture(scope="module")
def token(tenant):
    return tenant["admin"]["token"]


@pytest.fixture(scope="module")
def model(token):
    """A completed churn classifier (features tenure, plan, noise; target churn)."""
    submitted = submit(token, upload(token, churn_csv(rows=200)), algorithm="LogisticRegression")
    assert submitted.status_code == 200, submitted.text
    run = wait_for_run(token, submitted.json()["id"])
    assert run["train_status"] == "completed", run
    known(token, run["id"])
    return run


def series_csv(days: int = 60) -> str:
    """Two daily series (store, day, sales) with a weekly season and a trend."""
    lines = ["store,day,sales"]
    start = datetime.date(2025, 1, 1)
    for number, store in enumerate(["north", "south"]):
        for t in range(days):
            sales = 100 + 20 * number + 0.5 * t + 8 * math.sin(2 * math.pi * t / 7 + number)
            lines.append(f"{store},{start + datetime.timedelta(days=t)},{sales:.3f}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def forecaster(token):
    """A completed daily forecast of two series, north and south."""
    columns = [{"column_name": "store", "data_type": "String", "attribute_name": "Id"},
               {"column_name": "day", "data_type": "Date", "attribute_name": "Timestamp"},
               {"column_name": "sales", "data_type": "Float", "attribute_name": "Target"}]
    submitted = submit(token, upload(token, series_csv()), problem_type="Forecast", columns=columns,
                       algorithm="SeasonalNaive", domain="Sales")
    assert submitted.status_code == 200, submitted.text
    run = wait_for_run(token, submitted.json()["id"])
    assert run["train_status"] == "completed", run
    known(token, run["id"])
    summary = requests.get(f"{GATEWAY}/api/v1/train/model-summary", headers=bearer(token), timeout=30,
                           params={"train_id": run["id"]})
    assert summary.status_code == 200, summary.text
    return run | {"horizon": summary.json()["forecast"]["horizon"]}


def known(token: str, train_id: int, timeout_s: float = 30) -> None:
    """Waits until inference-service has the model (it learns of it from the training events)."""
    deadline = time.time() + timeout_s
    while True:
        form = requests.get(f"{INFERENCE}/form-based-prediction", headers=bearer(token), timeout=30,
                            params={"id": train_id})
        if form.status_code == 200:
            return
        assert form.status_code == 404 and time.time() < deadline, form.text
        time.sleep(0.5)


def prediction_csv(rows: int = 40, with_plan: bool = True) -> str:
    """Rows to predict: the churn columns (with the target, so the job can score them), or without plan."""
    lines = churn_csv(rows=rows, seed=11).splitlines()
    if not with_plan:
        lines = [",".join(cell for i, cell in enumerate(line.split(",")) if i != 2) for line in lines]
    return "\n".join(lines) + "\n"


def batch(token: str, train_id: int, dataset_id: int, path: str = "batchPrediction") -> requests.Response:
    return requests.post(f"{INFERENCE}/{path}", headers=bearer(token), timeout=60,
                         json={"train_id": train_id, "dataset_id": dataset_id})


def forecast(token: str, run: dict, **overrides) -> requests.Response:
    body = {"train_id": run["id"], "preprocess_id": run["preprocess_id"], "steps": 3, "frequency": "Day",
            "unique_id": "north"} | overrides
    return requests.post(f"{INFERENCE}/forecast", headers=bearer(token), timeout=120, json=body)


# --- refusals, before any compute ---

def test_a_batch_refuses_a_dataset_for_training_one_without_a_feature_and_unknown_ones(token, model, new_tenant):
    training = upload(token, churn_csv(rows=20))
    refused = batch(token, model["id"], training)
    assert refused.status_code == 422 and "usage 'p'" in refused.json()["message"], refused.text

    without_plan = upload(token, prediction_csv(with_plan=False), usage="p")
    refused = batch(token, model["id"], without_plan)
    assert refused.status_code == 422, refused.text
    assert "plan" in refused.json()["message"] and "dataset_id" in refused.json()["message"]

    assert batch(token, model["id"], 999_999_999).status_code == 404
    assert batch(token, 999_999_999, without_plan).status_code == 404

    stranger = new_tenant("batch-stranger")["admin"]["token"]
    theirs = upload(stranger, prediction_csv(), usage="p")
    assert batch(token, model["id"], theirs).status_code == 404
    assert batch(stranger, model["id"], theirs).status_code == 404


def test_a_batch_of_a_forecaster_and_by_a_viewer_is_refused(tenant, token, model, forecaster):
    dataset = upload(token, prediction_csv(), usage="p")
    refused = batch(token, forecaster["id"], dataset)
    assert refused.status_code == 422 and "forecast" in refused.json()["message"], refused.text
    viewer = new_user(token, tenant["id"], "viewer", prefix="batch-viewer")["token"]
    assert batch(viewer, model["id"], dataset).status_code == 403


@pytest.mark.parametrize("change, status, words", [
    ({"steps": 0}, 422, "'steps'"),
    ({"frequency": "Minute"}, 422, "Hour, Day, Week, Month, Quarter, Year"),
    ({"frequency": "Month"}, 422, "by Day, not by Month"),
    ({"unique_id": "west"}, 404, "'west'"),
    ({"preprocess_id": 1}, 422, "preprocess_id"),
])
def test_a_forecast_request_that_does_not_fit_the_model_is_refused(token, forecaster, change, status, words):
    refused = forecast(token, forecaster, **change)

    assert refused.status_code == status, refused.text
    assert words in refused.json()["message"]


def test_a_forecast_needs_a_forecaster_of_the_callers_tenant(token, model, forecaster, new_tenant):
    refused = forecast(token, model)
    assert refused.status_code == 422 and "Forecast model" in refused.json()["message"], refused.text
    stranger = new_tenant("forecast-stranger")["admin"]["token"]
    assert forecast(stranger, forecaster).status_code == 404


# --- the forecast stored at training time ---

def test_a_forecast_within_the_stored_horizon_is_answered_at_once_and_logged(token, forecaster):
    steps = min(3, forecaster["horizon"])
    answer = forecast(token, forecaster, steps=steps)

    assert answer.status_code == 200, answer.text
    points = answer.json()["forecast"]
    assert len(points) == steps
    first = datetime.date.fromisoformat(points[0]["date"])
    assert first == datetime.date(2025, 1, 1) + datetime.timedelta(days=60)  # the day after the last one
    assert [datetime.date.fromisoformat(p["date"]) for p in points] == [
        first + datetime.timedelta(days=i) for i in range(steps)]
    for point in points:
        assert point["confidence"] == 0.95
        assert point["lower"] <= point["lower_80"] <= point["value"] <= point["upper_80"] <= point["upper"]
    log = requests.get(f"{INFERENCE}/predictions", headers=bearer(token), timeout=30,
                       params={"train_id": forecaster["id"]})
    assert log.status_code == 200, log.text
    entry = log.json()["data"][0]
    assert entry["prediction_type"] == "forecast" and entry["no_of_records"] == steps
    assert '"unique_id":"north"' in entry["input_data"]


# --- on Ray ---

def wait_for_prediction(token: str, prediction_id: int, timeout_s: float = 300) -> dict:
    deadline = time.time() + timeout_s
    while True:
        result = requests.get(f"{INFERENCE}/result", headers=bearer(token), timeout=30,
                              params={"prediction_id": prediction_id})
        assert result.status_code == 200, result.text
        if result.json()["status"] in ("completed", "failed", "cancelled"):
            return result.json()
        assert time.time() < deadline, f"prediction {prediction_id} still {result.json()['status']}"
        time.sleep(1)


@pytest.fixture(scope="module")
def batch_result(token, model):
    dataset = upload(token, prediction_csv(rows=40), usage="p")
    started = batch(token, model["id"], dataset, path="batch-prediction")
    assert started.status_code == 202, started.text
    return dataset, started.json(), wait_for_prediction(token, started.json()["prediction_id"])


@needs_jobs("predict")
def test_a_batch_prediction_runs_on_ray_and_its_rows_reach_the_gold_table(token, model, batch_result):
    dataset, started, result = batch_result
    assert started["message"] == "Batch prediction job started successfully." and started["status_code"] == 202
    assert started["ray_job_id"].startswith("batch-")
    assert result["status"] == "completed", result
    assert result["no_of_records"] == 40 and 0 <= result["accuracy"] <= 1
    assert result["dataset_id"] == dataset and result["result_path"].endswith(
        f"/{started['prediction_id']}/result.csv")
    gold = model["predictor_name"].lower().replace("-", "_")
    deadline = time.time() + 30  # the rows are appended to gold right after the job's completion is recorded
    while True:
        tables = requests.get(f"{GATEWAY}/api/v1/datalake/schemas/tables", headers=bearer(token), timeout=30,
                              params={"schema_name": "gold"})
        assert tables.status_code == 200, tables.text
        if gold in tables.json() or time.time() > deadline:
            break
        time.sleep(1)
    assert gold in tables.json()
    log = requests.get(f"{INFERENCE}/predictions", headers=bearer(token), timeout=30,
                       params={"train_id": model["id"]}).json()["data"]
    entry = next(p for p in log if p["prediction_id"] == started["prediction_id"])
    assert entry["prediction_type"] == "batch" and entry["input_data"] == f"dataset_id:{dataset}"


def result_csv(token: str, prediction_id: int, timeout_s: float = 30) -> str:
    """The batch's result.csv as /files/download serves it, once dataset-service has recorded it as a file of the
    input dataset (it learns of the result from inference's completed event)."""
    deadline = time.time() + timeout_s
    while True:
        result = requests.get(f"{INFERENCE}/result", headers=bearer(token), timeout=30,
                              params={"prediction_id": prediction_id}).json()
        if result["file_id"] is not None or time.time() > deadline:
            break
        time.sleep(0.5)
    assert result["file_id"] is not None, result
    file = requests.get(f"{GATEWAY}/api/v1/files/get_file_by_id", headers=bearer(token), timeout=30,
                        params={"file_id": result["file_id"]})
    assert file.status_code == 200, file.text
    download = requests.get(f"{GATEWAY}/api/v1/files/download", headers=bearer(token), timeout=60,
                            params={"file_path": file.json()["csv_file_path"]})
    assert download.status_code == 200, download.text
    return download.text


@needs_jobs("predict")
def test_the_batch_result_is_a_file_of_the_input_dataset_that_downloads(token, batch_result):
    _, started, _ = batch_result
    lines = result_csv(token, started["prediction_id"]).strip().splitlines()
    assert len(lines) == 41 and "customer" in lines[0]


DATALAKE = f"{GATEWAY}/api/v1/datalake"


def gold_metadata(token: str, table: str, rows: int, timeout_s: float = 30) -> dict:
    """The gold table's metadata once it holds ``rows`` rows: the batch's rows are appended right after the job's
    completion is recorded, so a little after the prediction reads completed."""
    deadline = time.time() + timeout_s
    while True:
        metadata = requests.get(f"{DATALAKE}/table_metadata", headers=bearer(token), timeout=30,
                                params={"schema_name": "gold", "table_name": table})
        assert metadata.status_code in (200, 404), metadata.text
        if metadata.status_code == 200 and metadata.json()["record_count"] >= rows:
            return metadata.json()
        assert time.time() < deadline, f"gold.{table} does not hold {rows} rows: {metadata.text}"
        time.sleep(1)


@needs_jobs("predict")
def test_the_gold_table_holds_the_rows_of_the_result_csv(token, model, batch_result):
    """The datalake API serves no rows, only per-column statistics: every column of the gold table (the id column,
    the predicted label, the class probabilities) must have the statistics of the same column of result.csv."""
    _, started, result = batch_result
    assert result["status"] == "completed", result
    header, *rows = list(csv.reader(io.StringIO(result_csv(token, started["prediction_id"]))))
    csv_columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    table = model["predictor_name"].lower().replace("-", "_")

    metadata = gold_metadata(token, table, len(rows))

    assert metadata["record_count"] == len(rows) == 40  # the predictor's one batch
    columns = requests.get(f"{DATALAKE}/tables/columns", headers=bearer(token), timeout=30,
                           params={"schema_name": "gold", "table_name": table})
    assert columns.status_code == 200, columns.text
    assert [c["column_name"] for c in columns.json()] == header
    assert {"customer", "prediction"} <= set(header) and any(n.startswith("probability_") for n in header)
    for column in columns.json():
        name, values = column["column_name"], csv_columns[column["column_name"]]
        distinct = requests.get(f"{DATALAKE}/distinct-count", headers=bearer(token), timeout=30,
                                params={"schema": "gold", "table": table, "column": name})
        assert distinct.status_code == 200, distinct.text
        assert (name, distinct.json()["distinct_count"]) == (name, len(set(values)))
        if column["data_type"] in ("double", "bigint"):
            numbers = [float(v) for v in values]
            stats = requests.get(f"{DATALAKE}/numeric_stats", headers=bearer(token), timeout=30,
                                 params={"schema_name": "gold", "table_name": table, "column_name": name})
            assert stats.status_code == 200, stats.text
            expected = {"count": len(numbers), "min": min(numbers), "max": max(numbers),
                        "mean": statistics.mean(numbers), "median": statistics.median(numbers)}
            assert {k: stats.json()[k] for k in expected} == pytest.approx(expected, rel=1e-9, abs=1e-12), name


@needs_jobs("forecast_ahead")
def test_a_forecast_beyond_the_stored_horizon_waits_for_a_ray_job(token, forecaster):
    steps = forecaster["horizon"] + 5
    answer = forecast(token, forecaster, steps=steps, unique_id="south")

    assert answer.status_code == 200, answer.text
    points = answer.json()["forecast"]
    assert len(points) == steps
    stored = forecast(token, forecaster, steps=forecaster["horizon"], unique_id="south").json()["forecast"]
    assert [p["date"] for p in points[:len(stored)]] == [p["date"] for p in stored]
    assert points[0]["value"] == pytest.approx(stored[0]["value"], rel=1e-6)
    log = requests.get(f"{INFERENCE}/predictions", headers=bearer(token), timeout=30,
                       params={"train_id": forecaster["id"]}).json()["data"]
    ahead = next(p for p in log if p["no_of_records"] == steps)
    assert ahead["ray_job_id"].startswith("forecast-") and ahead["status"] == "completed"

"""Training through the gateway on the real Ray head: get_details, submitting runs with every check first, the
guide's model endpoints, SHAP, termination and deletion, the callbacks' refusals, and the job events an outside
consumer reads from Kafka."""

import json
import os
import time
import uuid

import pytest
import requests

from conftest import (CHURN_COLUMNS, GATEWAY, SERVICE_URLS, _OFFSET, bearer, churn_csv, infra, run_of, submit,
                      upload, wait_for_importance, wait_for_run)


@pytest.fixture(scope="module")
def tenant(new_tenant):
    return new_tenant("train")


@pytest.fixture(scope="module")
def dataset_id(gateway, tenant):
    csv = "customer;tenure;plan;churn;day\nc1;3;basic;true;2025-01-01\nc2;14;pro;false;2025-01-02\n"
    uploaded = requests.post(f"{gateway}/api/v1/dataset/upload", headers=bearer(tenant["admin"]["token"]),
                             timeout=60, params={"dataset_name": f"churn-{uuid.uuid4().hex[:8]}", "usage": "t"},
                             files={"files": ("churn.csv", csv, "text/csv")})
    assert uploaded.status_code == 200, uploaded.text
    return uploaded.json()["dataset_id"]


def details(gateway, token, dataset_id, problem_type):
    return requests.post(f"{gateway}/api/v1/train/get_details", headers=bearer(token), timeout=30, json={
        "dataset_id": dataset_id, "predictor_name": "churn_v1", "domain": "Churn", "problem_type": problem_type})


def test_get_details_answers_the_guides_shape_with_the_datasets_columns(gateway, tenant, dataset_id):
    response = details(gateway, tenant["admin"]["token"], dataset_id, "classification")

    assert response.status_code == 200, response.text
    assert response.json() == {
        "dataset_id": dataset_id, "predictor_name": "churn_v1", "domain": "Churn", "problem_type": "Classification",
        "dataset_schema": [{"column_name": "customer", "data_type": "String"},
                           {"column_name": "tenure", "data_type": "Integer"},
                           {"column_name": "plan", "data_type": "String"},
                           {"column_name": "churn", "data_type": "Boolean"},
                           {"column_name": "day", "data_type": "Date"}],
        "attributes": ["Id", "Target", "Feature", "Ignore"]}


def test_a_forecast_offers_the_time_axis_and_future_covariates(gateway, tenant, dataset_id):
    response = details(gateway, tenant["admin"]["token"], dataset_id, "Forecast")

    assert response.status_code == 200, response.text
    assert response.json()["attributes"] == ["Id", "Target", "Timestamp", "Exogenous", "Ignore"]


def test_an_unknown_dataset_or_problem_type_is_refused_before_anything_runs(gateway, tenant, dataset_id):
    missing = details(gateway, tenant["admin"]["token"], 987654321, "Regression")
    assert missing.status_code == 404, missing.text
    assert missing.json()["message"] == "Dataset 987654321 not found."

    wrong = details(gateway, tenant["admin"]["token"], dataset_id, "Clustering")
    assert wrong.status_code == 422
    assert "problem_type" in wrong.json()["message"]


# --- a run from submission to a model ---

@pytest.fixture(scope="module")
def churn(tenant):
    return upload(tenant["admin"]["token"], churn_csv())


@pytest.fixture(scope="module")
def trained(tenant, churn):
    """A completed XGBoost run with SHAP enabled, and what submitting it answered."""
    token = tenant["admin"]["token"]
    submitted = submit(token, churn, algorithm="xgboost", shap_enabled=True)
    assert submitted.status_code == 200, submitted.text
    run = wait_for_run(token, submitted.json()["id"])
    assert run["train_status"] == "completed", run
    return {"submitted": submitted.json(), "run": run}


def test_a_submitted_run_answers_the_guides_shape_and_is_pinned_to_its_snapshot(tenant, churn, trained):
    body = trained["submitted"]

    assert body["training_status"] == "submitted_to_ray"
    assert {"id", "tenant_id", "predictor_name", "problem_type", "created_by", "dataset_id", "created_at",
            "modified_at"} <= body.keys()
    assert body["tenant_id"] == tenant["id"] and body["dataset_id"] == churn
    assert body["problem_type"] == "Classification" and body["algorithm"] == "XGBoost"
    assert body["ray_job_id"].startswith("train-") and body["snapshot_id"] and body["preprocess_id"]


def test_the_list_shows_the_completed_model_with_the_guides_fields(trained):
    run = trained["run"]

    assert {"tenant_id", "predictor_name", "preprocess_id", "problem_type", "domain", "created_by", "id",
            "dataset_id", "dataset_name", "data_source", "created_at", "modified_at", "algorithm", "accuracy",
            "ml_model_status", "train_status", "training_status", "ray_job_id"} <= run.keys()
    assert (run["ml_model_status"], run["train_status"], run["training_status"]) == (
        "completed", "completed", "Completed")
    assert run["algorithm"] == "XGBoost" and run["accuracy"] > 0.8


def test_the_model_summary_gives_hold_out_metrics_the_confusion_matrix_and_the_snapshot(tenant, trained):
    response = requests.get(f"{GATEWAY}/api/v1/train/model-summary", headers=bearer(tenant["admin"]["token"]),
                            timeout=30, params={"train_id": trained["run"]["id"]})

    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["model_summary"]["model"] == "XGBoost"
    assert {"accuracy", "precision", "recall", "f1_score"} <= summary["model_summary"].keys()
    assert summary["model_summary"]["accuracy"] == trained["run"]["accuracy"]
    assert sum(map(sum, summary["confusion_matrix"])) == 60  # the 20% hold-out of 300 rows
    assert summary["labels"] == [False, True]
    assert summary["snapshot_id"] == trained["submitted"]["snapshot_id"]
    assert summary["parity"]["label_agreement"] == 1.0


def test_the_schema_is_the_models_inputs(tenant, trained):
    response = requests.get(f"{GATEWAY}/api/v1/train/download-schema/{trained['run']['id']}",
                            headers=bearer(tenant["admin"]["token"]), timeout=30)

    assert response.status_code == 200, response.text
    schema = response.json()["schema"]
    assert [(c["column_name"], c["data_type"]) for c in schema] == [
        ("tenure", "Integer"), ("plan", "String"), ("noise", "Float")]
    # an inferred schema has no template defaults: the imputed value of each number, nothing for a string
    assert 1 <= schema[0]["default_value"] <= 60 and schema[0]["default_value"] == int(schema[0]["default_value"])
    assert schema[1]["default_value"] is None and 0 <= schema[2]["default_value"] <= 1


def test_shap_after_training_ranks_the_informative_columns_first(tenant, trained):
    token, train_id = tenant["admin"]["token"], trained["run"]["id"]

    body = wait_for_importance(token, train_id)

    assert body["status"] == "completed", body
    shares = body["feature_importance"]
    assert set(shares) == {"tenure", "plan", "noise"}
    assert abs(sum(shares.values()) - 1) < 1e-3
    assert min(shares["tenure"], shares["plan"]) > shares["noise"]

    again = requests.get(f"{GATEWAY}/api/v1/train/generate-feature-importance", headers=bearer(token), timeout=60,
                         params={"train_id": train_id})
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "success" and again.json()["shap_job_id"].startswith("shap-")
    deleted = requests.delete(f"{GATEWAY}/api/v1/train/delete-feature-importance/{train_id}", headers=bearer(token),
                              timeout=60)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"status_code": 200, "message": "Feature importance results deleted successfully"}
    gone = requests.get(f"{GATEWAY}/api/v1/train/view-feature-importance", headers=bearer(token), timeout=30,
                        params={"train_id": train_id})
    assert gone.status_code == 404, gone.text


def test_incremental_training_continues_the_predictor_and_records_its_parent(tenant, churn, trained):
    token = tenant["admin"]["token"]
    more = upload(token, churn_csv(rows=200, seed=9))

    submitted = submit(token, more, predictor_name=trained["run"]["predictor_name"], is_incremental=True)

    assert submitted.status_code == 200, submitted.text
    run = wait_for_run(token, submitted.json()["id"])
    assert run["train_status"] == "completed", run
    assert run["parent_train_id"] == trained["run"]["id"]
    assert run["predictor_name"] == trained["run"]["predictor_name"]


def test_a_model_takes_another_preprocess_record_only_when_it_reads_the_same_columns(tenant, churn, trained):
    token = tenant["admin"]["token"]
    same = submit(token, churn, algorithm="LightGBM")
    narrower = submit(token, churn, columns=[c if c["column_name"] != "noise" else c | {"attribute_name": "Ignore"}
                                             for c in CHURN_COLUMNS])
    assert same.status_code == 200 and narrower.status_code == 200, (same.text, narrower.text)

    def update(preprocess_id):
        return requests.post(f"{GATEWAY}/api/v1/train/update/", headers=bearer(token), timeout=30,
                             json={"train_id": trained["run"]["id"], "preprocess_id": preprocess_id})

    assert update(narrower.json()["preprocess_id"]).status_code == 409
    switched = update(same.json()["preprocess_id"])
    assert switched.status_code == 200, switched.text
    assert switched.json() == {"data": "Model updated successfully", "status_code": 200, "message": "Success"}
    assert run_of(token, trained["run"]["id"], refresh=False)["preprocess_id"] == same.json()["preprocess_id"]
    assert update(987654321).status_code == 404


# --- every check before any compute ---

@pytest.fixture(scope="module")
def prediction_dataset(tenant):
    return upload(tenant["admin"]["token"], churn_csv(rows=30), usage="p")


def columns_with(**roles):
    return [c | ({"attribute_name": roles[c["column_name"]]} if c["column_name"] in roles else {})
            for c in CHURN_COLUMNS]


INVALID = {
    "no target": ({"columns": columns_with(churn="Feature")}, 422, "Target"),
    "two targets": ({"columns": columns_with(plan="Target")}, 422, "Target"),
    "an unknown column": ({"columns": CHURN_COLUMNS + [{"column_name": "nope", "attribute_name": "Feature"}]}, 422,
                          "columns[5].column_name"),
    "a column named twice": ({"columns": CHURN_COLUMNS + [CHURN_COLUMNS[1]]}, 422, "named twice"),
    "a type that is not the dataset's": ({"columns": [c | {"data_type": "Float"} if c["column_name"] == "churn"
                                                      else c for c in CHURN_COLUMNS]}, 422, "columns[4].data_type"),
    "a role the problem type does not take": ({"columns": columns_with(tenure="Timestamp")}, 422,
                                              "columns[1].attribute_name"),
    "an unknown role": ({"columns": columns_with(tenure="Label")}, 422, "columns[1].attribute_name"),
    "a target that does not fit regression": ({"problem_type": "Regression"}, 422, "Target"),
    "a forecast without a timestamp": ({"problem_type": "Forecast", "algorithm": "auto",
                                        "columns": [{"column_name": "tenure", "attribute_name": "Target"}]}, 422,
                                       "Timestamp"),
    "an algorithm of another problem type": ({"algorithm": "AutoARIMA"}, 422, "algorithm"),
    "an unknown problem type": ({"problem_type": "Clustering"}, 422, "problem_type"),
    "no columns": ({"columns": []}, 422, "columns"),
    "no features": ({"columns": columns_with(tenure="Ignore", plan="Ignore", noise="Ignore")}, 422, "Feature"),
    "a missing dataset id": ({"dataset_id": None}, 422, "dataset_id"),
    "a blank predictor name": ({"predictor_name": " "}, 422, "predictor_name"),
    "an unknown dataset": ({"dataset_id": 987654321}, 404, "Dataset 987654321 not found."),
    "an incremental run of an unknown predictor": ({"is_incremental": True, "predictor_name": "never-made"}, 404,
                                                   "never-made"),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_an_invalid_request_is_refused_before_anything_runs(tenant, churn, case):
    overrides, status, named = INVALID[case]
    token = tenant["admin"]["token"]
    before = requests.get(f"{GATEWAY}/api/v1/train/list", headers=bearer(token), timeout=30).json()["total"]

    response = submit(token, churn, **overrides)

    assert response.status_code == status, response.text
    assert named in response.text  # the message, or a violation of the request's shape
    assert requests.get(f"{GATEWAY}/api/v1/train/list", headers=bearer(token), timeout=30).json()["total"] == before


def test_a_prediction_dataset_and_a_taken_predictor_name_are_refused(tenant, churn, trained, prediction_dataset):
    token = tenant["admin"]["token"]

    for_prediction = submit(token, prediction_dataset)
    taken = submit(token, churn, predictor_name=trained["run"]["predictor_name"])

    assert for_prediction.status_code == 422 and "usage 't'" in for_prediction.json()["message"]
    assert taken.status_code == 409 and "predictor_name" in taken.json()["message"]


def test_another_tenants_dataset_is_unknown(new_tenant, churn):
    other = new_tenant("train-other")

    response = submit(other["admin"]["token"], churn)

    assert response.status_code == 404, response.text


# --- stopping and deleting ---

def test_terminating_a_training_run_cancels_it_and_another_tenant_cannot(tenant, churn, new_tenant):
    token = tenant["admin"]["token"]
    submitted = submit(token, churn, algorithm="auto")
    assert submitted.status_code == 200, submitted.text
    job_id = submitted.json()["ray_job_id"]

    intruder = requests.post(f"{GATEWAY}/api/v1/ray/terminate_ray_job",
                             headers=bearer(new_tenant("train-intruder")["admin"]["token"]), timeout=30,
                             params={"ray_job_id": job_id, "usage": "training"})
    stopped = requests.post(f"{GATEWAY}/api/v1/ray/terminate_ray_job", headers=bearer(token), timeout=60,
                            params={"ray_job_id": job_id, "usage": "training"})

    assert intruder.status_code == 404, intruder.text
    assert stopped.status_code == 200, stopped.text
    run = run_of(token, submitted.json()["id"], refresh=False)
    assert run["train_status"] == "cancelled", run


def test_deleting_a_running_run_stops_its_job_and_forgets_the_model(tenant, churn):
    token = tenant["admin"]["token"]
    submitted = submit(token, churn, algorithm="auto")
    assert submitted.status_code == 200, submitted.text
    train_id = submitted.json()["id"]

    deleted = requests.delete(f"{GATEWAY}/api/v1/train/delete/{train_id}", headers=bearer(token), timeout=60)

    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"status_code": 200, "message": "Training job deleted successfully"}
    listed = requests.get(f"{GATEWAY}/api/v1/train/list", headers=bearer(token), timeout=30).json()
    assert train_id not in [item["id"] for item in listed["data"]]
    assert requests.get(f"{GATEWAY}/api/v1/train/model-summary", headers=bearer(token), timeout=30,
                        params={"train_id": train_id}).status_code == 404
    assert requests.delete(f"{GATEWAY}/api/v1/train/delete/{train_id}", headers=bearer(token),
                           timeout=30).status_code == 404


# --- the callbacks ---

@pytest.mark.parametrize("path", ["/api/v1/train/result", "/api/v1/train/shap-result"])
def test_callbacks_refuse_forged_credentials_and_are_not_routed_by_the_gateway(tenant, path):
    service = SERVICE_URLS["training-service"]
    body = {"train_id": 1, "status": "succeeded", "result": {"metrics": {"accuracy": 1.0}}}

    forged = requests.post(service + path, json=body, timeout=30, headers={"Authorization": "Bearer forged"})
    user_token = requests.post(service + path, json=body, timeout=30, headers=bearer(tenant["admin"]["token"]))
    oversized = requests.post(service + path, data=b"{" + b" " * (2 << 20) + b"}", timeout=30,
                              headers={"Authorization": "Bearer forged", "Content-Type": "application/json"})
    through_gateway = requests.post(GATEWAY + path, json=body, timeout=30)

    assert forged.status_code == 401, forged.text
    assert user_token.status_code == 401, user_token.text
    assert oversized.status_code in (401, 413), oversized.text
    assert through_gateway.status_code == 404, through_gateway.text


# --- the events an outside consumer reads ---

def test_an_outside_consumer_follows_a_run_from_the_training_events_alone(tenant, churn):
    from kafka import KafkaConsumer

    topic = os.environ.get("DMLP_TOPIC_PREFIX", "test." if _OFFSET else "") + "dmlp.training.events"
    consumer = KafkaConsumer(topic, bootstrap_servers=f"127.0.0.1:{os.environ.get('DMLP_KAFKA_PORT', '59092')}",
                             group_id=f"outside-{uuid.uuid4().hex}", auto_offset_reset="latest",
                             value_deserializer=lambda raw: json.loads(raw), consumer_timeout_ms=1000)
    consumer.poll(timeout_ms=5000)  # joins the group and takes its partitions before the run starts
    token = tenant["admin"]["token"]
    submitted = submit(token, churn, algorithm="LogisticRegression")
    assert submitted.status_code == 200, submitted.text
    train_id = submitted.json()["id"]
    wait_for_run(token, train_id)

    seen, deadline = [], time.time() + 60
    while time.time() < deadline and not any(e["type"].endswith("training.completed.v1") for e in seen):
        seen += [record.value for records in consumer.poll(timeout_ms=1000).values() for record in records
                 if record.value.get("subject") == str(train_id)]
    consumer.close()

    types = [event["type"] for event in seen]
    assert types[0] == "io.dmlp.training.submitted.v1", types
    assert types[-1] == "io.dmlp.training.completed.v1", types
    completed = seen[-1]["data"]
    assert completed["train_id"] == train_id and completed["job_id"] == submitted.json()["ray_job_id"]
    assert completed["model"]["algorithm"] == "LogisticRegression"
    assert completed["model"]["metrics"]["accuracy"] > 0.7
    assert completed["model"]["artifacts"].endswith(f"/{train_id}/")
    assert seen[-1]["tenantid"] == tenant["id"]


# --- Ray going away mid-run (last: it restarts the shared Ray head) ---

def test_a_run_whose_ray_was_restarted_mid_job_ends_failed_and_the_next_run_completes(tenant, churn):
    token = tenant["admin"]["token"]
    larger = upload(token, churn_csv(rows=40000))  # auto tries four algorithms on it: long enough to stop Ray
    submitted = submit(token, larger, algorithm="auto")
    assert submitted.status_code == 200, submitted.text
    wait_for_run(token, submitted.json()["id"], states=("running",), timeout_s=120)

    infra("stop", "ray")
    try:
        # Unreachable Ray is not a verdict: the run stays unfinished until Ray answers again.
        assert run_of(token, submitted.json()["id"])["train_status"] == "running"
    finally:
        infra("start", "ray")
    failed = wait_for_run(token, submitted.json()["id"], timeout_s=120)

    assert failed["train_status"] == "failed", failed
    assert failed["error"] == "Ray no longer knows the job."
    after = submit(token, churn)
    assert after.status_code == 200, after.text
    assert wait_for_run(token, after.json()["id"])["train_status"] == "completed"

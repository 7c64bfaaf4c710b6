"""Inference through the gateway: real-time predictions in inference-service's JVM (checked against the training
job's own ONNX predictions of hold-out rows), the form, the refusals, the prediction log, and a model's deletion
reaching inference through the training events."""

import json
import os
import time

import boto3
import pytest
import requests

from conftest import GATEWAY, SERVICE_URLS, bearer, churn_csv, new_user, submit, upload, wait_for_run

PREDICT = f"{GATEWAY}/api/v1/inference/"


@pytest.fixture(scope="module")
def tenant(new_tenant):
    return new_tenant("infer")


@pytest.fixture(scope="module")
def model(tenant):
    """A completed XGBoost churn model: its list item."""
    token = tenant["admin"]["token"]
    submitted = submit(token, upload(token, churn_csv()))
    assert submitted.status_code == 200, submitted.text
    run = wait_for_run(token, submitted.json()["id"])
    assert run["train_status"] == "completed", run
    return run


def predict(token, body, timeout_s: float = 30):
    """The answer, once inference-service has the model (it learns of it from the training events)."""
    deadline = time.time() + timeout_s
    while True:
        answer = requests.post(PREDICT, headers=bearer(token), json=body, timeout=30)
        if answer.status_code != 404 or time.time() > deadline:
            return answer
        time.sleep(0.5)


def body(model, features, **overrides):
    return {"train_id": model["id"], "preprocess_id": model["preprocess_id"], "features": features,
            "target": "churn"} | overrides


def holdout_sample(tenant, model) -> list[dict]:
    """The training job's own predictions of some hold-out rows (its artifact holdout_sample.json)."""
    s3 = boto3.client("s3", endpoint_url=os.environ.get("DMLP_S3_ENDPOINT", "http://127.0.0.1:59000"),
                      aws_access_key_id=os.environ.get("DMLP_S3_ACCESS_KEY", "dmlp-local"),
                      aws_secret_access_key=os.environ.get("DMLP_S3_SECRET_KEY", "dmlp-local-secret"),
                      region_name=os.environ.get("DMLP_S3_REGION", "us-east-1"))
    key = f"models/{tenant['id']}/{model['id']}/holdout_sample.json"
    sample = json.loads(s3.get_object(Bucket=os.environ.get("DMLP_S3_BUCKET", "dmlp"), Key=key)["Body"].read())
    return sample["rows"]


def test_predictions_in_the_jvm_equal_the_training_jobs_own_on_hold_out_rows(tenant, model):
    rows = holdout_sample(tenant, model)
    assert len(rows) >= 10

    for row in rows:
        answer = predict(tenant["admin"]["token"], body(model, row["features"]))
        assert answer.status_code == 200, answer.text
        got = answer.json()
        assert got["prediction"] == row["prediction"], (row, got)
        assert list(got["probabilities"].values()) == pytest.approx(row["probabilities"], abs=1e-6)


def test_an_answer_has_the_guides_shape_and_the_classes_probabilities(tenant, model):
    answer = predict(tenant["admin"]["token"], body(model, {"tenure": 3, "plan": "basic", "noise": 0.5}))

    assert answer.status_code == 200, answer.text
    got = answer.json()
    assert got["prediction"] is True  # a short tenure on the basic plan churns
    assert got["accuracy"] == pytest.approx(model["accuracy"])
    assert set(got["probabilities"]) == {"false", "true"}
    assert sum(got["probabilities"].values()) == pytest.approx(1, abs=1e-5)
    assert got["probabilities"]["true"] > 0.5


def test_left_out_features_take_the_imputers_value_and_values_as_text_are_parsed(tenant, model):
    token = tenant["admin"]["token"]
    partial = predict(token, body(model, {"plan": "pro"}))
    as_text = predict(token, body(model, {"tenure": "45", "plan": "pro", "noise": "0.25"}))
    as_numbers = predict(token, body(model, {"tenure": 45, "plan": "pro", "noise": 0.25}))

    assert partial.status_code == 200, partial.text
    assert as_text.json() == as_numbers.json()


def test_the_form_lists_the_features_with_types_and_defaults(tenant, model):
    predict(tenant["admin"]["token"], body(model, {}))  # waits until inference knows the model
    form = requests.get(f"{GATEWAY}/api/v1/inference/form-based-prediction", headers=bearer(tenant["admin"]["token"]),
                        params={"id": model["id"]}, timeout=30)

    assert form.status_code == 200, form.text
    got = form.json()
    assert got["id"] == model["id"] and got["target"] == "churn" and got["preprocess_id"] == model["preprocess_id"]
    headers = {h["column_name"]: h for h in got["headers"]}
    assert list(headers) == ["tenure", "plan", "noise"]
    assert headers["tenure"]["data_type"] == "Integer" and headers["plan"]["data_type"] == "String"
    assert float(headers["tenure"]["default_value"]) >= 1  # the imputer's median tenure


@pytest.mark.parametrize("change, field", [
    ({"features": {"tenure": 3, "colour": "red"}}, "features"),
    ({"features": {"tenure": "three"}}, "features.tenure"),
    ({"features": {"tenure": 2.5}}, "features.tenure"),
    ({"features": {"plan": ["basic"]}}, "features.plan"),
    ({"features": [1, 2]}, "features"),
    ({"target": "plan"}, "target"),
    ({"preprocess_id": 987654321}, "preprocess_id"),
    ({"train_id": None}, "train_id"),
])
def test_a_bad_request_is_refused_with_422_naming_the_field(tenant, model, change, field):
    predict(tenant["admin"]["token"], body(model, {}))
    answer = requests.post(PREDICT, headers=bearer(tenant["admin"]["token"]), json=body(model, {}) | change,
                           timeout=30)

    assert answer.status_code == 422, answer.text
    assert f"'{field}'" in answer.json()["message"]


def test_the_prediction_log_lists_real_time_calls(tenant, model):
    token = tenant["admin"]["token"]
    features = {"tenure": 7, "plan": "max", "noise": 0.125}
    assert predict(token, body(model, features)).status_code == 200

    deadline = time.time() + 20
    while True:
        log = requests.get(f"{GATEWAY}/api/v1/inference/predictions", headers=bearer(token),
                           params={"train_id": model["id"], "limit": 1000}, timeout=30)
        assert log.status_code == 200, log.text
        mine = [p for p in log.json()["data"] if json.loads(p["input_data"]) == features]
        if mine or time.time() > deadline:
            break
        time.sleep(0.5)
    assert mine, log.json()
    entry = mine[0]
    assert entry["prediction_type"] == "realtime" and entry["status"] == "completed"
    assert entry["train_id"] == model["id"] and entry["predictor_name"] == model["predictor_name"]
    assert entry["problem_type"] == "Classification" and entry["domain_name"] == "Churn"
    assert entry["no_of_records"] == 1 and entry["accuracy"] == pytest.approx(model["accuracy"])
    assert {"prediction_id", "date", "dataset_id"} <= entry.keys()


def test_another_tenants_model_is_unknown_and_a_viewer_cannot_predict(tenant, model, new_tenant, platform_admin_token):
    predict(tenant["admin"]["token"], body(model, {}))
    other = new_tenant("infer-other")["admin"]["token"]
    viewer = new_user(platform_admin_token, tenant["id"], "viewer")["token"]

    assert requests.post(PREDICT, headers=bearer(other), json=body(model, {}), timeout=30).status_code == 404
    for path, params in (("form-based-prediction", {"id": model["id"]}), ("predictions", {"train_id": model["id"]})):
        assert requests.get(f"{GATEWAY}/api/v1/inference/{path}", headers=bearer(other), params=params,
                            timeout=30).status_code == 404
    assert requests.post(PREDICT, headers=bearer(viewer), json=body(model, {}), timeout=30).status_code == 403


def test_a_deleted_model_answers_404_within_seconds(tenant):
    token = tenant["admin"]["token"]
    submitted = submit(token, upload(token, churn_csv(rows=120, seed=5)), algorithm="LogisticRegression")
    assert submitted.status_code == 200, submitted.text
    doomed = wait_for_run(token, submitted.json()["id"])
    assert predict(token, body(doomed, {"tenure": 3})).status_code == 200

    deleted = requests.delete(f"{GATEWAY}/api/v1/train/delete/{doomed['id']}", headers=bearer(token), timeout=60)
    assert deleted.status_code == 200, deleted.text
    deadline = time.time() + 10
    while (status := requests.post(PREDICT, headers=bearer(token), json=body(doomed, {"tenure": 3}),
                                   timeout=30).status_code) == 200 and time.time() < deadline:
        time.sleep(0.2)
    assert status == 404


def test_training_services_internal_model_list_needs_the_service_credential_and_is_not_routed(tenant, model):
    internal = f"{SERVICE_URLS['training-service']}/internal/v1/models"

    for headers in ({}, {"X-DMLP-Internal-Token": "guess"}, bearer(tenant["admin"]["token"])):
        refused = requests.get(internal, headers=headers, timeout=30)
        assert refused.status_code == 401, refused.text
        assert refused.json()["status_code"] == 401
    assert requests.get(f"{GATEWAY}/internal/v1/models", headers={"X-DMLP-Internal-Token": "dmlp-local-internal"},
                        timeout=30).status_code == 404
    listed = requests.get(internal, headers={"X-DMLP-Internal-Token": "dmlp-local-internal"}, timeout=30,
                          params={"after": model["id"] - 1, "limit": 1})
    assert listed.status_code == 200, listed.text
    row = listed.json()["data"][0]
    assert row["train_id"] == model["id"] and row["tenant_id"] == tenant["id"]
    assert row["model"]["id_columns"] == ["customer"] and row["model"]["target"]["column_name"] == "churn"

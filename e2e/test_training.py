"""Training through the gateway. Today: get_details, the form a client draws before submitting a run."""

import uuid

import pytest
import requests

from conftest import bearer


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

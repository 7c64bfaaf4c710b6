"""Model quality through the platform: generated datasets uploaded as CSV through the gateway, trained with
POST /api/v1/train/ on Ray, each run held to the direct script of ray-jobs/tests/baselines.py on the same split.

The same split: the job takes the rows of the snapshot's Parquet files in order, leaves out rows without a target
and holds out 20% with training-service's seed, stratified for classification; the direct script does the same to
the generated frame, whose values the CSV carries exactly (floats in full, booleans as true/false, missing values
as empty fields). An upload keeps the file's row order only up to 2,048 rows: dataset-service hands rows to its two
Parquet writer threads in batches of that size (SilverFileWriter.BATCH_ROWS), each writing data files of its own,
and the snapshot lists the files in the order the writers finished. So every dataset here stays within one batch.
Every run is submitted first and then awaited, so Ray trains them side by side.
"""

import os

import pandas as pd
import pytest
import requests

from baselines import (ACCURACY_POINT, DIRECT, RMSE_SHARE, binary_data, direct, direct_forecast, forecast_data,
                       multiclass_data, regression_data, report)
from conftest import GATEWAY, bearer, submit, upload, wait_for_run

# training-service's dmlp.training.seed (TrainingConfig), which the environment may set for both.
SEED = int(os.environ.get("DMLP_TRAINING_SEED", "7"))
CLASSIFIERS = list(DIRECT["Classification"])
FORECASTER = "AutoETS"  # one model: auto would fit AutoARIMA, the slowest by far, three times
BINARY_ROWS = 2000  # not ray-jobs' 3,000: one writer batch (see above)
DATASETS = {"binary": ("Classification", lambda: binary_data(BINARY_ROWS)),
            "multiclass": ("Classification", multiclass_data), "regression": ("Regression", regression_data),
            "forecast": ("Forecast", forecast_data)}
RUNS = [*(("binary", algorithm) for algorithm in CLASSIFIERS + ["auto"]),
        ("multiclass", "auto"), ("regression", "auto"), ("forecast", FORECASTER)]


def csv_of(frame: pd.DataFrame, columns: list[dict]) -> str:
    """The frame as the CSV a user uploads: booleans as true/false, a missing value as an empty field."""
    frame = frame.copy()
    for spec in columns:
        if spec["data_type"] == "Boolean":
            name = spec["column_name"]
            frame[name] = frame[name].astype(object).map({True: "true", False: "false"})
    return frame.to_csv(index=False)


class Runs:
    """The generated datasets uploaded, every run of RUNS submitted at once, and the direct scripts' figures
    (computed while Ray trains); each run's model-summary awaited when asked for."""

    def __init__(self, token: str):
        self.token, self.data, self.ids, self.summaries = token, {}, {}, {}
        for name, (problem_type, generate) in DATASETS.items():
            frame, columns = generate()
            self.data[name] = (problem_type, frame, columns, upload(token, csv_of(frame, columns)))
        for name, algorithm in RUNS:
            problem_type, _, columns, dataset_id = self.data[name]
            submitted = submit(token, dataset_id, problem_type=problem_type, columns=columns, algorithm=algorithm,
                               domain="Quality", predictor_name=f"quality-{name}-{algorithm}-{dataset_id}")
            assert submitted.status_code == 200, submitted.text
            self.ids[name, algorithm] = submitted.json()["id"]
        self.direct = {name: self.baselines(*self.data[name][:3]) for name in DATASETS}

    @staticmethod
    def baselines(problem_type: str, frame: pd.DataFrame, columns: list[dict]) -> dict:
        """Each direct script's figures on the dataset's split with the platform's seed."""
        if problem_type == "Forecast":
            return {name: {"mase": direct_forecast(frame, name)} for name in (FORECASTER, "SeasonalNaive")}
        return {name: direct(problem_type, frame, columns, name, SEED) for name in DIRECT[problem_type]}

    def summary(self, name: str, algorithm: str) -> dict:
        """The run's model-summary once it completed."""
        if (name, algorithm) not in self.summaries:
            train_id = self.ids[name, algorithm]
            run = wait_for_run(self.token, train_id, timeout_s=600)
            assert run["train_status"] == "completed", run
            response = requests.get(f"{GATEWAY}/api/v1/train/model-summary", headers=bearer(self.token),
                                    timeout=30, params={"train_id": train_id})
            assert response.status_code == 200, response.text
            self.summaries[name, algorithm] = response.json()
        return self.summaries[name, algorithm]


@pytest.fixture(scope="module")
def runs(new_tenant):
    return Runs(new_tenant("quality")["admin"]["token"])


def shown(summary: dict, *metrics: str) -> dict:
    """The run's figures for the quality line: the metrics named, and auto's candidates with their scores."""
    return ({name: summary["model_summary"][name] for name in metrics}
            | ({"candidates": {c["algorithm"]: c["score"] for c in summary["candidates"]}} if summary["candidates"]
               else {}))


@pytest.mark.parametrize("algorithm", CLASSIFIERS)
def test_each_classifier_reaches_its_direct_script_on_the_binary_set(runs, algorithm):
    baseline = runs.direct["binary"][algorithm]

    summary = runs.summary("binary", algorithm)

    report("binary", algorithm, shown(summary, "accuracy", "f1_score", "roc_auc"), baseline, summary["parity"])
    assert summary["model_summary"]["model"] == algorithm and summary["candidates"] == []
    assert summary["rows"] == {"train": 1600, "holdout": 400, "without_target": 0}
    assert summary["labels"] == ["churned", "stayed"]
    assert sum(map(sum, summary["confusion_matrix"])) == baseline["rows"] == 400
    assert summary["model_summary"]["accuracy"] >= baseline["accuracy"] - ACCURACY_POINT


def test_auto_on_the_binary_set_keeps_its_best_candidate_fitted_as_that_algorithm_alone(runs):
    singles = {algorithm: runs.summary("binary", algorithm)["model_summary"] for algorithm in CLASSIFIERS}

    summary = runs.summary("binary", "auto")

    candidates = summary["candidates"]
    report("auto binary", summary["model_summary"]["model"], shown(summary, "accuracy", "f1_score", "roc_auc"),
           {name: figures["accuracy"] for name, figures in runs.direct["binary"].items()}, summary["parity"])
    assert [c["algorithm"] for c in candidates] == CLASSIFIERS
    chosen = max(candidates, key=lambda c: c["score"])["algorithm"]  # ties go to the first tried
    assert summary["model_summary"] == singles[chosen]  # the same fit as the run of that algorithm alone


@pytest.mark.xfail(SEED == 7, strict=True, reason=(
    "with seed 7 validation prefers XGBoost (0.831) to LightGBM (0.828); on the hold-out XGBoost scores 0.800 and "
    "LightGBM 0.8125"))
def test_auto_on_the_binary_set_is_as_good_as_the_best_single_default(runs):
    best = max(runs.summary("binary", algorithm)["model_summary"]["accuracy"] for algorithm in CLASSIFIERS)

    summary = runs.summary("binary", "auto")

    assert summary["model_summary"]["accuracy"] >= best - ACCURACY_POINT


def test_auto_on_the_multiclass_set_reaches_the_direct_script_of_the_model_it_chose(runs):
    baselines = {name: figures["accuracy"] for name, figures in runs.direct["multiclass"].items()}

    summary = runs.summary("multiclass", "auto")

    chosen = summary["model_summary"]["model"]
    report("auto multiclass", chosen, shown(summary, "accuracy", "f1_score", "roc_auc"), baselines,
           summary["parity"])
    assert summary["labels"] == [1, 2, 3] and summary["rows"]["holdout"] == 400
    assert summary["model_summary"]["accuracy"] >= baselines[chosen] - ACCURACY_POINT


@pytest.mark.xfail(SEED == 7, strict=True, reason=(
    "with seed 7 the validation split ties RandomForest and LogisticRegression at 0.841, the forest (tried first) "
    "is kept and scores 0.7925 on the hold-out, where the direct XGBoost script reaches 0.8225 and the logistic "
    "one 0.82"))
def test_auto_on_the_multiclass_set_is_as_good_as_the_best_direct_script(runs):
    best = max(figures["accuracy"] for figures in runs.direct["multiclass"].values())

    summary = runs.summary("multiclass", "auto")

    assert summary["model_summary"]["accuracy"] >= best - ACCURACY_POINT


def test_auto_on_the_regression_set_reaches_the_direct_scripts(runs):
    baselines = runs.direct["regression"]

    summary = runs.summary("regression", "auto")

    chosen, metrics = summary["model_summary"]["model"], summary["model_summary"]
    report("auto regression", chosen, shown(summary, "rmse", "mae", "r2"), baselines, summary["parity"])
    assert summary["rows"]["holdout"] == 400
    assert metrics["rmse"] <= baselines[chosen]["rmse"] * RMSE_SHARE
    assert metrics["r2"] >= baselines[chosen]["r2"] - 0.01
    assert metrics["rmse"] <= min(b["rmse"] for b in baselines.values()) * RMSE_SHARE


def test_the_forecast_reaches_the_direct_script_and_beats_the_seasonal_naive_one(runs):
    baselines = runs.direct["forecast"]

    summary = runs.summary("forecast", FORECASTER)

    report("forecast", FORECASTER, shown(summary, "mape", "smape", "mase"), baselines, None)
    assert summary["model_summary"]["model"] == FORECASTER
    assert summary["forecast"]["horizon"] == 14 and summary["forecast"]["series"] == 3
    assert summary["rows"] == {"train": 3 * (150 - 14), "holdout": 3 * 14}
    assert summary["model_summary"]["mase"] <= baselines[FORECASTER]["mase"] * RMSE_SHARE
    assert summary["model_summary"]["mase"] < baselines["SeasonalNaive"]["mase"]

"""Classification and regression: one scikit-learn Pipeline (preprocessing and model), its hold-out metrics, and
its export to one ONNX graph checked against the native pipeline on the hold-out rows.

Features enter the pipeline as the ONNX graph's inputs do, one column each:
- String: a string, missing as "" (a category of its own); one-hot encoded over the MAX_CATEGORIES most frequent
  values of the training rows, rarer and unseen values encoded as all zeros;
- Integer, Float: float32, missing as NaN, imputed with the training rows' (lower) median;
- Boolean: float32 0/1, missing as NaN, imputed the same way;
- Date, DateTime: float32 days since 1970-01-01 (fractional for date-times, in UTC), imputed the same way.
Linear and logistic models also get their numbers standardised. Numbers are float32 before fitting, so the
native pipeline sees exactly the values the ONNX graph will.

Classes are encoded as 0..K-1 in sorted order for every algorithm: the graph's `label` output is that index and
its `probabilities` output has a column per class in that order (the `labels` of the metrics).
"""

from __future__ import annotations

import lightgbm
import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, mean_absolute_error, mean_squared_error,
                             precision_score, r2_score, recall_score, roc_auc_score)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier, XGBRegressor

NUMERIC_TYPES = {"Integer", "Float", "Boolean", "Date", "DateTime"}
FEATURE_TYPES = NUMERIC_TYPES | {"String"}
DAY_SECONDS = 86_400.0
MAX_CATEGORIES = 100  # one-hot columns per String feature: keeps an id-like column from exhausting memory
# model.joblib of a table model: {"format", "problem_type", "algorithm", "pipeline", "features", "target", "labels"}
MODEL_FORMAT = 1


def classifiers(seed: int) -> dict:
    return {"XGBoost": XGBClassifier(random_state=seed, n_estimators=200, learning_rate=0.1),
            "LightGBM": LGBMClassifier(random_state=seed, verbose=-1),
            "RandomForest": RandomForestClassifier(random_state=seed),
            "LogisticRegression": LogisticRegression(max_iter=2000)}


def regressors(seed: int) -> dict:
    return {"XGBoost": XGBRegressor(random_state=seed, n_estimators=200, learning_rate=0.1),
            "LightGBM": LGBMRegressor(random_state=seed, verbose=-1),
            "RandomForest": RandomForestRegressor(random_state=seed),
            "LinearRegression": LinearRegression()}


LINEAR = {"LogisticRegression", "LinearRegression"}
BOOSTED = {"XGBoost", "LightGBM"}


def models(problem_type: str, seed: int) -> dict:
    return classifiers(seed) if problem_type == "Classification" else regressors(seed)


def float32_thresholds(model: LGBMClassifier | LGBMRegressor) -> None:
    """Rewrites each split threshold t of a fitted LightGBM model as the largest float32 <= t. LightGBM splits at
    float64 midpoints between two feature values; ONNX stores thresholds as float32, and rounding a midpoint up onto
    the upper value sends that value the other way (probabilities 0.02-0.04 apart at 100k rows). The inputs are
    float32, so for every one of them x <= t exactly when x <= the rewritten t: the model's predictions do not change."""
    lines = model.booster_.model_to_string().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("threshold="):
            values = np.array(line[len("threshold="):].split(" "), dtype=np.float64)
            down = values.astype(np.float32)
            over = down.astype(np.float64) > values
            down[over] = np.nextafter(down[over], np.float32(-np.inf))
            lines[i] = "threshold=" + " ".join(repr(float(v)) for v in down)
    # tree_sizes gives each tree's length in characters, which the rewrite changes; without it trees parse in turn
    model._Booster = lightgbm.Booster(model_str="\n".join(line for line in lines
                                                         if not line.startswith("tree_sizes=")))


def feature_frame(frame: pd.DataFrame, features: list[dict]) -> pd.DataFrame:
    """The features as the pipeline (and the ONNX graph) takes them: see the module's docstring."""
    columns = {}
    for feature in features:
        name, kind = feature["column_name"], feature["data_type"]
        values = frame[name]
        if kind == "String":
            columns[name] = values.astype(object).where(values.notna(), "").astype(str)
        elif kind == "Date" or kind == "DateTime":
            instants = pd.to_datetime(values, utc=True)
            days = (instants - pd.Timestamp(0, tz="UTC")).dt.total_seconds() / DAY_SECONDS
            columns[name] = days.astype("float32")
        else:
            columns[name] = pd.to_numeric(values.astype(object).where(values.notna(), np.nan),
                                          errors="raise").astype("float32")
    return pd.DataFrame(columns, index=frame.index)


def lower_median(values: np.ndarray) -> float:
    """The imputed value: the lower median, a value the column really holds. The usual median of an even count
    is the midpoint of two values, which is exactly where a tree puts its split; float32 (ONNX) and float64
    (native) would then send it to different sides."""
    return float(np.quantile(values, 0.5, method="lower")) if len(values) else 0.0


def imputed(fitted: Pipeline) -> dict[str, float]:
    """The value the fitted pipeline imputes for each numeric feature (as the graph takes it: see feature_frame)."""
    return {name: float(value) for step_name, step, names in fitted.named_steps["preprocess"].transformers_
            if step_name == "numeric" for name, value in zip(names, step.named_steps["impute"].statistics_)}


def categories_of(x: pd.DataFrame, features: list[dict]) -> dict[str, list[str]]:
    """Each String feature's MAX_CATEGORIES most frequent values (ties by value), sorted."""
    chosen = {}
    for feature in features:
        if feature["data_type"] == "String":
            counts = x[feature["column_name"]].value_counts()
            ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:MAX_CATEGORIES]
            chosen[feature["column_name"]] = sorted(value for value, _ in ranked)
    return chosen


def pipeline(algorithm: str, model, features: list[dict], categories: dict[str, list[str]]) -> Pipeline:
    numeric = [f["column_name"] for f in features if f["data_type"] in NUMERIC_TYPES]
    text = [f["column_name"] for f in features if f["data_type"] == "String"]
    numeric_steps = [("impute", SimpleImputer(strategy=lower_median))]
    if algorithm in LINEAR:
        numeric_steps.append(("scale", StandardScaler()))
    parts = []
    if numeric:
        parts.append(("numeric", Pipeline(numeric_steps), numeric))
    if text:
        parts.append(("categorical", OneHotEncoder(categories=[categories[name] for name in text],
                                                   handle_unknown="ignore", sparse_output=False), text))
    return Pipeline([("preprocess", ColumnTransformer(parts, sparse_threshold=0)), ("model", model)])


def build(problem_type: str, algorithm: str, features: list[dict], seed: int,
          categories: dict[str, list[str]]) -> Pipeline:
    return pipeline(algorithm, clone(models(problem_type, seed)[algorithm]), features, categories)


def classification_metrics(y_true: np.ndarray, probabilities: np.ndarray, labels: list) -> dict:
    """Hold-out metrics of encoded classes 0..K-1; precision, recall and F1 of class 1 when there are two
    classes, their macro averages otherwise."""
    count = len(labels)
    predicted = probabilities.argmax(axis=1)
    average = "binary" if count == 2 else "macro"
    present = np.unique(y_true)
    if len(present) < 2:
        roc_auc = None  # undefined with a single class in the hold-out
    elif count == 2:
        roc_auc = roc_auc_score(y_true, probabilities[:, 1])
    else:
        roc_auc = roc_auc_score(y_true, probabilities, multi_class="ovr", average="macro", labels=range(count))
    return {"accuracy": accuracy_score(y_true, predicted),
            "precision": precision_score(y_true, predicted, average=average, labels=range(count), zero_division=0),
            "recall": recall_score(y_true, predicted, average=average, labels=range(count), zero_division=0),
            "f1": f1_score(y_true, predicted, average=average, labels=range(count), zero_division=0),
            "roc_auc": roc_auc,
            "average": average,
            "labels": labels,
            "confusion_matrix": confusion_matrix(y_true, predicted, labels=range(count)).tolist(),
            "rows": len(y_true)}


def regression_metrics(y_true: np.ndarray, predicted: np.ndarray) -> dict:
    return {"rmse": float(np.sqrt(mean_squared_error(y_true, predicted))),
            "mae": mean_absolute_error(y_true, predicted),
            "r2": r2_score(y_true, predicted),
            "rows": len(y_true)}


def evaluate(problem_type: str, fitted: Pipeline, x: pd.DataFrame, y: np.ndarray, labels: list | None) -> dict:
    if problem_type == "Classification":
        return classification_metrics(y, fitted.predict_proba(x), labels)
    return regression_metrics(y, fitted.predict(x))


# The metric `auto` chooses by, and whether higher is better.
SELECTION = {"Classification": ("accuracy", True), "Regression": ("rmse", False)}


def score(problem_type: str, metrics: dict) -> float:
    return metrics[SELECTION[problem_type][0]]


def best(problem_type: str, candidates: list[dict]) -> dict:
    """The candidate with the best validation score; ties go to the one listed first."""
    higher = SELECTION[problem_type][1]
    return max(candidates, key=lambda c: c["score"] if higher else -c["score"])

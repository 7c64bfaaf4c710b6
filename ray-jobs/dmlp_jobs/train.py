"""Training a model on Ray: the job training-service submits as `python -m dmlp_jobs.train`.

The spec is JSON in DMLP_JOB_SPEC:
    {"job_id": str, "train_id": int | str,
     "problem_type": "Classification" | "Regression" | "Forecast",
     "columns": [{"column_name", "data_type": String|Integer|Float|Boolean|Date|DateTime,
                  "attribute_name": Id|Target|Feature|Timestamp|Exogenous|Ignore,
                  optional "default_value": the dataset template's default, a string or null}, ...],
     "algorithm": a name below (any case) or "auto",
     "files": [presigned GET URL of each Parquet data file of the pinned snapshot, ...],
     "artifacts": {artifact name: presigned PUT URL, ...},
     "seed": int (default 0),
     optional: "holdout_fraction" (default 0.2), "parity_tolerance" (default 1e-4),
               "horizon" and "season_length" (Forecast), "parent_artifacts": {"model.joblib": presigned GET URL}}
Algorithms: Classification XGBoost, LightGBM, RandomForest, LogisticRegression; Regression XGBoost, LightGBM,
RandomForest, LinearRegression; Forecast AutoARIMA, AutoETS, AutoTheta, SeasonalNaive. `auto` fits every
candidate on a validation split of the training rows (20% of them for tables, the last horizon before the
hold-out for forecasts), keeps the best (accuracy, RMSE, MASE) and records every candidate's score.

Roles: Classification and Regression take Feature columns (at least one) and one Target; Forecast takes one
Target, one Timestamp and an optional Id (the series id). Id and Ignore columns are not read as features.
Exogenous columns are not used yet (reported under "unused_columns").

Artifacts, each PUT to its URL (the job holds no store keys; a URL must be given for every one it makes):
- Classification, Regression: model.onnx (see dmlp_jobs.onnx_export), model.joblib (the fitted Pipeline with its
  features and classes), metrics.json, holdout_sample.json: up to SAMPLE_ROWS hold-out rows as a client sends them
  to real-time inference, with the graph's answers, for checking another runtime against:
      {"rows": [{"features": {column: raw value: a string (String), a number (Integer, Float), true/false
                              (Boolean), an ISO date (Date) or ISO date-time in UTC with its offset (DateTime), or
                              null when missing},
                 "prediction": the class label as in the data (Classification) or a float (Regression),
                 "probabilities": [one float per class, in the order of the metrics' labels] or null}, ...]};
- Forecast: model.joblib (the fitted StatsForecast, for any horizon), forecast.json, metrics.json.

The job POSTs {"job_id", "train_id", "status", "result", "error"} to DMLP_CALLBACK_URL with DMLP_CALLBACK_TOKEN: on
success `status` is "succeeded", `result` is {"problem_type", "algorithm", "metrics", "candidates", "parity",
"artifacts", "schema", ...} and `error` null; on failure `status` is "failed", `result` is null, `error` says why
(no URL signatures in it) and the job exits non-zero. A table model's `schema` lists its features, in the graph's
input order, as {"column_name", "data_type", "default_value"}: the spec column's default_value when it has one,
else the value the pipeline imputes for a missing number (a float: the training rows' lower median; for a Boolean
0 or 1, for a Date or DateTime days since 1970-01-01, see dmlp_jobs.tabular), else null (String). A forecast's
`schema` lists its Id, Timestamp and Target columns as {"column_name", "data_type"}.
"""

from __future__ import annotations

import io
import json
import time

import joblib
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sklearn.model_selection import train_test_split

from dmlp_jobs import forecast, onnx_export, tabular
from dmlp_jobs.callback import run_reported
from dmlp_jobs.failures import SpecError, required
from dmlp_jobs.jsonable import plain
from dmlp_jobs.transfer import opened, read_bytes, shown, upload

PROBLEM_TYPES = ("Classification", "Regression", "Forecast")
ROLES = {"Classification": {"Id", "Target", "Feature", "Ignore"},
         "Regression": {"Id", "Target", "Feature", "Ignore"},
         "Forecast": {"Id", "Target", "Timestamp", "Exogenous", "Ignore"}}
MAX_CLASSES = 1000
MIN_ROWS = 20  # with a target, for a hold-out and a validation split to mean anything
CALLBACK_LIMIT = 512 * 1024  # bytes of callback body; the service reads at most 1 MiB
VALIDATION_FRACTION = 0.2  # of the training rows, for `auto`
SAMPLE_ROWS = 25  # hold-out rows in holdout_sample.json


def algorithms(problem_type: str) -> list[str]:
    return list(forecast.MODELS if problem_type == "Forecast" else tabular.models(problem_type, 0))


def grouped(columns: list, problem_type: str) -> dict[str, list[dict]]:
    """spec.columns checked against the problem type, grouped by role (each role's columns in spec order)."""
    roles: dict[str, list[dict]] = {}
    for column in columns:
        if not isinstance(column, dict) or not isinstance(column.get("column_name"), str):
            raise SpecError(f"spec.columns: {column!r} has no column_name")
        if column.get("data_type") not in tabular.FEATURE_TYPES:
            raise SpecError(f"spec.columns: {column['column_name']!r} has data_type {column.get('data_type')!r}, "
                            f"not one of {sorted(tabular.FEATURE_TYPES)}")
        if column.get("attribute_name") not in ROLES[problem_type]:
            raise SpecError(f"spec.columns: {column['column_name']!r} has attribute_name "
                            f"{column.get('attribute_name')!r}, not one of {sorted(ROLES[problem_type])} "
                            f"for {problem_type}")
        if not isinstance(column.get("default_value"), (str, type(None))):
            raise SpecError(f"spec.columns: {column['column_name']!r} has a default_value that is not a string")
        roles.setdefault(column["attribute_name"], []).append(column)
    names = [column["column_name"] for column in columns]
    if len(set(names)) != len(names):
        raise SpecError("spec.columns names a column twice")
    singles = {"Target": (1, 1)} | ({"Timestamp": (1, 1), "Id": (0, 1)} if problem_type == "Forecast"
                                    else {"Feature": (1, None)})
    for role, (low, high) in singles.items():
        count = len(roles.get(role, []))
        if count < low or (high is not None and count > high):
            raise SpecError(f"spec.columns: {count} {role} column(s) for {problem_type}, expected "
                            f"{low if low == high else f'at least {low}' if high is None else f'{low} to {high}'}")
    target = roles["Target"][0]
    if problem_type != "Classification" and target["data_type"] not in ("Integer", "Float"):
        raise SpecError(f"spec.columns: the {problem_type} target {target['column_name']!r} must be Integer or "
                        f"Float, not {target['data_type']}")
    if problem_type == "Classification" and target["data_type"] not in ("String", "Boolean", "Integer"):
        raise SpecError(f"spec.columns: the Classification target {target['column_name']!r} must be String, "
                        f"Boolean or Integer, not {target['data_type']}")
    if problem_type == "Forecast" and roles["Timestamp"][0]["data_type"] not in ("Date", "DateTime"):
        raise SpecError("spec.columns: the Timestamp column must be a Date or DateTime")
    return roles


def parse(spec: dict) -> dict:
    """The spec checked and normalised: canonical algorithm name, columns grouped by role."""
    required(spec, "job_id", str)
    if not isinstance(spec.get("train_id"), (int, str)) or isinstance(spec.get("train_id"), bool):
        raise SpecError("spec.train_id is missing or not an integer or a string")
    problem_type = required(spec, "problem_type", str)
    if problem_type not in PROBLEM_TYPES:
        raise SpecError(f"spec.problem_type {problem_type!r} is not one of {list(PROBLEM_TYPES)}")
    known = algorithms(problem_type)
    wanted = required(spec, "algorithm", str)
    algorithm = "auto" if wanted.lower() == "auto" else next((a for a in known if a.lower() == wanted.lower()), None)
    if algorithm is None:
        raise SpecError(f"spec.algorithm {wanted!r} is not one of {known} or auto for {problem_type}")
    roles = grouped(required(spec, "columns", list), problem_type)
    target = roles["Target"][0]
    files = required(spec, "files", list)
    artifacts = required(spec, "artifacts", dict)
    if not all(isinstance(f, str) for f in files) or not all(isinstance(u, str) for u in artifacts.values()):
        raise SpecError("spec.files and spec.artifacts hold URLs (strings)")
    seed = spec.get("seed", 0)
    holdout = spec.get("holdout_fraction", 0.2)
    tolerance = spec.get("parity_tolerance", 1e-4)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 32:
        raise SpecError("spec.seed must be an integer in [0, 2^32)")
    if not isinstance(holdout, (int, float)) or not 0.05 <= holdout <= 0.5:
        raise SpecError("spec.holdout_fraction must be within [0.05, 0.5]")
    if not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise SpecError("spec.parity_tolerance must be a number >= 0")
    for name in ("horizon", "season_length"):
        value = spec.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000):
            raise SpecError(f"spec.{name} must be an integer from 1 to 10000")
    parent = spec.get("parent_artifacts") or {}
    if not isinstance(parent, dict) or (parent and not isinstance(parent.get("model.joblib"), str)):
        raise SpecError("spec.parent_artifacts must hold the parent's model.joblib URL")
    return {"problem_type": problem_type, "algorithm": algorithm, "roles": roles, "target": target,
            "features": roles.get("Feature", []), "files": files, "artifacts": artifacts, "seed": seed,
            "holdout": float(holdout), "tolerance": float(tolerance), "parent": parent.get("model.joblib"),
            "horizon": spec.get("horizon"), "season_length": spec.get("season_length")}


def read_rows(files: list[str], names: list[str]) -> pd.DataFrame:
    """The named columns of every row of exactly these files, in the files' order."""
    tables = []
    for location in files:
        with opened(location, prefix="dmlp-train-") as source:
            parquet = pq.ParquetFile(source)
            absent = [name for name in names if name not in parquet.schema_arrow.names]
            if absent:
                raise ValueError(f"{shown(location)} has no column(s) {absent}")
            tables.append(parquet.read(columns=names))
    if not tables:
        raise ValueError("spec.files is empty: there are no rows to train on")
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()


def dumped(value) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(value, buffer)
    return buffer.getvalue()


def store(made: dict[str, bytes], urls: dict[str, str]) -> list[str]:
    """Uploads every artifact made; each must have a URL. Names the job does not make are left alone."""
    missing = sorted(set(made) - set(urls))
    if missing:
        raise SpecError(f"spec.artifacts has no URL for {missing}")
    for name, body in made.items():
        upload(urls[name], body, "application/json" if name.endswith(".json") else "application/octet-stream")
    return sorted(made)


def encode_target(values: pd.Series, parent_labels: list | None) -> tuple[np.ndarray, list]:
    labels = parent_labels if parent_labels is not None else sorted(values.unique().tolist())
    if len(labels) < 2:
        raise ValueError(f"the target has {len(labels)} class(es): classification needs at least 2")
    if len(labels) > MAX_CLASSES:
        raise ValueError(f"the target has {len(labels)} classes, more than {MAX_CLASSES}")
    index = {label: position for position, label in enumerate(labels)}
    unknown = set(values.unique().tolist()) - set(index)
    if unknown:
        raise ValueError(f"the target has classes the parent model does not know: {sorted(unknown)[:10]}")
    return values.map(index).to_numpy(dtype=np.int64), labels


def load_parent(url: str, job: dict) -> dict:
    parent = joblib.load(io.BytesIO(read_bytes(url)))
    if parent.get("format") != tabular.MODEL_FORMAT or parent.get("problem_type") != job["problem_type"]:
        raise ValueError("the parent model is not a model of this problem type")
    if [f["column_name"] for f in parent["features"]] != [f["column_name"] for f in job["features"]]:
        raise ValueError("the parent model was trained on other feature columns")
    return parent


def fit(job: dict, algorithm: str, x: pd.DataFrame, y: np.ndarray, parent: dict | None, categories: dict):
    """The pipeline fitted on (x, y), its LightGBM thresholds made exact in float32 for the ONNX export."""
    fitted = fit_model(job, algorithm, x, y, parent, categories)
    if algorithm == "LightGBM":
        tabular.float32_thresholds(fitted.named_steps["model"])
    return fitted


def fit_model(job: dict, algorithm: str, x: pd.DataFrame, y: np.ndarray, parent: dict | None, categories: dict):
    """With a parent of the same boosting algorithm, boosting continues from the parent's trees on the parent's
    preprocessing; anything else is fitted afresh."""
    fresh = tabular.build(job["problem_type"], algorithm, job["features"], job["seed"], categories)
    if parent is None or parent["algorithm"] != algorithm or algorithm not in tabular.BOOSTED:
        return fresh.fit(x, y)
    preprocess = parent["pipeline"].named_steps["preprocess"]
    model = fresh.named_steps["model"]
    previous = parent["pipeline"].named_steps["model"]
    encoded = preprocess.transform(x)
    if algorithm == "XGBoost":
        model.fit(encoded, y, xgb_model=previous.get_booster())
        # the ONNX converter counts classes as trees / n_estimators: say how many rounds the model now has
        model.set_params(n_estimators=model.get_booster().num_boosted_rounds())
    else:
        model.fit(encoded, y, init_model=previous.booster_)
    return type(fresh)([("preprocess", preprocess), ("model", model)])


def choose(job: dict, x: pd.DataFrame, y: np.ndarray, labels: list | None, categories: dict) -> list[dict]:
    """Every candidate's score on a seeded validation split of the training rows (stratified for classification)."""
    problem_type = job["problem_type"]
    x_fit, x_valid, y_fit, y_valid = train_test_split(
        x, y, test_size=VALIDATION_FRACTION, random_state=job["seed"],
        stratify=y if problem_type == "Classification" else None)
    candidates = []
    for name in algorithms(problem_type):
        started = time.monotonic()
        fitted = tabular.build(problem_type, name, job["features"], job["seed"], categories).fit(x_fit, y_fit)
        metrics = tabular.evaluate(problem_type, fitted, x_valid, y_valid, labels)
        candidates.append({"algorithm": name, "metric": tabular.SELECTION[problem_type][0],
                           "score": tabular.score(problem_type, metrics),
                           "fit_seconds": round(time.monotonic() - started, 3)})
    return candidates


def train_tabular(job: dict) -> tuple[dict, dict[str, bytes]]:
    problem_type, features, target = job["problem_type"], job["features"], job["target"]
    classification = problem_type == "Classification"
    frame = read_rows(job["files"], [f["column_name"] for f in features] + [target["column_name"]])
    labelled = frame[frame[target["column_name"]].notna()]
    if len(labelled) < MIN_ROWS:
        raise ValueError(f"{len(labelled)} row(s) have a target: at least {MIN_ROWS} are needed")
    parent = load_parent(job["parent"], job) if job["parent"] else None
    if classification:
        classes = labelled[target["column_name"]]
        if target["data_type"] == "Integer":  # pandas reads an integer column with nulls as floats
            classes = classes.astype(np.int64)
        y, labels = encode_target(classes, parent and parent["labels"])
    else:
        y, labels = labelled[target["column_name"]].to_numpy(dtype=np.float64), None
    x = tabular.feature_frame(labelled, features)
    stratify = y if classification else None
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=job["holdout"], random_state=job["seed"],
                                                        stratify=stratify)
    categories = tabular.categories_of(x_train, features)
    algorithm, candidates = job["algorithm"], []
    if algorithm == "auto" and parent is not None:
        algorithm = parent["algorithm"]
    if algorithm == "auto":
        candidates = choose(job, x_train, y_train, labels, categories)
        algorithm = tabular.best(problem_type, candidates)["algorithm"]
    started = time.monotonic()
    fitted = fit(job, algorithm, x_train, y_train, parent, categories)
    fit_seconds = time.monotonic() - started
    metrics = tabular.evaluate(problem_type, fitted, x_test, y_test, labels)
    graph = onnx_export.to_onnx(fitted, features, classification)
    parity = onnx_export.parity(graph, fitted, x_test, classification, job["tolerance"])
    imputed = tabular.imputed(fitted)
    model = {"format": tabular.MODEL_FORMAT, "problem_type": problem_type, "algorithm": algorithm,
             "pipeline": fitted, "features": features, "target": target, "labels": labels}
    result = plain({"problem_type": problem_type, "algorithm": algorithm, "metrics": metrics,
                    "candidates": candidates, "parity": parity,
                    "schema": [{"column_name": f["column_name"], "data_type": f["data_type"],
                                "default_value": f.get("default_value") if f.get("default_value") is not None
                                else imputed.get(f["column_name"])} for f in features],
                    "target": {"column_name": target["column_name"], "data_type": target["data_type"]},
                    "rows": {"train": len(x_train), "holdout": len(x_test),
                             "without_target": len(frame) - len(labelled)},
                    "fit_seconds": round(fit_seconds, 3),
                    "continued_from_parent": bool(parent and parent["algorithm"] == algorithm
                                                  and algorithm in tabular.BOOSTED)})
    sample = holdout_sample(graph, labelled, x_test.head(SAMPLE_ROWS), features, labels)
    made = {"model.onnx": graph, "model.joblib": dumped(model),
            "metrics.json": json.dumps(result, allow_nan=False).encode(),
            "holdout_sample.json": json.dumps(sample, allow_nan=False).encode()}
    return result, made


def client_value(value, data_type: str):
    """A raw column value as a client sends it to real-time inference (JSON): missing as null, dates and
    date-times as ISO strings (date-times in UTC, with their offset)."""
    if pd.isna(value):
        return None
    if data_type == "String":
        return str(value)
    if data_type == "Integer":
        return int(value)
    if data_type == "Float":
        return float(value)
    if data_type == "Boolean":
        return bool(value)
    stamp = pd.Timestamp(value)
    if data_type == "Date":
        return stamp.date().isoformat()
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).isoformat()


def holdout_sample(graph: bytes, raw: pd.DataFrame, x: pd.DataFrame, features: list[dict], labels: list | None):
    """The hold-out rows `x` as a client would send them (their raw values in `raw`), with the ONNX graph's
    answers: what real-time inference must reproduce."""
    outputs = onnx_export.run(graph, x)
    rows = []
    for position, index in enumerate(x.index):
        values = {f["column_name"]: client_value(raw.at[index, f["column_name"]], f["data_type"]) for f in features}
        if labels is None:
            answer = {"prediction": float(outputs[0][position, 0]), "probabilities": None}
        else:
            answer = {"prediction": labels[int(outputs[0][position])],
                      "probabilities": [float(p) for p in outputs[1][position]]}
        rows.append({"features": values, **answer})
    return plain({"rows": rows})


def bounded(payload: dict) -> dict:
    """The callback body within CALLBACK_LIMIT: a huge confusion matrix stays in metrics.json only."""
    if len(json.dumps(payload)) <= CALLBACK_LIMIT:
        return payload
    metrics = payload["result"]["metrics"]
    for key in ("confusion_matrix", "labels"):
        metrics[key] = None
    metrics["truncated"] = "the full metrics are in metrics.json"
    return payload


def run(spec: dict) -> dict:
    job = parse(spec)
    if job["problem_type"] == "Forecast":
        result, made = forecast.train(job, read_rows)
    else:
        result, made = train_tabular(job)
    result["artifacts"] = store(made, job["artifacts"])
    return result


def main() -> None:
    """Train, report the result or the failure to the callback, and fail the Ray job too when anything failed."""
    run_reported("train", run, lambda result: f"{result['problem_type']} {result['algorithm']}: "
                 f"{json.dumps(result['metrics'])[:500]}", bounded)


if __name__ == "__main__":
    main()

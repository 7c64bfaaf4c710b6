"""Feature importance of a trained table model from SHAP values: the job training-service submits as
`python -m dmlp_jobs.importance` (named so that it does not shadow the `shap` library).

The spec is JSON in DMLP_JOB_SPEC:
    {"job_id": str, "train_id": int | str, "problem_type": "Classification" | "Regression",
     "columns": [{"column_name", "data_type", "attribute_name"}, ...] (as the training spec has them),
     "files": [presigned GET URL of each Parquet data file, ...],
     "model": presigned GET URL of the model's model.joblib (see dmlp_jobs.train),
     optional: "sample_rows" (default 500, at most 5000), "background_rows" (default 100, at most 1000),
               "seed" (default 0)}

The job reads a seeded uniform sample of at most sample_rows rows (only the model's Feature columns, one pass
over the files) and explains the stored pipeline on it:
- XGBoost, LightGBM and random forests: shap.TreeExplainer (path-dependent, no background) on the encoded
  features; rows past a work budget (tree nodes × rows) are left out, so a large forest stays bounded;
- linear and logistic regression: shap.LinearExplainer on the encoded features, the first background_rows rows
  of the sample as the background;
- any other model: permutation sampling of the whole pipeline over the original columns (see `permutation`), the
  same background, rows bounded by the number of rows the model predicts.
A one-hot encoded column's SHAP value is the sum of its encoded columns' values (SHAP values add up), so each
original column gets one value per row; its importance is the mean absolute value over the rows explained,
averaged over the outputs (the classes of a multi-class model). What is explained is the model's raw output:
log-odds for XGBoost, LightGBM and logistic regression, probabilities for forests and the permutation explainer,
the prediction for regression.

The job POSTs {"job_id", "train_id", "status", "result", "error"} to DMLP_CALLBACK_URL with DMLP_CALLBACK_TOKEN:
on success `status` is "succeeded" and `result` {"feature_importance": {column: share, ...} (summing to 1, in
descending order), "mean_abs_shap": {column: value, ...}, "explainer": "tree" | "linear" | "permutation",
"rows", "algorithm"}; on failure `status` is "failed", `result` null, `error` says why and the job exits non-zero.
"""

from __future__ import annotations

import io
import json

import joblib
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shap
from lightgbm import LGBMModel
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from xgboost import XGBModel

from dmlp_jobs import tabular
from dmlp_jobs.callback import run_reported
from dmlp_jobs.failures import SpecError
from dmlp_jobs.jsonable import plain
from dmlp_jobs.transfer import opened, read_bytes, shown

PROBLEM_TYPES = ("Classification", "Regression")
ROLES = {"Id", "Target", "Feature", "Ignore"}
SAMPLE_ROWS, MAX_SAMPLE_ROWS = 500, 5000
BACKGROUND_ROWS, MAX_BACKGROUND_ROWS = 100, 1000
TREES = (XGBModel, LGBMModel, RandomForestClassifier, RandomForestRegressor)
LINEAR = (LinearRegression, LogisticRegression)
# Tree nodes × rows explained. Tree SHAP costs ~60 ns a node for XGBoost and LightGBM, ~400 ns for a
# scikit-learn forest on 2 busy cores: ~12 s, e.g. 357 rows of the default forest on 3,000 rows × 12 features.
TREE_BUDGET = 30_000_000
PERMUTATIONS = 1  # orders of the columns per row for the permutation explainer, each also reversed
# Rows the model predicts for the permutation explainer (column sets × background): ~230 rows of 12 columns with
# 100 background rows; ~13 s for a histogram gradient boosting pipeline on 2 busy cores.
PERMUTATION_BUDGET = 600_000
PERMUTATION_BATCH = 100_000  # rows the model predicts at once
MIN_EXPLAINED = 50  # rows explained even when a model is larger than the budget allows
BATCH_ROWS = 65_536


def parse(spec: dict) -> dict:
    """The spec checked and normalised."""
    def need(name, kind):
        if not isinstance(spec.get(name), kind):
            raise SpecError(f"spec.{name} is missing or not a {kind.__name__}")
        return spec[name]

    def integer(name, default, low, high):
        value = spec.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise SpecError(f"spec.{name} must be an integer from {low} to {high}")
        return value

    need("job_id", str)
    if not isinstance(spec.get("train_id"), (int, str)) or isinstance(spec.get("train_id"), bool):
        raise SpecError("spec.train_id is missing or not an integer or a string")
    problem_type = need("problem_type", str)
    if problem_type not in PROBLEM_TYPES:
        raise SpecError(f"spec.problem_type {problem_type!r} is not one of {list(PROBLEM_TYPES)}")
    features = {}
    names = set()
    for column in need("columns", list):
        if not isinstance(column, dict) or not isinstance(column.get("column_name"), str):
            raise SpecError(f"spec.columns: {column!r} has no column_name")
        name = column["column_name"]
        if column.get("data_type") not in tabular.FEATURE_TYPES:
            raise SpecError(f"spec.columns: {name!r} has data_type {column.get('data_type')!r}, "
                            f"not one of {sorted(tabular.FEATURE_TYPES)}")
        if column.get("attribute_name") not in ROLES:
            raise SpecError(f"spec.columns: {name!r} has attribute_name {column.get('attribute_name')!r}, "
                            f"not one of {sorted(ROLES)} for {problem_type}")
        if name in names:
            raise SpecError("spec.columns names a column twice")
        names.add(name)
        if column["attribute_name"] == "Feature":
            features[name] = column["data_type"]
    if not features:
        raise SpecError(f"spec.columns: 0 Feature column(s) for {problem_type}, expected at least 1")
    files = need("files", list)
    if not files or not all(isinstance(f, str) for f in files):
        raise SpecError("spec.files must list the data files' URLs (strings)")
    return {"problem_type": problem_type, "features": features, "files": files, "model": need("model", str),
            "sample_rows": integer("sample_rows", SAMPLE_ROWS, 1, MAX_SAMPLE_ROWS),
            "background_rows": integer("background_rows", BACKGROUND_ROWS, 1, MAX_BACKGROUND_ROWS),
            "seed": integer("seed", 0, 0, 2 ** 32 - 1)}


def load_model(location: str, job: dict) -> dict:
    """The stored table model, checked against the spec: its problem type and exactly its Feature columns."""
    model = joblib.load(io.BytesIO(read_bytes(location)))
    if not isinstance(model, dict) or model.get("format") != tabular.MODEL_FORMAT:
        raise ValueError(f"{shown(location)} is not a table model (model.joblib format {tabular.MODEL_FORMAT})")
    if model["problem_type"] != job["problem_type"]:
        raise SpecError(f"spec.problem_type {job['problem_type']!r} is not the model's ({model['problem_type']})")
    trained = {f["column_name"]: f["data_type"] for f in model["features"]}
    if trained != job["features"]:
        raise SpecError(f"spec.columns: the Feature columns {job['features']} are not the model's {trained}")
    return model


def sample(files: list[str], names: list[str], rows: int, seed: int) -> pd.DataFrame:
    """A uniform sample of at most `rows` rows of the named columns, the same for the same files and seed: every
    row gets a seeded random key and the rows of the `rows` smallest keys are kept, in key order (one pass, at most
    a batch beyond the sample in memory)."""
    random = np.random.default_rng(seed)
    kept, keys = None, np.empty(0)
    for location in files:
        with opened(location, prefix="dmlp-shap-") as source:
            parquet = pq.ParquetFile(source)
            absent = [name for name in names if name not in parquet.schema_arrow.names]
            if absent:
                raise ValueError(f"{shown(location)} has no column(s) {absent}")
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=names):
                table = pa.Table.from_batches([batch])
                kept = table if kept is None else pa.concat_tables([kept, table], promote_options="permissive")
                keys = np.concatenate([keys, random.random(table.num_rows)])
                if len(keys) > rows:
                    smallest = np.argpartition(keys, rows - 1)[:rows]
                    kept, keys = kept.take(smallest), keys[smallest]
    if kept is None or kept.num_rows == 0:
        raise ValueError("the data files hold no rows")
    return kept.take(np.argsort(keys, kind="stable")).to_pandas()


def encoded_columns(preprocess) -> list[str]:
    """The original column of each column the pipeline's preprocessing outputs."""
    columns = []
    for name, transformer, inputs in preprocess.transformers_:
        if name == "remainder":
            continue
        widths = [len(c) for c in transformer.categories_] if hasattr(transformer, "categories_") else [1] * len(inputs)
        part = preprocess.output_indices_[name]
        if sum(widths) != part.stop - part.start or part.start != len(columns):
            raise ValueError(f"cannot map the model's encoded {name} columns back to its features")
        columns += [column for column, width in zip(inputs, widths) for _ in range(width)]
    return columns


def by_column(values: np.ndarray, encoded: list[str], names: list[str]) -> np.ndarray:
    """SHAP values [rows, encoded columns, outputs] summed over each original column's encoded columns."""
    owner = np.array(encoded)
    return np.stack([values[:, owner == name, :].sum(axis=1) for name in names], axis=1)


def as_outputs(values: np.ndarray) -> np.ndarray:
    """[rows, columns, outputs], for a model with one output too."""
    return values if values.ndim == 3 else values[:, :, np.newaxis]


def permutation(model: dict, x: pd.DataFrame, background_rows: int, seed: int) -> np.ndarray:
    """SHAP values of the whole pipeline over its original columns by antithetic permutation sampling, as
    shap.PermutationExplainer estimates them with an independent background, but seeded and batched over rows
    (shap's masker compiles with numba on first use, for longer than the whole job may take). For each row and
    each of PERMUTATIONS orders of the columns, forward and reversed: the columns are taken from the row one by
    one in that order, the rest from each background row, and a column's value is the mean change of the model's
    output over the background when it is taken."""
    pipeline, names = model["pipeline"], list(x.columns)
    classification = model["problem_type"] == "Classification"
    background = {name: x[name].to_numpy()[:background_rows] for name in names}
    explained = {name: x[name].to_numpy() for name in names}
    count, width = len(names), len(next(iter(background.values())))
    steps = 2 * PERMUTATIONS * (count + 1)  # column sets evaluated per row
    rows = min(len(x), max(MIN_EXPLAINED, PERMUTATION_BUDGET // (steps * width)))
    per_batch = max(1, PERMUTATION_BATCH // (steps * width))
    random = np.random.default_rng(seed)
    values = None
    for start in range(0, rows, per_batch):
        batch = np.arange(start, min(start + per_batch, rows))
        orders = [order for _ in batch for forward in (random.permutation(count) for _ in range(PERMUTATIONS))
                  for order in (forward, forward[::-1])]
        taken = np.zeros((len(orders), count + 1, count), dtype=bool)  # [order, step, column]
        for index, order in enumerate(orders):
            for step in range(1, count + 1):
                taken[index, step, order[:step]] = True
        taken = np.repeat(taken.reshape(-1, count), width, axis=0)
        row = np.repeat(np.repeat(batch, 2 * PERMUTATIONS * (count + 1)), width)
        other = np.tile(np.arange(width), len(taken) // width)
        frame = pd.DataFrame({name: np.where(taken[:, i], explained[name][row], background[name][other])
                              for i, name in enumerate(names)})
        output = pipeline.predict_proba(frame) if classification else pipeline.predict(frame)[:, np.newaxis]
        output = output.reshape(len(orders), count + 1, width, -1).mean(axis=2)  # [order, step, output]
        if values is None:
            values = np.zeros((rows, count, output.shape[-1]))
        change = np.diff(output, axis=1)  # [order, step, output]: of taking the step's column
        for index, order in enumerate(orders):
            values[batch[index // (2 * PERMUTATIONS)], order] += change[index] / (2 * PERMUTATIONS)
    return values


def explain(model: dict, x: pd.DataFrame, background_rows: int, seed: int) -> tuple[np.ndarray, str]:
    """SHAP values [rows explained, original columns, outputs] of the model on the rows x, and the explainer."""
    preprocess, estimator = model["pipeline"].named_steps["preprocess"], model["pipeline"].named_steps["model"]
    names = list(x.columns)
    if isinstance(estimator, TREES):
        encoded = preprocess.transform(x)
        explainer = shap.TreeExplainer(estimator)
        nodes = sum(len(tree.children_left) for tree in explainer.model.trees)
        rows = max(MIN_EXPLAINED, TREE_BUDGET // max(nodes, 1))
        values = explainer(encoded[:rows]).values  # shap checks that they add up to the model's output
        return by_column(as_outputs(values), encoded_columns(preprocess), names), "tree"
    if isinstance(estimator, LINEAR):
        encoded = preprocess.transform(x)
        background = encoded[:background_rows]
        explainer = shap.LinearExplainer(estimator, shap.maskers.Independent(background, max_samples=len(background)))
        return by_column(as_outputs(explainer(encoded).values), encoded_columns(preprocess), names), "linear"
    return permutation(model, x, background_rows, seed), "permutation"


def importance(values: np.ndarray, names: list[str]) -> dict:
    """Mean |SHAP| per column (averaged over outputs) and its share of the total, both in descending order."""
    mean_abs = dict(zip(names, np.abs(values).mean(axis=0).mean(axis=1).tolist()))
    order = sorted(names, key=lambda name: (-mean_abs[name], name))
    total = sum(mean_abs.values())
    return {"feature_importance": {name: round(mean_abs[name] / total, 6) if total > 0 else 0.0 for name in order},
            "mean_abs_shap": {name: mean_abs[name] for name in order}}


def run(spec: dict) -> dict:
    job = parse(spec)
    model = load_model(job["model"], job)
    names = [f["column_name"] for f in model["features"]]
    rows = sample(job["files"], names, job["sample_rows"], job["seed"])
    x = tabular.feature_frame(rows, model["features"])
    values, explainer = explain(model, x, job["background_rows"], job["seed"])
    return plain(importance(values, names) | {"explainer": explainer, "rows": len(values),
                                               "algorithm": model["algorithm"]})


def main() -> None:
    """Explain, report the result or the failure to the callback, and fail the Ray job too when anything failed."""
    run_reported("importance", run, lambda result: f"{result['algorithm']} by the {result['explainer']} explainer"
                 f" on {result['rows']} rows: {json.dumps(result['feature_importance'])[:500]}")


if __name__ == "__main__":
    main()

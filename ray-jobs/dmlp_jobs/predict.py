"""Batch prediction on Ray: the job inference-service submits as `python -m dmlp_jobs.predict`.

The spec is JSON in DMLP_JOB_SPEC:
    {"job_id": str, "prediction_id": int, "problem_type": "Classification" | "Regression",
     "model": presigned GET URL of the training run's model.onnx,
     "features": [{"column_name", "data_type"}, ...]: the graph's inputs in order (the training result's `schema`),
     "labels": [class label, ...] in class index order (Classification; null for Regression),
     "id_columns": [column name, ...] carried into the result as they are (may be empty),
     "target": {"column_name", "data_type"} or null,
     "files": [presigned GET URL of each Parquet data file of the dataset's pinned snapshot, ...],
     "outputs": {"result.csv": presigned PUT URL, "result.parquet": presigned PUT URL}}

The files are read BATCH_ROWS rows at a time; each batch's features go through dmlp_jobs.tabular.feature_frame
into one ONNX Runtime session, and the rows are appended to a temporary CSV and Parquet file, which are then
streamed to their PUT URLs: memory stays bounded whatever the row count. Every file must hold every feature and
id column (the job fails naming those it lacks).

Result columns, in order: the id columns (their own values and types); `prediction`: the class label as a string
(Classification; a Boolean label as true/false) or a float64 (Regression); then for Classification one float64
`probability_<label>` per class, in the order of `labels`. The CSV has a header row; its values are those of the
Parquet file.

The job POSTs {"job_id", "prediction_id", "status", "result", "error"} to DMLP_CALLBACK_URL with
DMLP_CALLBACK_TOKEN; on success `result` is
    {"no_of_records": int, "columns": [{"name", "type": the Parquet file's Arrow type: string, double, int64...}],
     "accuracy": share of the rows with a (non-null) target whose prediction is that target, when `target` is
                 given, the problem is Classification and some rows have the target; null otherwise,
     "artifacts": ["result.csv", "result.parquet"]}
and on failure `status` is "failed", `result` null and `error` says why (see dmlp_jobs.callback).
"""

from __future__ import annotations

import json
import os
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dmlp_jobs import onnx_export, tabular
from dmlp_jobs.callback import run_reported
from dmlp_jobs.failures import SpecError, required
from dmlp_jobs.transfer import opened, read_bytes, shown, upload_file

PROBLEM_TYPES = ("Classification", "Regression")
OUTPUTS = ("result.csv", "result.parquet")
BATCH_ROWS = 65_536


def label_text(label) -> str:
    """A class label as the `prediction` column and the probability columns' names show it."""
    return json.dumps(label) if isinstance(label, bool) else str(label)


def parse(spec: dict) -> dict:
    required(spec, "job_id", str)
    required(spec, "prediction_id", int)
    problem_type = required(spec, "problem_type", str)
    if problem_type not in PROBLEM_TYPES:
        raise SpecError(f"spec.problem_type {problem_type!r} is not one of {list(PROBLEM_TYPES)}")
    model = required(spec, "model", str)
    features = required(spec, "features", list)
    if not features:
        raise SpecError("spec.features is empty")
    for feature in features:
        if not isinstance(feature, dict) or not isinstance(feature.get("column_name"), str) \
                or feature.get("data_type") not in tabular.FEATURE_TYPES:
            raise SpecError(f"spec.features: {feature!r} needs a column_name and a data_type of "
                            f"{sorted(tabular.FEATURE_TYPES)}")
    labels = spec.get("labels")
    if problem_type == "Classification" and (not isinstance(labels, list) or len(labels) < 2):
        raise SpecError("spec.labels must list the classes (at least 2) for Classification")
    if problem_type == "Regression" and labels is not None:
        raise SpecError("spec.labels must be null for Regression")
    ids = spec.get("id_columns") or []
    if not isinstance(ids, list) or not all(isinstance(name, str) for name in ids) or len(set(ids)) != len(ids):
        raise SpecError("spec.id_columns must be a list of distinct column names")
    target = spec.get("target")
    if target is not None and not (isinstance(target, dict) and isinstance(target.get("column_name"), str)):
        raise SpecError("spec.target must be null or {column_name, data_type}")
    files = required(spec, "files", list)
    outputs = required(spec, "outputs", dict)
    if not files or not all(isinstance(f, str) for f in files):
        raise SpecError("spec.files must list the URLs of the data files (at least one)")
    if not all(isinstance(outputs.get(name), str) for name in OUTPUTS):
        raise SpecError(f"spec.outputs must hold a PUT URL for each of {list(OUTPUTS)}")
    texts = [label_text(label) for label in labels] if labels else []
    made = ["prediction", *(f"probability_{text}" for text in texts)]
    clashes = sorted(set(ids) & set(made)) or sorted({name for name in made if made.count(name) > 1})
    if clashes:
        raise SpecError(f"spec.id_columns and the result's prediction columns share the names {clashes}")
    return {"classification": problem_type == "Classification", "model": model, "features": features,
            "labels": labels, "texts": texts, "ids": ids, "target": target and target["column_name"],
            "files": files, "outputs": outputs}


def predicted_fields(job: dict) -> list[pa.Field]:
    if not job["classification"]:
        return [pa.field("prediction", pa.float64())]
    return [pa.field("prediction", pa.string()),
            *(pa.field(f"probability_{text}", pa.float64()) for text in job["texts"])]


def predicted(session, job: dict, batch: pa.RecordBatch) -> tuple[list[pa.Array], np.ndarray | None]:
    """The prediction columns of the batch's rows, and the class indices (Classification)."""
    outputs = onnx_export.run(session, tabular.feature_frame(batch.to_pandas(), job["features"]))
    if not job["classification"]:
        return [pa.array(outputs[0].ravel().astype(np.float64))], None
    index, probabilities = outputs[0].ravel(), outputs[1]
    if probabilities.shape[1] != len(job["labels"]):
        raise ValueError(f"the model has {probabilities.shape[1]} classes, spec.labels {len(job['labels'])}")
    texts = np.array(job["texts"], dtype=object)
    return ([pa.array(texts[index], pa.string())]
            + [pa.array(probabilities[:, k].astype(np.float64)) for k in range(len(texts))]), index


def matches(batch: pa.RecordBatch, target: str, labels: list, index: np.ndarray) -> tuple[int, int]:
    """(rows with a target, rows whose predicted class is that target); a target no class has counts as wrong."""
    actual = batch.column(target).to_pandas()
    codes = actual.map({label: k for k, label in enumerate(labels)})
    present = actual.notna().to_numpy()
    return int(present.sum()), int((present & (codes.to_numpy(dtype=np.float64, na_value=-1) == index)).sum())


class Written:
    """The result rows, appended to a CSV and a Parquet file in `folder` as they come, and the accuracy counts."""

    def __init__(self, folder: str):
        self.paths = {name: os.path.join(folder, name) for name in OUTPUTS}
        self.writers: list = []
        self.schema: pa.Schema | None = None
        self.records = self.labelled = self.correct = 0

    def open(self, schema: pa.Schema) -> None:
        """Starts both files with the schema of the first data file's result: later batches are cast to it."""
        if self.schema is None:
            self.schema = schema
            self.writers = [pq.ParquetWriter(self.paths["result.parquet"], schema),
                            pacsv.CSVWriter(self.paths["result.csv"], schema)]

    def append(self, columns: list[pa.Array]) -> None:
        table = pa.Table.from_arrays(columns, names=self.schema.names).cast(self.schema)
        for writer in self.writers:
            writer.write_table(table)
        self.records += table.num_rows

    def close(self) -> None:
        for writer in self.writers:
            writer.close()


def predict_file(session, job: dict, location: str, written: Written) -> None:
    with opened(location, prefix="dmlp-predict-") as source:
        parquet = pq.ParquetFile(source)
        names = parquet.schema_arrow.names
        wanted = list(dict.fromkeys(job["ids"] + [f["column_name"] for f in job["features"]]))
        absent = [name for name in wanted if name not in names]
        if absent:
            raise ValueError(f"{shown(location)} has no column(s) {absent}")
        # Without the source's metadata: its Iceberg field ids would make Iceberg read result.parquet, which the
        # gold table takes as it is, by those ids instead of by name, and find no prediction columns.
        written.open(pa.schema([parquet.schema_arrow.field(name).remove_metadata() for name in job["ids"]]
                               + predicted_fields(job)))
        scored = job["classification"] and job["target"] in names
        read = wanted + ([job["target"]] if scored and job["target"] not in wanted else [])
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=read):
            columns, index = predicted(session, job, batch)
            written.append([batch.column(name) for name in job["ids"]] + columns)
            if scored:
                labelled, correct = matches(batch, job["target"], job["labels"], index)
                written.labelled, written.correct = written.labelled + labelled, written.correct + correct


def run(spec: dict) -> dict:
    job = parse(spec)
    session = onnx_export.session(read_bytes(job["model"]))
    expected = [f["column_name"] for f in job["features"]]
    inputs = [i.name for i in session.get_inputs()]
    if inputs != expected:
        raise ValueError(f"the model's inputs {inputs} are not spec.features {expected}")
    with tempfile.TemporaryDirectory(prefix="dmlp-predict-") as folder:
        written = Written(folder)
        try:
            for location in job["files"]:
                predict_file(session, job, location, written)
        finally:
            written.close()
        upload_file(job["outputs"]["result.csv"], written.paths["result.csv"], "text/csv")
        upload_file(job["outputs"]["result.parquet"], written.paths["result.parquet"])
    return {"no_of_records": written.records,
            "columns": [{"name": field.name, "type": str(field.type)} for field in written.schema],
            "accuracy": written.correct / written.labelled if written.labelled else None,
            "artifacts": list(OUTPUTS)}


def main() -> None:
    run_reported("predict", run, lambda result: f"{result['no_of_records']} rows, accuracy {result['accuracy']}",
                 id_field="prediction_id")


if __name__ == "__main__":
    main()

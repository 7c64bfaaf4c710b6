"""The batch prediction job on models the training job made, its data read and its results written through
presigned URLs of the local S3."""

import io
import json
import uuid

import joblib
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from baselines import binary_data, column, multiclass_data, regression_data
from conftest import Recorder
from dmlp_jobs import onnx_export, predict, tabular, train
from test_train import BUCKET, TABULAR_ARTIFACTS, Store


@pytest.fixture(scope="module")
def store(s3):
    folder = Store(s3)
    yield folder
    folder.remove()


class Model:
    """A model trained by the training job on local files, its graph stored in the test bucket."""

    def __init__(self, store: Store, folder, problem_type: str, data, algorithm: str):
        self.store, (self.frame, columns) = store, data
        self.frame.to_parquet(folder / "data.parquet")
        spec = {"job_id": "j", "train_id": 1, "problem_type": problem_type, "columns": columns,
                "algorithm": algorithm, "files": [str(folder / "data.parquet")], "seed": 3,
                "artifacts": {name: str(folder / name) for name in TABULAR_ARTIFACTS}}
        self.result = train.run(spec)
        self.saved = joblib.load(folder / "model.joblib")
        self.graph = (folder / "model.onnx").read_bytes()
        key = f"{store.prefix}/models/{folder.name}/model.onnx"
        store.s3.put_object(Bucket=BUCKET, Key=key, Body=self.graph)
        self.url = store.s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key},
                                                   ExpiresIn=600)

    def spec(self, frame: pd.DataFrame, prediction_id: int, ids=(), target=None, parts: int = 3) -> dict:
        return {"job_id": f"predict-{prediction_id}", "prediction_id": prediction_id,
                "problem_type": self.result["problem_type"], "model": self.url, "features": self.result["schema"],
                "labels": self.result["metrics"].get("labels"), "id_columns": list(ids),
                "target": target and self.result["target"], "files": self.store.put_frame(frame, parts),
                "outputs": self.store.artifact_urls(f"predictions/{prediction_id}", predict.OUTPUTS)}

    def expected(self, frame: pd.DataFrame) -> list[np.ndarray]:
        """The graph's outputs for the same rows, in one go."""
        return onnx_export.run(self.graph, tabular.feature_frame(frame, self.saved["features"]))

    def written(self, prediction_id: int) -> tuple[pd.DataFrame, pd.DataFrame, str]:
        folder = f"predictions/{prediction_id}"
        csv = self.store.read(folder, "result.csv").decode()
        return (pq.read_table(io.BytesIO(self.store.read(folder, "result.parquet"))).to_pandas(),
                pd.read_csv(io.StringIO(csv)), csv.splitlines()[0])


@pytest.fixture(scope="module")
def binary(store, tmp_path_factory):
    return Model(store, tmp_path_factory.mktemp("binary"), "Classification", binary_data(), "LightGBM")


@pytest.fixture(scope="module")
def regression(store, tmp_path_factory):
    return Model(store, tmp_path_factory.mktemp("regression"), "Regression", regression_data(), "LinearRegression")


def test_classification_predicts_what_the_graph_and_the_trained_pipeline_do_batch_by_batch(binary, monkeypatch):
    monkeypatch.setattr(predict, "BATCH_ROWS", 400)  # 3 files of 1,000 rows: 9 batches, the last of each short
    frame = binary.frame

    result = predict.run(binary.spec(frame, 1, ids=["customer_id", "city"], target=True))

    parquet, csv, header = binary.written(1)
    labels, probabilities = binary.expected(frame)
    assert header == '"customer_id","city","prediction","probability_churned","probability_stayed"'
    assert result == {"no_of_records": 3000, "artifacts": ["result.csv", "result.parquet"],
                      "columns": [{"name": "customer_id", "type": "int64"}, {"name": "city", "type": "string"},
                                  {"name": "prediction", "type": "string"},
                                  {"name": "probability_churned", "type": "double"},
                                  {"name": "probability_stayed", "type": "double"}],
                      "accuracy": pytest.approx(float((parquet["prediction"] == frame["churn"]).mean()))}
    assert parquet["customer_id"].tolist() == frame["customer_id"].tolist()
    assert parquet["city"].tolist() == frame["city"].tolist()  # missing values stay missing
    assert parquet["prediction"].tolist() == [["churned", "stayed"][k] for k in labels.ravel()]
    assert np.array_equal(parquet[["probability_churned", "probability_stayed"]].to_numpy(), probabilities)
    native = binary.saved["pipeline"].predict_proba(tabular.feature_frame(frame, binary.saved["features"]))
    assert np.abs(parquet[["probability_churned", "probability_stayed"]].to_numpy() - native).max() <= 1e-4
    assert 0.8 < result["accuracy"] < 1
    assert csv["prediction"].tolist() == parquet["prediction"].tolist()
    assert np.allclose(csv["probability_stayed"], parquet["probability_stayed"], rtol=1e-12, atol=0)


def test_regression_predicts_floats_and_has_no_accuracy(regression):
    frame = regression.frame.drop(columns=["price"])

    result = predict.run(regression.spec(frame, 2, parts=1))

    parquet, csv, header = regression.written(2)
    assert header == '"prediction"'
    assert result["columns"] == [{"name": "prediction", "type": "double"}] and result["accuracy"] is None
    assert np.array_equal(parquet["prediction"].to_numpy(), regression.expected(frame)[0].ravel())
    native = regression.saved["pipeline"].predict(tabular.feature_frame(frame, regression.saved["features"]))
    assert np.abs(parquet["prediction"].to_numpy() - native).max() <= 1e-4 * 60
    assert len(csv) == result["no_of_records"] == 2000


def test_accuracy_counts_only_rows_with_a_target_and_integer_labels_match(store, tmp_path):
    frame, columns = multiclass_data(600)
    model = Model(store, tmp_path, "Classification", (frame, columns), "LogisticRegression")
    scored = frame.assign(grade=pd.array(frame["grade"].where(np.arange(600) % 3 != 0), dtype="Int64"))

    result = predict.run(model.spec(scored, 3, target=True))

    parquet, _, header = model.written(3)
    assert header == '"prediction","probability_1","probability_2","probability_3"'
    present = scored["grade"].notna()
    expected = (parquet["prediction"][present] == scored["grade"][present].astype(str)).mean()
    assert result["accuracy"] == pytest.approx(expected) and 0.5 < expected < 1


def test_the_result_has_no_field_ids_of_the_silver_files_it_copies_ids_from(binary, store):
    """Silver's data files carry Iceberg field ids; result.parquet, registered in the gold table as it is, must carry
    none, or Iceberg reads it by those ids instead of by name and finds no prediction columns."""
    frame = binary.frame.head(50)
    plain = pa.Table.from_pandas(frame, preserve_index=False)
    with_ids = pa.schema([field.with_metadata({b"PARQUET:field_id": str(number).encode()})
                          for number, field in enumerate(plain.schema, start=1)])
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(plain.columns, schema=with_ids), buffer)
    key = f"{store.prefix}/data/{uuid.uuid4().hex}-with-ids.parquet"
    store.s3.put_object(Bucket=BUCKET, Key=key, Body=buffer.getvalue())
    spec = binary.spec(frame, 11, ids=["customer_id"]) | {"files": [store.s3.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=600)]}
    assert pq.read_schema(io.BytesIO(buffer.getvalue())).field("customer_id").metadata == {b"PARQUET:field_id": b"1"}

    predict.run(spec)

    written = pq.read_schema(io.BytesIO(store.read("predictions/11", "result.parquet")))
    assert written.names[:2] == ["customer_id", "prediction"]
    assert [field.metadata for field in written] == [None] * len(written)


@pytest.fixture()
def job(run_job):
    return lambda spec: run_job(predict.main, spec)


def test_main_posts_the_result_under_the_prediction_id(job, regression):
    code, payload = job(regression.spec(regression.frame.head(50), 4, parts=1))

    assert code == 0
    assert payload.keys() == {"job_id", "prediction_id", "status", "result", "error"}
    assert (payload["job_id"], payload["prediction_id"], payload["status"], payload["error"]) == (
        "predict-4", 4, "succeeded", None)
    assert payload["result"]["no_of_records"] == 50


def test_files_without_a_feature_column_fail_the_job_naming_it(job, binary):
    spec = binary.spec(binary.frame.drop(columns=["income", "score"]), 5, ids=["customer_id"])

    code, payload = job(spec)

    assert code not in (0, None)
    assert (payload["status"], payload["result"]) == ("failed", None)
    assert payload["error"].startswith("ValueError: http") and "has no column(s) ['income', 'score']" in \
        payload["error"] and "Signature" not in payload["error"]
    assert binary.store.listed("predictions/5") == []


def spec_with(**changes) -> dict:
    spec = {"job_id": "j", "prediction_id": 1, "problem_type": "Classification", "model": "m.onnx",
            "features": [{"column_name": "x", "data_type": "Float"}], "labels": ["a", "b"], "id_columns": [],
            "target": None, "files": ["f.parquet"], "outputs": {"result.csv": "r.csv", "result.parquet": "r.pq"}}
    return spec | changes


@pytest.mark.parametrize("spec, reason", [
    (spec_with(prediction_id="1"), "spec.prediction_id is missing or not a int"),
    (spec_with(problem_type="Forecast"), "spec.problem_type 'Forecast' is not one of"),
    (spec_with(features=[]), "spec.features is empty"),
    (spec_with(features=[column("x", "Decimal")]), "needs a column_name and a data_type"),
    (spec_with(labels=None), "spec.labels must list the classes"),
    (spec_with(problem_type="Regression"), "spec.labels must be null for Regression"),
    (spec_with(id_columns=["id", "id"]), "distinct column names"),
    (spec_with(id_columns=["prediction"]), "share the names ['prediction']"),
    (spec_with(target="y"), "spec.target must be null or"),
    (spec_with(files=[]), "spec.files must list"),
    (spec_with(outputs={"result.csv": "r.csv"}), "spec.outputs must hold a PUT URL"),
])
def test_specs_that_cannot_run_are_refused_with_the_field(spec, reason):
    with pytest.raises(predict.SpecError) as refused:
        predict.parse(spec)
    assert reason in str(refused.value)


def test_a_bad_spec_fails_the_job_before_reading_anything(job):
    code, payload = job(spec_with(model="http://127.0.0.1:9/never.onnx", labels=["a"]))

    assert code not in (0, None)
    assert (payload["prediction_id"], payload["status"]) == (1, "failed")
    assert payload["error"] == "SpecError: spec.labels must list the classes (at least 2) for Classification"


def test_boolean_labels_read_as_json_does():
    assert [predict.label_text(label) for label in [False, True, 3, "x"]] == ["false", "true", "3", "x"]


def test_the_job_predicts_on_the_ray_head_and_reports_through_the_callback(regression, callback_base):
    """As inference-service submits it: our package as working_dir, the spec and the credential as env vars."""
    from test_ray_cluster import submitted

    spec = regression.spec(regression.frame.head(300), 8, ids=["kind"], parts=2)
    env = {"DMLP_JOB_SPEC": json.dumps(spec), "DMLP_CALLBACK_URL": f"{callback_base}/api/v1/predictions/result",
           "DMLP_CALLBACK_TOKEN": "ray-predict-secret"}

    status, logs = submitted("python -m dmlp_jobs.predict", f"dmlp-predict-test-{uuid.uuid4().hex[:12]}", env, 240)

    assert status == "SUCCEEDED", logs
    [(authorization, payload)] = Recorder.received
    assert authorization == "Bearer ray-predict-secret" and (payload["status"], payload["error"]) == ("succeeded", None)
    assert payload["prediction_id"] == 8 and payload["result"]["no_of_records"] == 300
    assert regression.store.listed("predictions/8") == ["result.csv", "result.parquet"]
    assert "ray-predict-secret" not in logs and "X-Amz-Signature" not in logs


def test_dates_and_boolean_labels_predict_as_trained(store, tmp_path):
    random = np.random.default_rng(4)
    start = pd.Timestamp("2024-01-01", tz="UTC")
    offsets = random.integers(0, 365, 500)
    hours = offsets * 24 + random.integers(0, 24, 500)
    frame = pd.DataFrame({"seen": [start + pd.Timedelta(hours=int(h)) for h in hours],
                          "joined": [(start + pd.Timedelta(days=int(d))).date() for d in random.integers(0, 365, 500)],
                          "renewed": offsets > 180})
    columns = [column("seen", "DateTime"), column("joined", "Date"), column("renewed", "Boolean", "Target")]
    model = Model(store, tmp_path, "Classification", (frame, columns), "RandomForest")

    result = predict.run(model.spec(frame, 10, ids=["seen"], target=True, parts=2))

    parquet, csv, header = model.written(10)
    assert header == '"seen","prediction","probability_false","probability_true"'
    assert result["columns"][0] == {"name": "seen", "type": "timestamp[ns, tz=UTC]"}
    assert parquet["seen"].tolist() == frame["seen"].tolist()
    labels = model.expected(frame)[0].ravel()
    assert parquet["prediction"].tolist() == [["false", "true"][k] for k in labels]
    assert result["accuracy"] == pytest.approx(float((labels == frame["renewed"]).mean())) and result["accuracy"] > 0.9
    assert pd.to_datetime(csv["seen"]).tolist() == frame["seen"].tolist()

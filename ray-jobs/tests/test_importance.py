"""The SHAP job on models the training job made, with the data and the model read through presigned URLs of the
local S3, as on the platform: the columns that make the target rank above the noise, whatever the explainer."""

import io
import json
import uuid

import joblib
import numpy as np
import pandas as pd
import pytest
import shap
from sklearn.ensemble import HistGradientBoostingClassifier

from baselines import binary_data, column, multiclass_data, regression_data
from conftest import Recorder
from dmlp_jobs import importance, tabular, train
from test_train import BUCKET, Dataset, TABULAR_ARTIFACTS, store  # noqa: F401 (store: the fixture)

ROWS = 200  # explained per model: enough to rank, and the forest stays quick
BINARY_SIGNAL = ["score", "age", "income", "city", "member"]  # score acts through its square only
BINARY_NOISE = [*(f"noise_{i}" for i in range(6)), "noise_code"]


class Trained:
    """A dataset in the test bucket and the models the training job made from it, each trained once."""

    def __init__(self, data: Dataset):
        self.data, self.models = data, {}

    def model_url(self, algorithm: str) -> str:
        if algorithm not in self.models:
            spec = self.data.spec(algorithm)
            train.run(spec)
            self.models[algorithm] = self.data.store.s3.generate_presigned_url(
                "get_object", ExpiresIn=600,
                Params={"Bucket": BUCKET, "Key": f"{self.data.store.prefix}/{spec['train_id']}/model.joblib"})
        return self.models[algorithm]

    def spec(self, algorithm: str, **extra) -> dict:
        return {"job_id": f"shap-{algorithm}", "train_id": 42, "problem_type": self.data.problem_type,
                "columns": self.data.columns, "files": self.data.files, "model": self.model_url(algorithm),
                "sample_rows": ROWS, "seed": 3, **extra}


@pytest.fixture(scope="module")
def binary(store):
    return Trained(Dataset(store, "Classification", *binary_data(1500)))  # a smaller forest explains quicker


@pytest.fixture(scope="module")
def multiclass(store):
    return Trained(Dataset(store, "Classification", *multiclass_data()))


@pytest.fixture(scope="module")
def regression(store):
    return Trained(Dataset(store, "Regression", *regression_data()))


def assert_ranked(result: dict, signal: list[str], noise: list[str]) -> None:
    """Every feature column under its own name, shares summing to 1 in descending order, signal above noise."""
    shares, raw = result["feature_importance"], result["mean_abs_shap"]
    print(f"\n[importance] {result['algorithm']} ({result['explainer']}, {result['rows']} rows): {json.dumps(shares)}")
    assert sorted(shares) == sorted(raw) == sorted(signal + noise)
    assert list(shares) == list(raw) and list(shares.values()) == sorted(shares.values(), reverse=True)
    assert sum(shares.values()) == pytest.approx(1, abs=1e-5)
    total = sum(raw.values())
    assert all(shares[name] == round(raw[name] / total, 6) for name in shares)
    assert min(shares[name] for name in signal) > max(shares[name] for name in noise)


@pytest.mark.parametrize("algorithm, explainer", [("XGBoost", "tree"), ("LightGBM", "tree"), ("RandomForest", "tree"),
                                                  ("LogisticRegression", "linear")])
def test_each_classifier_ranks_the_informative_columns_above_the_noise(binary, algorithm, explainer):
    result = importance.run(binary.spec(algorithm))

    assert (result["algorithm"], result["explainer"], result["rows"]) == (algorithm, explainer, ROWS)
    # a linear model cannot use a column that acts through its square: it gets least of all
    signal = BINARY_SIGNAL if explainer == "tree" else [name for name in BINARY_SIGNAL if name != "score"]
    assert_ranked(result, signal, BINARY_NOISE if explainer == "tree" else [*BINARY_NOISE, "score"])


@pytest.mark.parametrize("algorithm, explainer", [("XGBoost", "tree"), ("LinearRegression", "linear")])
def test_a_regression_model_ranks_the_informative_columns_above_the_noise(regression, algorithm, explainer):
    result = importance.run(regression.spec(algorithm))

    assert (result["algorithm"], result["explainer"], result["rows"]) == (algorithm, explainer, ROWS)
    assert_ranked(result, ["x1", "x2", "kind", "flag"], ["noise"])
    # the linear model's SHAP values are its coefficients times the distance to the background's mean: x1 (3 per
    # unit, sd 1) moves the price more than kind (0, 2, -1 or 4)
    assert result["feature_importance"]["x1"] > result["feature_importance"]["kind"]


def test_a_multiclass_model_averages_the_classes_and_sums_each_columns_one_hot_values(multiclass):
    spec = multiclass.spec("LightGBM")

    result = importance.run(spec)

    assert_ranked(result, ["x1", "x2", "colour", "flag"], ["noise"])
    # Computed here another way: SHAP of the encoded columns, grouped by the encoder's output names.
    model = joblib.load(io.BytesIO(importance.read_bytes(spec["model"])))
    names = [f["column_name"] for f in model["features"]]
    x = tabular.feature_frame(importance.sample(spec["files"], names, ROWS, spec["seed"]), model["features"])
    preprocess, estimator = model["pipeline"].named_steps["preprocess"], model["pipeline"].named_steps["model"]
    values = shap.TreeExplainer(estimator)(preprocess.transform(x)).values
    assert values.shape == (ROWS, 8, 3)  # x1 x2 flag noise, colour's 3 values + "" (missing); 3 classes
    encoded = preprocess.get_feature_names_out()
    for name in names:
        own = [i for i, out in enumerate(encoded)
               if out == f"numeric__{name}" or out.startswith(f"categorical__{name}_")]
        expected = np.abs(values[:, own, :].sum(axis=1)).mean(axis=0).mean()
        assert result["mean_abs_shap"][name] == pytest.approx(expected, rel=1e-9)


def test_any_other_model_is_explained_by_permutation_over_its_original_columns(tmp_path):
    frame, columns = binary_data(1500)
    features = [c for c in columns if c["attribute_name"] == "Feature"]
    x = tabular.feature_frame(frame, features)
    y = (frame["churn"] == "stayed").to_numpy(np.int64)
    pipeline = tabular.pipeline("HistGradientBoosting", HistGradientBoostingClassifier(max_iter=30, random_state=0),
                                features, tabular.categories_of(x, features)).fit(x, y)
    joblib.dump({"format": tabular.MODEL_FORMAT, "problem_type": "Classification", "algorithm": "HistGradientBoosting",
                 "pipeline": pipeline, "features": features, "target": columns[-1], "labels": ["churned", "stayed"]},
                tmp_path / "model.joblib")
    frame.to_parquet(tmp_path / "data.parquet")
    spec = {"job_id": "shap-1", "train_id": 1, "problem_type": "Classification", "columns": columns,
            "files": [str(tmp_path / "data.parquet")], "model": str(tmp_path / "model.joblib"), "sample_rows": 100,
            "background_rows": 50}

    result = importance.run(spec)

    assert (result["explainer"], result["rows"], result["algorithm"]) == ("permutation", 100, "HistGradientBoosting")
    assert_ranked(result, BINARY_SIGNAL, BINARY_NOISE)
    # SHAP values add up to the prediction's distance from the background's mean prediction
    values = importance.permutation({"pipeline": pipeline, "problem_type": "Classification"}, x.head(60), 20, 0)
    gap = pipeline.predict_proba(x.head(60)) - pipeline.predict_proba(x.head(20)).mean(axis=0)
    assert values.shape == (60, 12, 2) and np.abs(values.sum(axis=1) - gap).max() < 1e-9


def test_the_sample_is_seeded_uniform_and_at_most_the_rows_asked_for(tmp_path):
    frame = pd.DataFrame({"n": np.arange(3000), "other": 1.0})
    files = []
    for part, rows in enumerate(np.array_split(np.arange(3000), 3)):
        frame.iloc[rows][["n"]].to_parquet(tmp_path / f"{part}.parquet")
        files.append(str(tmp_path / f"{part}.parquet"))

    first = importance.sample(files, ["n"], 600, seed=5)["n"]

    assert first.tolist() == importance.sample(files, ["n"], 600, seed=5)["n"].tolist()
    assert first.tolist() != importance.sample(files, ["n"], 600, seed=6)["n"].tolist()
    assert len(set(first)) == 600 and list(first) != sorted(first)  # in random order: its head is the background
    per_file = [((first >= low) & (first < low + 1000)).sum() for low in (0, 1000, 2000)]
    assert per_file == pytest.approx([200] * 3, abs=40)
    assert sorted(importance.sample(files, ["n"], 5000, seed=5)["n"]) == list(range(3000))
    with pytest.raises(ValueError, match=r"0.parquet has no column\(s\) \['other'\]"):
        importance.sample(files, ["n", "other"], 10, seed=5)


# The job as Ray runs it: main() and its callback.

@pytest.fixture()
def job(run_job):
    return lambda spec: run_job(importance.main, spec)


def test_main_posts_the_importance_with_the_job_credential(job, regression, capsys):
    spec = regression.spec("XGBoost")

    code, payload = job(spec)

    assert code == 0
    assert payload.keys() == {"job_id", "train_id", "status", "result", "error"}
    assert (payload["job_id"], payload["train_id"], payload["status"], payload["error"]) == (
        "shap-XGBoost", 42, "succeeded", None)
    assert payload["result"].keys() == {"feature_importance", "mean_abs_shap", "explainer", "rows", "algorithm"}
    assert list(payload["result"]["feature_importance"])[0] == "x1"
    assert "shap-secret" not in capsys.readouterr().out


def test_a_bad_spec_fails_the_job_before_reading_anything(job):
    spec = {"job_id": "shap-9", "train_id": 9, "problem_type": "Classification",
            "columns": [column("x", "Float"), column("y", "String", "Target")],
            "files": ["http://127.0.0.1:9/never-read.parquet"], "model": "http://127.0.0.1:9/model.joblib",
            "sample_rows": 10_000}

    code, payload = job(spec)

    assert code not in (0, None)
    assert (payload["job_id"], payload["train_id"], payload["status"], payload["result"]) == (
        "shap-9", 9, "failed", None)
    assert payload["error"] == "SpecError: spec.sample_rows must be an integer from 1 to 5000"


def test_columns_that_are_not_the_models_features_fail_the_job_before_reading_the_data(job, regression):
    spec = regression.spec("LinearRegression", files=["http://127.0.0.1:9/never-read.parquet"])
    spec["columns"] = [c | {"attribute_name": "Ignore"} if c["column_name"] == "noise" else c for c in spec["columns"]]

    code, payload = job(spec)

    assert code not in (0, None) and payload["status"] == "failed"
    assert payload["error"].startswith("SpecError: spec.columns: the Feature columns {'x1': 'Float', 'x2': 'Float', "
                                       "'kind': 'String', 'flag': 'Boolean'} are not the model's")
    assert "Signature" not in payload["error"]


def spec_with(**changes) -> dict:
    spec = {"job_id": "j", "train_id": 1, "problem_type": "Regression",
            "columns": [column("x", "Float"), column("y", "Float", "Target")], "files": ["f"], "model": "m"}
    return spec | changes


@pytest.mark.parametrize("spec, reason", [
    (spec_with(job_id=None), "spec.job_id is missing"),
    (spec_with(train_id=True), "spec.train_id is missing"),
    (spec_with(problem_type="Forecast"), "spec.problem_type 'Forecast' is not one of"),
    (spec_with(columns=[column("y", "Float", "Target")]), "0 Feature column(s)"),
    (spec_with(columns=[column("x", "Decimal")]), "data_type 'Decimal'"),
    (spec_with(columns=[column("x", "Float", "Timestamp")]), "attribute_name 'Timestamp'"),
    (spec_with(columns=[column("x", "Float"), column("x", "Float")]), "twice"),
    (spec_with(files=[]), "spec.files must list"),
    (spec_with(model=None), "spec.model is missing"),
    (spec_with(sample_rows=0), "spec.sample_rows must be an integer from 1 to 5000"),
    (spec_with(background_rows=1001), "spec.background_rows must be an integer from 1 to 1000"),
    (spec_with(seed=-1), "spec.seed"),
])
def test_specs_that_cannot_run_are_refused_with_the_field(spec, reason):
    with pytest.raises(importance.SpecError) as refused:
        importance.parse(spec)
    assert reason in str(refused.value)


def test_the_job_explains_on_the_ray_head_and_reports_through_the_callback(regression, callback_base):
    """As training-service will submit it: our package as working_dir, the spec and the credential as env vars."""
    from test_ray_cluster import submitted

    spec = regression.spec("XGBoost", job_id=f"shap-ray-{uuid.uuid4().hex[:8]}")
    env = {"DMLP_JOB_SPEC": json.dumps(spec), "DMLP_CALLBACK_URL": f"{callback_base}/api/v1/train/shap/result",
           "DMLP_CALLBACK_TOKEN": "ray-shap-secret"}

    status, logs = submitted("python -m dmlp_jobs.importance", f"dmlp-{spec['job_id']}", env, 240)

    assert status == "SUCCEEDED", logs
    [(authorization, payload)] = Recorder.received
    assert authorization == "Bearer ray-shap-secret" and (payload["status"], payload["error"]) == ("succeeded", None)
    assert (payload["result"]["algorithm"], payload["result"]["explainer"]) == ("XGBoost", "tree")
    assert list(payload["result"]["feature_importance"])[0] == "x1"
    assert "ray-shap-secret" not in logs and "X-Amz-Signature" not in logs

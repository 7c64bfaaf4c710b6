"""Forecasting a series ahead from the model the training job stored, through presigned URLs of the local S3."""

import json
import uuid

import joblib
import pandas as pd
import pytest

from baselines import column, forecast_data
from conftest import Recorder
from dmlp_jobs import forecast, forecast_ahead, train
from test_train import BUCKET, FORECAST_ARTIFACTS, Store

LEVEL_KEYS = ["lo_80", "hi_80", "lo_95", "hi_95"]


@pytest.fixture(scope="module")
def store(s3):
    folder = Store(s3)
    yield folder
    folder.remove()


class Model:
    """A forecast model trained by the training job on local files, its model.joblib stored in the test bucket."""

    def __init__(self, store: Store, folder, frame: pd.DataFrame, columns: list[dict]):
        self.store, self.columns, self.folder = store, columns, folder
        frame.to_parquet(folder / "data.parquet")
        self.result = train.run({"job_id": "j", "train_id": 1, "problem_type": "Forecast", "columns": columns,
                                 "algorithm": "AutoETS", "files": [str(folder / "data.parquet")],
                                 "artifacts": {name: str(folder / name) for name in FORECAST_ARTIFACTS}})
        self.fitted = joblib.load(folder / "model.joblib")
        key = f"{store.prefix}/models/{folder.name}/model.joblib"
        store.s3.put_object(Bucket=BUCKET, Key=key, Body=(folder / "model.joblib").read_bytes())
        self.url = store.s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key},
                                                   ExpiresIn=600)

    def spec(self, series: str, steps: int, prediction_id: int, **extra) -> dict:
        return {"job_id": f"ahead-{prediction_id}", "prediction_id": prediction_id, "model": self.url,
                "unique_id": series, "steps": steps, "levels": [80, 95], "exogenous_files": [],
                "columns": self.columns, "output": self.store.artifact_urls(f"ahead/{prediction_id}",
                                                                           ["forecast.json"]), **extra}

    def stored(self, prediction_id: int) -> dict:
        return json.loads(self.store.read(f"ahead/{prediction_id}", "forecast.json"))


@pytest.fixture(scope="module")
def stores(store, tmp_path_factory):
    return Model(store, tmp_path_factory.mktemp("stores"), *forecast_data())


def test_forecasts_a_series_beyond_the_stored_horizon_as_statsforecast_does(stores):
    result = forecast_ahead.run(stores.spec("north", 40, 1))

    assert result == stores.stored(1)
    assert (result["series"], result["freq"], result["levels"], result["exogenous_used"]) == (
        "north", "D", [80, 95], False)
    assert [p["ds"] for p in result["points"]] == [d.isoformat() for d in pd.date_range("2024-05-30", periods=40)]
    direct = stores.fitted.predict(h=40, level=[80, 95])
    direct = direct[direct["unique_id"] == "north"]
    assert [p["forecast"] for p in result["points"]] == pytest.approx(direct["AutoETS"].tolist(), rel=1e-12)
    assert [p["hi_95"] for p in result["points"]] == pytest.approx(direct["AutoETS-hi-95"].tolist(), rel=1e-12)
    trained = json.loads((stores.folder / "forecast.json").read_text())
    [north] = [s["points"] for s in trained["series"] if s["id"] == "north"]
    # the horizon training stored, then more of it (AutoETS's interval widths depend a little on the horizon)
    assert [(p["ds"], p["forecast"]) for p in result["points"][:14]] == [(p["ds"], p["forecast"]) for p in north]
    assert [p["hi_95"] for p in result["points"][:14]] == pytest.approx([p["hi_95"] for p in north], rel=1e-4)
    for point in result["points"]:
        assert list(point) == ["ds", "forecast", *LEVEL_KEYS]
        assert point["lo_95"] <= point["lo_80"] <= point["forecast"] <= point["hi_80"] <= point["hi_95"]


def test_exogenous_files_choose_the_points_to_report_from_the_series_future_timestamps(stores):
    future = pd.DataFrame({"store": ["north", "north", "south", "north", "north"],
                           "day": [d.date() for d in pd.to_datetime(
                               ["2024-05-29", "2024-06-03", "2024-06-05", "2024-06-01", "2024-06-03"])],
                           "promo": [1.0, 0.0, 1.0, 1.0, 0.0]})
    files = stores.store.put_frame(future, parts=2)

    result = forecast_ahead.run(stores.spec("north", 10, 2, exogenous_files=files))

    assert result["exogenous_used"] is False
    assert [p["ds"] for p in result["points"]] == ["2024-06-01T00:00:00", "2024-06-03T00:00:00"]
    whole = forecast_ahead.run(stores.spec("north", 10, 3))
    assert result["points"] == [whole["points"][2], whole["points"][4]]

    too_far = stores.store.put_frame(future.assign(day=pd.Timestamp("2024-07-01").date()), parts=1)
    with pytest.raises(ValueError, match=r"1 timestamp\(s\) of the exogenous files are not among the 10 D steps "
                                         r"after 2024-05-29T00:00:00: \['2024-07-01T00:00:00'\]"):
        forecast_ahead.run(stores.spec("north", 10, 4, exogenous_files=too_far))


def test_a_model_without_an_id_column_forecasts_its_single_series(store, tmp_path):
    frame, columns = forecast_data()
    model = Model(store, tmp_path, frame[frame["store"] == "east"].drop(columns=["store"]), columns[1:])

    result = forecast_ahead.run(model.spec(forecast.SINGLE_SERIES, 3, 5, levels=[90]))

    assert result["series"] == forecast.SINGLE_SERIES and list(result["points"][0]) == ["ds", "forecast", "lo_90",
                                                                                       "hi_90"]


@pytest.fixture()
def job(run_job):
    return lambda spec: run_job(forecast_ahead.main, spec)


def test_main_posts_the_forecast_under_the_prediction_id(job, stores):
    code, payload = job(stores.spec("south", 2, 6))

    assert code == 0
    assert (payload["job_id"], payload["prediction_id"], payload["status"], payload["error"]) == (
        "ahead-6", 6, "succeeded", None)
    assert payload["result"] == stores.stored(6) and len(payload["result"]["points"]) == 2


def test_an_unknown_series_fails_the_job_naming_it(job, stores):
    code, payload = job(stores.spec("west", 2, 7))

    assert code not in (0, None)
    assert (payload["status"], payload["result"]) == ("failed", None)
    assert payload["error"] == ("ValueError: the model has no series 'west'; its 3 series include "
                                "['east', 'north', 'south']")
    assert stores.store.listed("ahead/7") == []


def spec_with(**changes) -> dict:
    spec = {"job_id": "j", "prediction_id": 1, "model": "m.joblib", "unique_id": "a", "steps": 3,
            "columns": forecast_data(10)[1], "output": {"forecast.json": "f.json"}}
    return spec | changes


@pytest.mark.parametrize("spec, reason", [
    (spec_with(prediction_id=None), "spec.prediction_id is missing"),
    (spec_with(unique_id=3), "spec.unique_id is missing or not a str"),
    (spec_with(steps=0), "spec.steps must be from 1 to 10000"),
    (spec_with(steps=True), "spec.steps is missing or not a int"),
    (spec_with(levels=[80, 100]), "spec.levels must list integer interval levels"),
    (spec_with(exogenous_files="x.parquet"), "spec.exogenous_files must list URLs"),
    (spec_with(columns=[column("y", "Float", "Target")]), "0 Timestamp column(s) for Forecast"),
    (spec_with(output={"result.csv": "r"}), "spec.output must hold the PUT URL of forecast.json"),
])
def test_specs_that_cannot_run_are_refused_with_the_field(spec, reason):
    with pytest.raises(forecast_ahead.SpecError) as refused:
        forecast_ahead.parse(spec)
    assert reason in str(refused.value)


def test_the_job_forecasts_on_the_ray_head_and_reports_through_the_callback(stores, callback_base):
    """As inference-service submits it: our package as working_dir, the spec and the credential as env vars."""
    from test_ray_cluster import submitted

    spec = stores.spec("east", 21, 9)
    env = {"DMLP_JOB_SPEC": json.dumps(spec), "DMLP_CALLBACK_URL": f"{callback_base}/api/v1/predictions/result",
           "DMLP_CALLBACK_TOKEN": "ray-ahead-secret"}

    status, logs = submitted("python -m dmlp_jobs.forecast_ahead", f"dmlp-ahead-test-{uuid.uuid4().hex[:12]}", env,
                             240)

    assert status == "SUCCEEDED", logs
    [(authorization, payload)] = Recorder.received
    assert authorization == "Bearer ray-ahead-secret" and (payload["status"], payload["error"]) == ("succeeded", None)
    assert payload["prediction_id"] == 9 and payload["result"] == stores.stored(9)
    assert len(payload["result"]["points"]) == 21
    assert "ray-ahead-secret" not in logs and "X-Amz-Signature" not in logs

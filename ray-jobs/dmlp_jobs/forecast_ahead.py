"""Forecasting one series further ahead than training stored: the job inference-service submits as
`python -m dmlp_jobs.forecast_ahead`.

The spec is JSON in DMLP_JOB_SPEC:
    {"job_id": str, "prediction_id": int,
     "model": presigned GET URL of the training run's model.joblib (a fitted StatsForecast, see dmlp_jobs.forecast),
     "unique_id": the series' id as a string (dmlp_jobs.forecast.SINGLE_SERIES when training had no Id column),
     "steps": int from 1 to 10000, "levels": [int, ...] interval levels within (0, 100) (default [80, 95]),
     "exogenous_files": [presigned GET URL of a Parquet file, ...] (default []),
     "columns": the training spec's columns with their roles (see dmlp_jobs.train),
     "output": {"forecast.json": presigned PUT URL}}

The series' model, as training fitted it on every row, forecasts the `steps` points after the series' last
timestamp, with an interval at each level. Training does not use Exogenous columns yet, so no future values are
read: given exogenous files, only their timestamps for the series (the Timestamp column, on the rows whose Id
column is the series; every row without an Id column) are: the points are then those of the files' timestamps
after the series' end, each of which must be one of the `steps` forecast points.

The result, PUT to forecast.json and POSTed as the callback's `result`:
    {"series": the unique_id, "freq": the pandas frequency alias, "levels": [...], "exogenous_used": false,
     "points": [{"ds": ISO date-time, "forecast", "lo_<level>", "hi_<level>", ...}, ...]}
The callback body is {"job_id", "prediction_id", "status", "result", "error"} (see dmlp_jobs.callback).
"""

from __future__ import annotations

import io
import json

import joblib
import pandas as pd
from statsforecast import StatsForecast

from dmlp_jobs import forecast
from dmlp_jobs.callback import run_reported
from dmlp_jobs.failures import SpecError, required
from dmlp_jobs.jsonable import plain
from dmlp_jobs.train import grouped, read_rows
from dmlp_jobs.transfer import read_bytes, upload

MAX_STEPS = 10_000


def parse(spec: dict) -> dict:
    required(spec, "job_id", str)
    required(spec, "prediction_id", int)
    model = required(spec, "model", str)
    series = required(spec, "unique_id", str)
    steps = required(spec, "steps", int)
    if not 1 <= steps <= MAX_STEPS:
        raise SpecError(f"spec.steps must be from 1 to {MAX_STEPS}")
    levels = spec.get("levels", list(forecast.LEVELS))
    if not isinstance(levels, list) or not levels or not all(
            isinstance(level, int) and not isinstance(level, bool) and 0 < level < 100 for level in levels):
        raise SpecError("spec.levels must list integer interval levels within (0, 100)")
    files = spec.get("exogenous_files") or []
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise SpecError("spec.exogenous_files must list URLs")
    roles = grouped(required(spec, "columns", list), "Forecast")
    output = required(spec, "output", dict)
    if not isinstance(output.get("forecast.json"), str):
        raise SpecError("spec.output must hold the PUT URL of forecast.json")
    return {"model": model, "series": series, "steps": steps, "levels": sorted(set(levels)), "files": files,
            "id": roles.get("Id", [{}])[0].get("column_name"), "timestamp": roles["Timestamp"][0]["column_name"],
            "output": output["forecast.json"]}


def position_of(fitted: StatsForecast, series: str) -> int:
    known = fitted.uids.tolist()
    if series not in known:
        raise ValueError(f"the model has no series {series!r}; its {len(known)} series include {known[:10]}")
    return known.index(series)


def ahead(fitted: StatsForecast, position: int, steps: int, levels: list[int]) -> pd.DataFrame:
    """The next `steps` points of the series at `position`, as StatsForecast.predict gives them, from that series'
    model alone (predict would forecast every series)."""
    name = fitted.models[0].alias
    values = fitted.fitted_[position, 0].predict(h=steps, level=levels)
    dates = pd.date_range(fitted.last_dates[position], periods=steps + 1, freq=fitted.freq)[1:]
    return pd.DataFrame({"ds": dates, name: values["mean"],
                         **{f"{name}-{side}-{level}": values[f"{side}-{level}"]
                            for level in levels for side in ("lo", "hi")}})


def future_timestamps(job: dict, after: pd.Timestamp) -> list[pd.Timestamp]:
    """The series' timestamps in the exogenous files after `after`, sorted, once each."""
    names = [job["timestamp"]] + ([job["id"]] if job["id"] else [])
    rows = read_rows(job["files"], names)
    if job["id"]:
        rows = rows[rows[job["id"]].astype(str) == job["series"]]
    times = forecast.instants(rows[job["timestamp"]]).dropna()
    return sorted(set(times[times > after]))


def run(spec: dict) -> dict:
    job = parse(spec)
    fitted = joblib.load(io.BytesIO(read_bytes(job["model"])))
    if not isinstance(fitted, StatsForecast):
        raise ValueError("the model is not a forecast model (a fitted StatsForecast)")
    position = position_of(fitted, job["series"])
    rows = ahead(fitted, position, job["steps"], job["levels"])
    if job["files"]:
        last = fitted.last_dates[position]
        wanted = future_timestamps(job, last)
        if not wanted:
            raise ValueError(f"the exogenous files hold no timestamp after {last.isoformat()} for series "
                             f"{job['series']!r}")
        outside = [stamp.isoformat() for stamp in wanted if stamp not in set(rows["ds"])]
        if outside:
            raise ValueError(f"{len(outside)} timestamp(s) of the exogenous files are not among the {job['steps']} "
                             f"{fitted.freq} steps after {last.isoformat()}: {outside[:5]}")
        rows = rows[rows["ds"].isin(wanted)]
    result = plain({"series": job["series"], "freq": fitted.freq, "levels": job["levels"], "exogenous_used": False,
                    "points": forecast.points(rows, fitted.models[0].alias, job["levels"])})
    upload(job["output"], json.dumps(result, allow_nan=False).encode(), "application/json")
    return result


def main() -> None:
    run_reported("forecast_ahead", run, lambda result: f"{result['series']}: {len(result['points'])} points",
                 id_field="prediction_id")


if __name__ == "__main__":
    main()

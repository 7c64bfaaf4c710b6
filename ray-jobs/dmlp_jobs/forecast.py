"""Forecasting with statsforecast: one model per series (the Id column, or one series without it).

The rows are ordered by time. The last `horizon` points of every series are the hold-out; `auto` chooses on the
`horizon` points before them. The chosen model is then refitted on every row, and its forecast for the next
`horizon` points, with 80% and 95% intervals, is stored (forecast.json) with the fitted models (model.joblib: a
StatsForecast whose predict(h, level) forecasts any horizon).

Metrics, pooled over the hold-outs of all series: MAPE and sMAPE in percent (MAPE over non-zero actuals), and MASE:
each series' mean absolute error over that of the in-sample seasonal naive forecast (lag season_length), averaged
over the series. The seasonal naive forecast's own hold-out figures are reported beside them.
"""

from __future__ import annotations

import io
import json
import time

import joblib
import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

MODELS = {"AutoARIMA": AutoARIMA, "AutoETS": AutoETS, "AutoTheta": AutoTheta, "SeasonalNaive": SeasonalNaive}
LEVELS = (80, 95)
SEASONS = {"h": 24, "D": 7, "B": 5, "W": 52, "M": 12, "ME": 12, "MS": 12, "Q": 4, "QE": 4, "QS": 4}
SINGLE_SERIES = "series"


def model(name: str, season_length: int):
    return MODELS[name](season_length=season_length)


def instants(values: pd.Series) -> pd.Series:
    """Timestamps as the models see them: in UTC, without a zone."""
    return pd.to_datetime(values, utc=True).dt.tz_localize(None)


def series_frame(frame: pd.DataFrame, job: dict) -> pd.DataFrame:
    """unique_id, ds, y ordered by series and time; rows without a target or a time are left out."""
    roles = job["roles"]
    ids = roles.get("Id", [])
    data = pd.DataFrame({
        "unique_id": frame[ids[0]["column_name"]].astype(str) if ids else SINGLE_SERIES,
        "ds": instants(frame[roles["Timestamp"][0]["column_name"]]),
        "y": pd.to_numeric(frame[job["target"]["column_name"]], errors="raise").astype("float64")})
    data = data.dropna().sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    duplicated = data.duplicated(["unique_id", "ds"])
    if duplicated.any():
        raise ValueError(f"{int(duplicated.sum())} row(s) repeat a series' timestamp")
    return data


def frequency(data: pd.DataFrame) -> str:
    if len(data) < 3:
        raise ValueError(f"{len(data)} row(s) have a timestamp and a target: a frequency needs at least 3")
    longest = data.groupby("unique_id")["ds"].size().idxmax()
    freq = pd.infer_freq(data.loc[data["unique_id"] == longest, "ds"])
    if freq is None:
        raise ValueError("the timestamps are not evenly spaced: no frequency can be inferred")
    return freq


def season_of(freq: str) -> int:
    base = pd.tseries.frequencies.to_offset(freq).name.split("-")[0]
    return SEASONS.get(base, SEASONS.get(base.upper(), 1))


def split(data: pd.DataFrame, horizon: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(everything but the last `horizon` points of each series, those points)."""
    position = data.groupby("unique_id").cumcount(ascending=False)
    return data[position >= horizon].reset_index(drop=True), data[position < horizon].reset_index(drop=True)


def predicted(name: str, season_length: int, freq: str, history: pd.DataFrame, horizon: int) -> pd.DataFrame:
    engine = StatsForecast(models=[model(name, season_length)], freq=freq, n_jobs=1)
    return engine.forecast(df=history, h=horizon).rename(columns={name: "forecast"})


def points(rows: pd.DataFrame, name: str, levels) -> list[dict]:
    """A forecast's rows as StatsForecast gives them (ds, <name>, <name>-lo-<level>, <name>-hi-<level>) as
    [{"ds": ISO date-time, "forecast", "lo_<level>", "hi_<level>"...}]."""
    return [{"ds": row["ds"].isoformat(), "forecast": float(row[name]),
             **{f"{side}_{level}": float(row[f"{name}-{side}-{level}"]) for level in levels for side in ("lo", "hi")}}
            for _, row in rows.iterrows()]


def metrics(history: pd.DataFrame, actual: pd.DataFrame, forecast: pd.DataFrame, season_length: int) -> dict:
    joined = actual.merge(forecast[["unique_id", "ds", "forecast"]], on=["unique_id", "ds"], how="left")
    if joined["forecast"].isna().any():
        raise ValueError("the forecast does not cover the hold-out timestamps")
    error = (joined["y"] - joined["forecast"]).abs()
    nonzero = joined["y"] != 0
    denominator = joined["y"].abs() + joined["forecast"].abs()
    scaled = []
    for series, rows in joined.groupby("unique_id"):
        past = history.loc[history["unique_id"] == series, "y"].to_numpy()
        scale = np.abs(past[season_length:] - past[:-season_length]).mean() if len(past) > season_length else 0.0
        if scale > 0:
            scaled.append((rows["y"] - rows["forecast"]).abs().mean() / scale)
    return {"mape": float((error[nonzero] / joined["y"][nonzero].abs()).mean() * 100) if nonzero.any() else None,
            "smape": float((200 * error / denominator.where(denominator > 0)).fillna(0).mean()),
            "mase": float(np.mean(scaled)) if scaled else None,
            "mae": float(error.mean()), "rows": len(joined), "series": int(joined["unique_id"].nunique())}


def better(candidate: dict, incumbent: dict | None) -> bool:
    """MASE decides (sMAPE when MASE is undefined); ties go to the one tried first."""
    def key(c):
        return c["score"] if c["score"] is not None else float("inf")
    return incumbent is None or key(candidate) < key(incumbent)


def train(job: dict, read_rows) -> tuple[dict, dict[str, bytes]]:
    roles = job["roles"]
    used = [c["column_name"] for role in ("Id", "Timestamp", "Target") for c in roles.get(role, [])]
    data = series_frame(read_rows(job["files"], used), job)
    freq = frequency(data)
    season_length = job["season_length"] or season_of(freq)
    horizon = job["horizon"] or (2 * season_length if season_length > 1 else 12)
    algorithm, candidates = job["algorithm"], []
    shortest = int(data.groupby("unique_id").size().min()) if len(data) else 0
    needed = horizon * (3 if algorithm == "auto" else 2) + season_length
    if shortest < needed:
        raise ValueError(f"a series has {shortest} points: {needed} are needed for a horizon of {horizon} "
                         f"with a season of {season_length}")
    history, holdout = split(data, horizon)
    if algorithm == "auto":
        fit_rows, valid_rows = split(history, horizon)
        chosen = None
        for name in MODELS:
            started = time.monotonic()
            scores = metrics(fit_rows, valid_rows, predicted(name, season_length, freq, fit_rows, horizon),
                             season_length)
            candidate = {"algorithm": name, "metric": "mase" if scores["mase"] is not None else "smape",
                         "score": scores["mase"] if scores["mase"] is not None else scores["smape"],
                         "fit_seconds": round(time.monotonic() - started, 3)}
            candidates.append(candidate)
            chosen = candidate if better(candidate, chosen) else chosen
        algorithm = chosen["algorithm"]
    started = time.monotonic()
    scores = metrics(history, holdout, predicted(algorithm, season_length, freq, history, horizon), season_length)
    fit_seconds = time.monotonic() - started
    naive = metrics(history, holdout, predicted("SeasonalNaive", season_length, freq, history, horizon),
                    season_length)
    scores["baseline_seasonal_naive"] = {key: naive[key] for key in ("mape", "smape", "mase", "mae")}

    final = StatsForecast(models=[model(algorithm, season_length)], freq=freq, n_jobs=1).fit(df=data)
    ahead = final.predict(h=horizon, level=list(LEVELS))
    stored = {"horizon": horizon, "freq": freq, "season_length": season_length, "levels": list(LEVELS),
              "series": [{"id": series, "points": points(rows, algorithm, LEVELS)}
                         for series, rows in ahead.groupby("unique_id", sort=True)]}
    schema = [{"column_name": c["column_name"], "data_type": c["data_type"]}
              for role in ("Id", "Timestamp", "Target") for c in roles.get(role, [])]
    result = {"problem_type": "Forecast", "algorithm": algorithm, "metrics": scores, "candidates": candidates,
              "parity": None, "schema": schema,
              "unused_columns": [c["column_name"] for c in roles.get("Exogenous", [])],
              "forecast": {"horizon": horizon, "freq": freq, "season_length": season_length,
                           "series": scores["series"], "levels": list(LEVELS)},
              "rows": {"train": len(history), "holdout": len(holdout)}, "fit_seconds": round(fit_seconds, 3)}
    buffer = io.BytesIO()
    joblib.dump(final, buffer)
    made = {"model.joblib": buffer.getvalue(),
            "forecast.json": json.dumps(stored, allow_nan=False, default=float).encode(),
            "metrics.json": json.dumps(result, allow_nan=False).encode()}
    return result, made

"""The quality bar of the training job: generated datasets and the direct scikit-learn / XGBoost / LightGBM /
statsforecast scripts the job is held to on the same split.

Shared by ray-jobs/tests/test_train.py (the job run in-process) and e2e/test_training_quality.py (the job run
through the platform, its data uploaded as CSV), so both hold the job to the same baselines. Nothing here needs
pytest or a running service.
"""

import json

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive
from xgboost import XGBClassifier, XGBRegressor

ACCURACY_POINT = 0.01  # the job reaches a direct classifier's accuracy within one point
RMSE_SHARE = 1.01  # a direct regressor's RMSE (and a direct forecast's MASE) within 1%


def column(name, data_type, role="Feature"):
    return {"column_name": name, "data_type": data_type, "attribute_name": role}


def with_missing(random, values, share):
    values = pd.Series(values, dtype=object)
    values[random.random(len(values)) < share] = None
    return values


def binary_data(rows=3000):
    """Churn: strings, booleans, integers and floats with missing values; five informative columns (one of them
    through a square, which linear models cannot see) among seven of noise."""
    random = np.random.default_rng(5)
    age = random.integers(18, 80, rows)
    income = random.lognormal(10, 0.5, rows)
    city = random.choice(["Paris", "Lyon", "Oslo", "Rome", "Kyiv"], rows)
    member = random.random(rows) < 0.4
    score = random.normal(0, 1, rows)
    city_effect = pd.Series(city).map({"Paris": 0.8, "Lyon": -0.4, "Oslo": 0.0, "Rome": -0.9, "Kyiv": 0.5})
    logit = (0.04 * (age - 50) + 1.2 * (np.log(income) - 10) + city_effect + 1.0 * member
             + 1.5 * (score ** 2 - 1) + random.logistic(0, 0.6, rows))
    frame = pd.DataFrame({
        "customer_id": np.arange(rows),
        "age": pd.array(with_missing(random, age, 0.05), dtype="Int64"),
        "income": with_missing(random, income, 0.1).astype(float),
        "city": with_missing(random, city, 0.08),
        "member": pd.array(with_missing(random, member, 0.05), dtype="boolean"),
        "score": score,
        **{f"noise_{i}": random.normal(0, 1, rows) for i in range(6)},
        "noise_code": random.choice([f"c{i:02d}" for i in range(20)], rows),
        "comment": random.choice(["ok", "call back"], rows),
        "churn": np.where(logit > 0, "churned", "stayed")})
    columns = [column("customer_id", "Integer", "Id"), column("age", "Integer"), column("income", "Float"),
               column("city", "String"), column("member", "Boolean"), column("score", "Float"),
               *[column(f"noise_{i}", "Float") for i in range(6)], column("noise_code", "String"),
               column("comment", "String", "Ignore"), column("churn", "String", "Target")]
    return frame, columns


def multiclass_data(rows=2000):
    """Three Integer classes from two numbers, a string and a boolean, with noise and missing values."""
    random = np.random.default_rng(8)
    x1, x2 = random.normal(0, 1, rows), random.normal(0, 1, rows)
    colour = random.choice(["red", "green", "blue"], rows)
    flag = random.random(rows) < 0.5
    shift = pd.Series(colour).map({"red": 1.0, "green": 0.0, "blue": -1.0}).to_numpy()
    scores = np.stack([x1 + shift, x2 - 0.5 * flag, -x1 - x2 + 0.7 * flag]) + random.normal(0, 0.6, (3, rows))
    frame = pd.DataFrame({"x1": with_missing(random, x1, 0.05).astype(float), "x2": x2,
                          "colour": with_missing(random, colour, 0.05), "flag": flag,
                          "noise": random.normal(0, 1, rows), "grade": scores.argmax(axis=0) + 1})
    columns = [column("x1", "Float"), column("x2", "Float"), column("colour", "String"), column("flag", "Boolean"),
               column("noise", "Float"), column("grade", "Integer", "Target")]
    return frame, columns


def regression_data(rows=2000):
    random = np.random.default_rng(9)
    x1, x2 = random.normal(0, 1, rows), random.uniform(-3, 3, rows)
    kind = random.choice(["a", "b", "c", "d"], rows)
    flag = random.random(rows) < 0.3
    price = (3 * x1 + 2 * np.sin(x2) + pd.Series(kind).map({"a": 0, "b": 2, "c": -1, "d": 4}).to_numpy()
             + 2 * flag + random.normal(0, 0.5, rows) + 50)
    frame = pd.DataFrame({"x1": with_missing(random, x1, 0.05).astype(float), "x2": x2,
                          "kind": with_missing(random, kind, 0.05), "flag": flag,
                          "noise": random.normal(0, 1, rows), "price": price})
    columns = [column("x1", "Float"), column("x2", "Float"), column("kind", "String"), column("flag", "Boolean"),
               column("noise", "Float"), column("price", "Float", "Target")]
    return frame, columns


def forecast_data(days=150):
    """Three daily series (store, day, sales) with a weekly season, a trend and noise, rows shuffled."""
    random = np.random.default_rng(4)
    day = pd.date_range("2024-01-01", periods=days, freq="D")
    parts = []
    for number, store in enumerate(["north", "south", "east"]):
        t = np.arange(days)
        sales = (100 + 20 * number + 0.3 * t + 8 * np.sin(2 * np.pi * t / 7 + number)
                 + random.normal(0, 2, days))
        parts.append(pd.DataFrame({"store": store, "day": day.date, "sales": sales}))
    frame = pd.concat(parts, ignore_index=True).sample(frac=1, random_state=1)  # files need not be in order
    columns = [column("store", "String", "Id"), column("day", "Date", "Timestamp"),
               column("sales", "Float", "Target")]
    return frame.reset_index(drop=True), columns


# The direct scripts: their own preprocessing (dummies, medians of the training rows), library defaults.

def direct_split(problem_type: str, frame: pd.DataFrame, columns: list[dict], seed: int):
    """The job's split of the rows in `frame`'s order: rows without a target left out, 20% held out with the seed,
    stratified for classification (classes coded in sorted order, as the job codes them)."""
    features = [c["column_name"] for c in columns if c["attribute_name"] == "Feature"]
    target = next(c["column_name"] for c in columns if c["attribute_name"] == "Target")
    frame = frame[frame[target].notna()]
    x = frame[features].copy()
    strings = [c["column_name"] for c in columns if c["attribute_name"] == "Feature" and c["data_type"] == "String"]
    for name in strings:
        x[name] = x[name].fillna("missing")
    x = pd.get_dummies(x, columns=strings, dtype=float).astype(float)
    y = frame[target].to_numpy()
    if problem_type == "Classification":
        y = np.unique(y, return_inverse=True)[1]
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.2, random_state=seed, stratify=y if problem_type == "Classification" else None)
    medians = x_train.median()
    return x_train.fillna(medians), x_test.fillna(medians), y_train, y_test


DIRECT = {
    "Classification": {"XGBoost": lambda seed: XGBClassifier(random_state=seed),
                       "LightGBM": lambda seed: LGBMClassifier(random_state=seed, verbose=-1),
                       "RandomForest": lambda seed: RandomForestClassifier(random_state=seed),
                       "LogisticRegression": lambda seed: make_pipeline(StandardScaler(),
                                                                        LogisticRegression(max_iter=1000))},
    "Regression": {"XGBoost": lambda seed: XGBRegressor(random_state=seed),
                   "LightGBM": lambda seed: LGBMRegressor(random_state=seed, verbose=-1),
                   "RandomForest": lambda seed: RandomForestRegressor(random_state=seed),
                   "LinearRegression": lambda seed: make_pipeline(StandardScaler(), LinearRegression())}}


def direct(problem_type: str, frame: pd.DataFrame, columns: list[dict], algorithm: str, seed: int) -> dict:
    """The direct script's hold-out figures: accuracy (and hold-out rows) or RMSE and R²."""
    x_train, x_test, y_train, y_test = direct_split(problem_type, frame, columns, seed)
    model = DIRECT[problem_type][algorithm](seed).fit(x_train, y_train)
    predicted = model.predict(x_test)
    if problem_type == "Classification":
        return {"accuracy": accuracy_score(y_test, predicted), "rows": len(y_test)}
    return {"rmse": float(np.sqrt(mean_squared_error(y_test, predicted))), "r2": r2_score(y_test, predicted)}


FORECAST_MODELS = {"AutoARIMA": AutoARIMA, "AutoETS": AutoETS, "AutoTheta": AutoTheta,
                   "SeasonalNaive": SeasonalNaive}


def direct_forecast(frame: pd.DataFrame, algorithm: str, horizon: int = 14, season: int = 7) -> float:
    """MASE of a direct statsforecast run on forecast_data's frame, the last `horizon` days of each series held
    out (as the job holds them out)."""
    frame = frame.rename(columns={"store": "unique_id", "day": "ds", "sales": "y"})
    frame["ds"] = pd.to_datetime(frame["ds"])
    frame = frame.sort_values(["unique_id", "ds"])
    history = frame.groupby("unique_id").head(len(frame) // 3 - horizon)
    actual = frame.groupby("unique_id").tail(horizon)
    forecast = StatsForecast(models=[FORECAST_MODELS[algorithm](season_length=season)], freq="D").forecast(
        df=history, h=horizon)
    joined = actual.merge(forecast, on=["unique_id", "ds"])
    scaled = []
    for name, rows in joined.groupby("unique_id"):
        past = history[history["unique_id"] == name]["y"].to_numpy()
        scaled.append((rows["y"] - rows[algorithm]).abs().mean() / np.abs(past[season:] - past[:-season]).mean())
    return float(np.mean(scaled))


def report(kind: str, algorithm: str, job, baseline, parity: dict | None) -> None:
    """One line of the quality table in the test log (pytest -s, or the captured output of a failure)."""
    print(f"\n[quality] {kind} {algorithm}: job {json.dumps(job)} direct {json.dumps(baseline)} "
          f"parity {json.dumps(parity)}")

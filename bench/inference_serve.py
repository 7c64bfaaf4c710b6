"""The inference benchmark's competitors: the native model (a training job's model.joblib) behind the platform's
real-time request and answer, served by FastAPI on uvicorn or by Ray Serve. bench/inference.py starts them.

    POST /api/v1/inference/  {"train_id", "preprocess_id", "features": {column: value}, "target"}
    200 {"prediction": label, "accuracy": hold-out accuracy, "probabilities": {label: p}}

The row is built as the training job builds its rows (dmlp_jobs.tabular.feature_frame on a one-row DataFrame),
then the fitted Pipeline's predict_proba.

FastAPI, one uvicorn worker process (DMLP_BENCH_MODEL, DMLP_BENCH_ACCURACY):

    python -m uvicorn --factory bench.inference_serve:fastapi_app --port 18001 --workers 1 --no-access-log

Ray Serve, one replica, on a Ray instance already started (the bench starts its own, never the platform's) whose
PYTHONPATH has the repository, ray-jobs and bench/requirements.txt's directory:

    python bench/inference_serve.py --ray 127.0.0.1:PORT --port 18002 --model model.joblib --accuracy 0.85
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import joblib
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "ray-jobs"))
from dmlp_jobs.tabular import feature_frame  # noqa: E402

PATH = "/api/v1/inference/"


class NativeModel:
    def __init__(self, model_path: str, accuracy: float):
        model = joblib.load(model_path)
        self.pipeline, self.features, self.labels = model["pipeline"], model["features"], model["labels"]
        self.accuracy = accuracy

    def answer(self, body: dict) -> dict:
        row = feature_frame(pd.DataFrame([body["features"]]), self.features)
        probabilities = self.pipeline.predict_proba(row)[0]
        best = int(probabilities.argmax())
        return {"prediction": self.labels[best], "accuracy": self.accuracy,
                "probabilities": {str(label): float(p) for label, p in zip(self.labels, probabilities)}}


def fastapi_app():
    from fastapi import FastAPI

    model = NativeModel(os.environ["DMLP_BENCH_MODEL"], float(os.environ["DMLP_BENCH_ACCURACY"]))
    api = FastAPI()

    @api.post(PATH)
    def predict(body: dict) -> dict:  # a plain def: FastAPI runs blocking work in its thread pool
        return model.answer(body)

    return api


def serve_ray(address: str, port: int, model_path: str, accuracy: float) -> None:
    """Deploys one replica on the Ray instance at address and returns; the application lives on in Ray (Serve's
    controller is detached) until that instance stops."""
    import ray
    from ray import serve
    from starlette.requests import Request

    @serve.deployment(num_replicas=1, logging_config={"enable_access_log": False})
    class Predictor:
        def __init__(self, path: str, acc: float):
            self.model = NativeModel(path, acc)

        async def __call__(self, request: Request) -> dict:
            return self.model.answer(await request.json())

    ray.init(address=address)  # its workers import this module from the PYTHONPATH the instance was started with
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    serve.run(Predictor.bind(model_path, accuracy), route_prefix=PATH.rstrip("/"), blocking=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ray", required=True, help="the GCS address of the bench's own Ray instance")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--accuracy", type=float, required=True)
    args = parser.parse_args()
    serve_ray(args.ray, args.port, args.model, args.accuracy)

"""Real-time inference benchmark: one XGBoost model (200 trees, 30 features) answering POST /api/v1/inference/
through the platform, against the same model file served by Ray Serve and by FastAPI on the same machine.

Run it with the platform up (`./dmlp up`):

    ./dmlp bench inference

or directly, from the repository root, with bench/requirements.txt's directory on PYTHONPATH and wrk installed:

    ~/.cache/dmlp/venv/bin/python bench/inference.py --gateway http://127.0.0.1:8000 \\
        --service http://127.0.0.1:8105 --out docs/benchmarks.md

It uploads bench/train.py's seeded table (--rows, 100,000; usage `t`), trains XGBoost through the gateway
(POST /api/v1/train/ until the list shows it completed) and downloads the run's model.joblib from S3
(models/<tenant>/<train id>/). The requests are --bodies rows of the same generator with another seed (rows
without empty cells), each {"train_id", "preprocess_id", "features": {column: value typed as the dataset's
schema}, "target": "label"}. Each target first answers the first 200 of them once, compared with the native
pipeline in this process (largest probability difference, label agreement); then wrk (bench/inference.lua: the
bodies in turn, the same Authorization header everywhere) loads it for --warmup seconds at 16 connections
(unmeasured: the JVM compiles its hot paths), then --duration seconds at each of 1, 16 and 64 connections. The
targets, one after the other, each competitor running only while it is measured:

  - platform: the gateway (:8000), then inference-service straight (its port, 8105): the difference is the hop;
  - FastAPI: bench/inference_serve.py, one uvicorn worker process, a plain `def` endpoint;
  - Ray Serve: the same code, one replica, on a Ray instance the bench starts for itself (own temp dir and
    ports, never the platform's Ray) and stops afterwards.

The table replaces the section between <!-- inference:begin --> and <!-- inference:end --> of --out. The
predictor and the dataset are deleted at the end. --local-model fits the same pipeline in this process instead
(no platform needed; the competitors only), to try the competitor half alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "ray-jobs"))
from bench.inference_serve import PATH, NativeModel  # noqa: E402
from bench.ingest import Api, BenchError, machine, write_section  # noqa: E402
from bench.train import BUCKET, Platform, generate, s3_client, upload_table  # noqa: E402
from dmlp_jobs import tabular  # noqa: E402

BEGIN, END = "<!-- inference:begin -->", "<!-- inference:end -->"
CONNECTIONS = (1, 16, 64)
TARGET = "label"
CHECKED = 200  # bodies each target answers once before its load, compared with the native pipeline
HEALTH = "/api/v1/utils/health-check/"
# The same load on a route the gateway answers itself with a constant body: no upstream, no token, no model.
# Its p99 is what the load generator and the server sharing this machine's cores cost before any work is done.
FLOOR = "floor: the gateway's own health route"


# ----------------------------------------------------------------------------------------------- model and bodies

def train_on_platform(api: Api, rows: int, stamp: str, timeout_s: float, cleanup: list) -> dict:
    dataset_id, detail = upload_table(api, rows, f"bench-inference-{stamp}")
    cleanup.append(lambda: api.call("DELETE", f"/api/v1/dataset/delete/{dataset_id}"))
    columns = [{"column_name": c["column_name"], "attribute_name": "Target" if c["column_name"] == TARGET
                else "Feature"} for c in detail["dataset_schema"]]
    platform = Platform(api, None, s3_client(), dataset_id, columns, f"inference-{stamp}", poll_s=0.5)
    print("== training XGBoost through the platform ...", flush=True)
    try:
        run = platform.run("XGBoost", timeout_s)
    finally:
        for train_id in platform.train_ids:
            cleanup.append(lambda t=train_id: api.call("DELETE", f"/api/v1/train/delete/{t}"))
    print(f"   train_id {run['train_id']}, preprocess_id {run['preprocess_id']}, {run['seconds']:.1f}s, "
          f"accuracy {run['accuracy']:.4f}", flush=True)
    return run


def download_model(train_id: int, path: Path) -> None:
    """The run's model.joblib, found under models/<tenant>/<train id>/ of the platform's bucket."""
    s3 = s3_client()
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="models/")
            for o in page.get("Contents", []) if o["Key"].endswith(f"/{train_id}/model.joblib")]
    if len(keys) != 1:
        raise BenchError(f"expected one models/*/{train_id}/model.joblib in s3://{BUCKET}, found {keys}")
    s3.download_file(BUCKET, keys[0], str(path))


def fit_locally(rows: int, path: Path) -> float:
    """The pipeline the training job fits (same generator, seed, split and XGBoost defaults), stored as the job
    stores it; its hold-out accuracy. The schema is what the platform infers for the generator's columns."""
    from sklearn.model_selection import train_test_split

    with tempfile.TemporaryDirectory(prefix="dmlp-bench-", dir="/tmp") as tmp:
        generate(Path(tmp) / "train.csv", rows)
        frame = pd.read_csv(Path(tmp) / "train.csv")
    features = [{"column_name": name, "data_type": data_type(frame[name])} for name in frame if name != TARGET]
    labels = sorted(frame[TARGET].unique())
    x, y = tabular.feature_frame(frame, features), frame[TARGET].map(labels.index).to_numpy()
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=7, stratify=y)
    print(f"== fitting XGBoost locally on {len(x_train):,} rows ...", flush=True)
    fitted = tabular.build("Classification", "XGBoost", features, 7, tabular.categories_of(x_train, features))
    fitted.fit(x_train, y_train)
    joblib.dump({"format": tabular.MODEL_FORMAT, "problem_type": "Classification", "algorithm": "XGBoost",
                 "pipeline": fitted, "features": features, "target": {"column_name": TARGET, "data_type": "String"},
                 "labels": labels}, path)
    return float((fitted.predict(x_test) == y_test).mean())


def data_type(values: pd.Series) -> str:
    if values.dtype == bool:
        return "Boolean"
    if values.dtype == object:
        return "String"
    whole = values.dropna()
    return "Integer" if (whole == whole.round()).all() else "Float"


PYTHON_TYPES = {"Float": float, "Integer": int, "Boolean": bool, "String": str}


def request_bodies(count: int, features: list[dict], train_id: int, preprocess_id: int) -> list[dict]:
    """count rows of the training table's generator (another seed), without empty cells, typed as the schema."""
    with tempfile.TemporaryDirectory(prefix="dmlp-bench-", dir="/tmp") as tmp:
        generate(Path(tmp) / "rows.csv", 2 * count, seed=11)
        frame = pd.read_csv(Path(tmp) / "rows.csv").dropna().head(count)
    if len(frame) < count:
        raise BenchError(f"only {len(frame)} complete rows generated, {count} wanted")
    names = [(f["column_name"], PYTHON_TYPES[f["data_type"]]) for f in features]
    return [{"train_id": train_id, "preprocess_id": preprocess_id,
             "features": {name: kind(row[name]) for name, kind in names}, "target": TARGET}
            for row in frame.to_dict(orient="records")]


# ----------------------------------------------------------------------------------------------- competitors

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(site: str) -> dict:
    """This environment without Ray's client settings (never the platform's Ray), with the repository, ray-jobs and
    bench/requirements.txt's directory on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (site, str(ROOT), str(ROOT / "ray-jobs")) if p)
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    return env


def wait_ready(url: str, body: dict, timeout_s: float, process: subprocess.Popen | None = None,
               token: str = "") -> None:
    """Until url answers body with 200 (a server starting; inference-service learning of the new model from the
    training events)."""
    deadline, last = time.time() + timeout_s, "no answer"
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise BenchError(f"the server for {url} exited with {process.returncode}")
        try:
            response = requests.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=5)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:1000]}"
        except requests.RequestException as e:
            last = str(e)
        time.sleep(0.5)
    raise BenchError(f"{url} did not answer 200 within {timeout_s:.0f}s; last: {last}")


class FastApiServer:
    def __init__(self, env: dict, model: Path, accuracy: float, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{PATH}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "bench.inference_serve:fastapi_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", "1", "--no-access-log", "--log-level", "warning"],
            cwd=ROOT, env={**env, "DMLP_BENCH_MODEL": str(model), "DMLP_BENCH_ACCURACY": str(accuracy)},
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class RayServe:
    """A Ray instance of its own (`ray start --head` on free ports, its own temp dir, no dashboard), Serve's HTTP
    proxy and one replica on it. Every process of it carries DMLP_BENCH_RAY=<tag> in its environment or descends
    from one that does: stop() ends exactly those."""

    def __init__(self, env: dict, model: Path, accuracy: float, log: Path):
        self.tag = uuid.uuid4().hex
        self.tmp = tempfile.mkdtemp(prefix="dmlp-bench-ray-", dir="/tmp")  # short: Ray's socket paths live here
        self.port, gcs = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}{PATH}"
        env = {**env, "DMLP_BENCH_RAY": self.tag, "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
        ray = str(Path(sys.executable).parent / "ray")
        with log.open("ab") as out:
            subprocess.run([ray, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={gcs}", "--num-cpus=2",
                            "--object-store-memory=100000000", "--include-dashboard=false",
                            f"--dashboard-port={free_port()}", f"--dashboard-agent-listen-port={free_port()}",
                            f"--ray-client-server-port={free_port()}", f"--metrics-export-port={free_port()}",
                            "--disable-usage-stats", f"--temp-dir={self.tmp}"],
                           env=env, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=180)
            subprocess.run([sys.executable, str(ROOT / "bench" / "inference_serve.py"), "--ray", f"127.0.0.1:{gcs}",
                            "--port", str(self.port), "--model", str(model), "--accuracy", str(accuracy)],
                           env=env, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=300)

    def pids(self) -> set[int]:
        marker = f"DMLP_BENCH_RAY={self.tag}".encode()
        parents, tagged = {}, set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    tagged.add(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
        grown = True
        while grown:  # Ray workers rewrite their process title over their environment: take descendants too
            more = {pid for pid, parent in parents.items() if parent in tagged and pid not in tagged}
            tagged |= more
            grown = bool(more)
        return tagged - {os.getpid()}

    def stop(self) -> None:
        for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            for pid in self.pids():
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.time() + wait_s
            while self.pids() and time.time() < deadline:
                time.sleep(0.2)
            if not self.pids():
                break
        if self.pids():
            raise BenchError(f"Ray processes {sorted(self.pids())} still alive; temp dir {self.tmp}")
        subprocess.run(["rm", "-rf", self.tmp], check=False)


# ----------------------------------------------------------------------------------------------- measuring

def check(url: str, bodies: list[dict], expected: np.ndarray, labels: list, token: str) -> dict:
    """Each of the bodies once, in order: the answers against the native pipeline's probabilities."""
    got, predictions = [], []
    with requests.Session() as session:
        for body in bodies:
            response = session.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
            if response.status_code != 200:
                raise BenchError(f"POST {url} answered HTTP {response.status_code}:\n{response.text[:2000]}")
            answer = response.json()
            got.append([answer["probabilities"][str(label)] for label in labels])
            predictions.append(answer["prediction"])
    got = np.array(got)
    native = [labels[i] for i in expected.argmax(axis=1)]
    return {"max_abs_diff": float(np.abs(got - expected).max()),
            "label_agreement": float(np.mean([str(p) == str(n) for p, n in zip(predictions, native)]))}


def wrk(url: str, bodies_file: Path | None, token: str, connections: int, seconds: int) -> dict:
    threads = 1 if connections == 1 else 2
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "inference.lua"), url, "--", str(bodies_file or ""),
               f"Bearer {token}" if token else ""]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise BenchError(f"wrk failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    result = json.loads(lines[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def load(name: str, url: str, bodies_file: Path | None, api: Api | None, args: argparse.Namespace) -> dict:
    token = api._token() if api else ""
    print(f"== {name}: warm-up {args.warmup}s at 16 connections ...", flush=True)
    wrk(url, bodies_file, token, 16, args.warmup)
    runs = {}
    for connections in CONNECTIONS:
        token = api._token() if api else ""  # fresh enough for the next run (tokens live 15 minutes)
        run = runs[connections] = wrk(url, bodies_file, token, connections, args.duration)
        latency, errors = run["latency_us"], sum(run["errors"].values())
        print(f"   {connections:3d} connections: {run['rps']:8.1f} req/s, p50 {latency['p50'] / 1000:.2f} ms, "
              f"p99 {latency['p99'] / 1000:.2f} ms, errors {errors}", flush=True)
    return runs


def bench(args: argparse.Namespace) -> dict:
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    api = None if args.local_model else Api(args.gateway, os.environ.get("DMLP_ADMIN_PASSWORD") or "admin123")
    env = bench_env(args.site)
    cleanup: list = []
    results: dict = {"targets": {}, "checks": {}, "notes": []}
    try:
        with tempfile.TemporaryDirectory(prefix="dmlp-bench-inference-", dir="/tmp") as tmp:
            tmp, model_path = Path(tmp), Path(tmp) / "model.joblib"
            if args.local_model:
                accuracy, train_id, preprocess_id = fit_locally(args.rows, model_path), 0, 0
            else:
                run = train_on_platform(api, args.rows, stamp, args.timeout, cleanup)
                accuracy, train_id, preprocess_id = run["accuracy"], run["train_id"], run["preprocess_id"]
                download_model(train_id, model_path)
            native = NativeModel(str(model_path), accuracy)
            bodies = request_bodies(args.bodies, native.features, train_id, preprocess_id)
            bodies_file = tmp / "bodies.jsonl"
            bodies_file.write_text("".join(json.dumps(b, separators=(",", ":")) + "\n" for b in bodies))
            expected = np.array([native.pipeline.predict_proba(tabular.feature_frame(
                pd.DataFrame([b["features"]]), native.features))[0] for b in bodies[:CHECKED]])
            results.update(rows=args.rows, bodies=len(bodies), accuracy=accuracy, labels=native.labels,
                           model=f"{native.pipeline.named_steps['model'].n_estimators} trees, "
                                 f"{len(native.features)} features")

            def measure(name: str, url: str) -> None:
                token = api._token() if api else ""
                results["checks"][name] = check(url, bodies[:CHECKED], expected, native.labels, token)
                results["targets"][name] = load(name, url, bodies_file, api, args)

            if not args.local_model:
                wait_ready(args.gateway.rstrip("/") + PATH, bodies[0], 120, token=api._token())
                before = stage_seconds(args.service_metrics)
                measure("platform (gateway)", args.gateway.rstrip("/") + PATH)
                measure("inference-service direct", args.service.rstrip("/") + PATH)
                results["stages"] = stage_means(before, stage_seconds(args.service_metrics))
                results["targets"][FLOOR] = load(FLOOR, args.gateway.rstrip("/") + HEALTH, None, None, args)
            log = Path(args.log)
            server = FastApiServer(env, model_path, accuracy, log)
            try:
                wait_ready(server.url, bodies[0], 120, server.process)
                measure("FastAPI (1 uvicorn worker)", server.url)
            finally:
                server.stop()
            print("== starting a Ray instance of the bench's own and Ray Serve on it ...", flush=True)
            serve = None
            try:
                serve = RayServe(env, model_path, accuracy, log)
                wait_ready(serve.url, bodies[0], 120)
                measure("Ray Serve (1 replica)", serve.url)
            finally:
                if serve is not None:
                    serve.stop()
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except BenchError as e:
                print(f"WARN: cleanup: {e}", file=sys.stderr)
    results["load"] = os.getloadavg()
    return results


def stage_seconds(metrics_url: str) -> dict[str, tuple[float, float]]:
    """inference-service's stage timers (dmlp.inference.realtime.stage): {stage: (seconds, events)} so far, and
    "rows" from dmlp.inference.realtime.batch.rows: (calls answered, ONNX runs)."""
    text = requests.get(metrics_url, timeout=10).text
    found: dict[str, list[float]] = {}
    for kind, stage, value in re.findall(
            r'^dmlp_inference_realtime_stage_seconds_(sum|count)\{stage="(\w+)"\} (\S+)$', text, re.M):
        found.setdefault(stage, [0.0, 0.0])[0 if kind == "sum" else 1] = float(value)
    for kind, value in re.findall(r'^dmlp_inference_realtime_batch_rows_(sum|count) (\S+)$', text, re.M):
        found.setdefault("rows", [0.0, 0.0])[0 if kind == "sum" else 1] = float(value)
    return {stage: (seconds, calls) for stage, (seconds, calls) in found.items()}


STAGES = {"mapping": "features checked and converted, ms per call",
          "tensors": "input tensors built, ms per ONNX run",
          "onnx": "ONNX run and outputs read, ms per run",
          "rows": "calls answered per ONNX run (batching)"}


def stage_means(before: dict, after: dict) -> dict[str, float]:
    """Each stage's mean between two readings (see STAGES for the unit)."""
    means = {}
    for stage, (total, events) in after.items():
        total0, events0 = before.get(stage, (0.0, 0.0))
        if events > events0:
            means[STAGES.get(stage, stage)] = (1 if stage == "rows" else 1000) * (total - total0) / (events - events0)
    return means


# ----------------------------------------------------------------------------------------------- report

def errors(runs: dict) -> str:
    """wrk's errors over a server's measured runs by kind (timeouts' latencies are not in the percentiles)."""
    kinds = {}
    for run in runs.values():
        for kind, count in run["errors"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    return ", ".join(f"{count} {'HTTP ≥ 400' if kind == 'status' else kind}" for kind, count in kinds.items()
                     if count) or "0"


def render(result: dict, info: dict, load_before: tuple, args: argparse.Namespace) -> str:
    targets = result["targets"]
    lines = [BEGIN, "",
             f"Last run: {info['date']}; {info['cpus']} CPUs, {info['mem_gib']:.1f} GiB RAM; commit "
             f"`{info['commit']}`; load average {load_before[0]:.1f} before, {result['load'][0]:.1f} after.", "",
             f"XGBoost ({result['model']}; hold-out accuracy {result['accuracy']:.4f}) trained on {result['rows']:,} "
             f"rows; {result['bodies']:,} request bodies in turn; wrk, {args.warmup} s warm-up, then {args.duration} s "
             "per connection count. Latencies in ms.", "",
             "| server | " + " | ".join(f"{c} conn req/s | p50 | p99" for c in CONNECTIONS) + " | errors |",
             "|---|" + "---:|" * (3 * len(CONNECTIONS) + 1)]
    for name, runs in targets.items():
        cells = []
        for c in CONNECTIONS:
            rps, latency = runs[c]["rps"], runs[c]["latency_us"]
            cells += [f"{rps:,.0f}", f"{latency['p50'] / 1000:.2f}", f"{latency['p99'] / 1000:.2f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {errors(runs)} |")
    platform = targets.get("platform (gateway)")
    if platform:
        top = platform[CONNECTIONS[-1]]
        others = [n for n in targets if not n.startswith(("platform", "inference-service", "floor"))]
        lines += ["", f"At {CONNECTIONS[-1]} connections the platform's p99 is "
                  f"{top['latency_us']['p99'] / 1000:.2f} ms (target ≤ 10 ms); its throughput is " + ", ".join(
                      f"{top['rps'] / targets[n][CONNECTIONS[-1]]['rps']:.1f}× {n.split(' (')[0]}'s" for n in others)
                  + " (target: several times both)."]
        floor = targets.get(FLOOR)
        if floor:
            lines += ["", f"The floor: the gateway's own health route, a constant body with no upstream, token or "
                      f"model, has p99 {floor[CONNECTIONS[-1]]['latency_us']['p99'] / 1000:.2f} ms at "
                      f"{CONNECTIONS[-1]} connections in this run (wrk and the server share the same cores), so "
                      "no call through the gateway can have a lower p99 on this machine."]
    lines += ["", "Answers against the native pipeline (first "
              f"{CHECKED} bodies, once each, before the load):", "",
              "| server | largest probability difference | label agreement |", "|---|---:|---:|"]
    for name, c in result["checks"].items():
        lines.append(f"| {name} | {c['max_abs_diff']:.1e} | {c['label_agreement']:.4f} |")
    direct = targets.get("inference-service direct")
    if platform and direct:
        lines += ["", "Where the time goes (median latency at 1 connection, ms):", "",
                  "| part | ms |", "|---|---:|",
                  f"| through the gateway | {platform[1]['latency_us']['p50'] / 1000:.2f} |",
                  f"| inference-service straight (its port) | {direct[1]['latency_us']['p50'] / 1000:.2f} |",
                  f"| the gateway hop (difference) | "
                  f"{(platform[1]['latency_us']['p50'] - direct[1]['latency_us']['p50']) / 1000:+.2f} |",
                  ] + [f"| inside inference-service, mean over the whole load: {stage} | {ms:.3f} |"
                       for stage, ms in result.get("stages", {}).items()] + [
                  "| inside inference-service: HTTP, token check, JSON in and out | the rest of the direct median |"]
    return "\n".join(lines + ["", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--service", default="http://127.0.0.1:8105", help="inference-service's own HTTP port")
    parser.add_argument("--service-metrics", default="http://127.0.0.1:9105/q/metrics",
                        help="inference-service's Prometheus metrics (its management port): the stage timers")
    parser.add_argument("--rows", type=int, default=100_000, help="rows the model is trained on")
    parser.add_argument("--bodies", type=int, default=1000, help="distinct request bodies")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of unmeasured load per server")
    parser.add_argument("--duration", type=int, default=15, help="seconds per connection count")
    parser.add_argument("--timeout", type=float, default=600, help="seconds the training run may take")
    parser.add_argument("--site", default=os.environ.get("PYTHONPATH", ""),
                        help="bench/requirements.txt's directory (default: PYTHONPATH)")
    parser.add_argument("--log", default="/tmp/dmlp-bench-inference.log", help="the competitors' output")
    parser.add_argument("--local-model", action="store_true",
                        help="fit the model in this process; measure the competitors only")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    info, load_before = machine(), os.getloadavg()
    try:
        result = bench(args)
    except BenchError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    section = render(result, info, load_before, args)
    print("\n" + section)
    if args.out:
        write_section(args.out, section, BEGIN, END)
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

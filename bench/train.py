"""Training benchmark: a 100k-row × 30-column training run through the platform against the same job on the same Ray.

Run it with the platform up (`./dmlp up`):

    ./dmlp bench train

or directly, from the repository root:

    ~/.cache/dmlp/venv/bin/python bench/train.py --gateway http://127.0.0.1:8000 --out docs/benchmarks.md

It generates a seeded CSV (100,000 rows; 21 Float, 4 String with 12 to 40 values, 2 Boolean, 2 Integer features
and a binary String target drawn from a few of them; ~2% empty cells in some columns), uploads it through the
gateway (usage `t`), and then

  - platform: POST /api/v1/train/ (t0 just before it) until GET /api/v1/train/list, polled every 50 ms (--poll),
    shows the run `completed` (the job's callback records that); the model summary gives accuracy, fit seconds and parity;
  - direct: the same job (`python -m dmlp_jobs.train`, the `ray-jobs` package as working_dir, the same spec: the
    columns and seed the platform sent, presigned GET URLs of the same silver data files, presigned PUT URLs under
    a bench prefix of the `dmlp` bucket) submitted with Ray's JobSubmissionClient to the same Ray (t0 just before
    submit_job) until its callback reaches a small HTTP server inside this script.

After one unmeasured run of each (the platform's first request paths, Ray's upload of the local working_dir), it
alternates platform and direct XGBoost runs (--rounds, 3), then trains once per algorithm through the platform.
The table replaces the section between <!-- train:begin --> and <!-- train:end --> of --out. The predictors,
the dataset and the bench's objects are deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import numpy as np
import pandas as pd
from botocore.config import Config
from ray.job_submission import JobSubmissionClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.ingest import Api, BenchError, MultipartFile, machine, write_section  # noqa: E402

BEGIN, END = "<!-- train:begin -->", "<!-- train:end -->"
ALGORITHMS = ("XGBoost", "LightGBM", "RandomForest", "LogisticRegression")
BUCKET = "dmlp"


class RunFailed(BenchError):
    def __init__(self, message: str, seconds: float, error: str | None):
        super().__init__(message)
        self.seconds, self.error = seconds, error


# ----------------------------------------------------------------------------------------------- data

def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    frame = {f"f{i:02d}": np.round(rng.normal(0, 1 + i % 3, rows), 4) for i in range(21)}
    pools = [np.array([f"{name}-{j:02d}" for j in range(n)]) for name, n in
             (("region", 12), ("plan", 20), ("channel", 30), ("device", 40))]
    codes = [rng.integers(0, len(pool), rows) for pool in pools]
    for name, pool, code in zip(("region", "plan", "channel", "device"), pools, codes):
        frame[name] = pool[code]
    frame["active"] = rng.random(rows) < 0.6
    frame["promo"] = rng.random(rows) < 0.3
    frame["tenure"] = rng.integers(0, 120, rows)
    frame["visits"] = rng.poisson(8, rows)
    df = pd.DataFrame(frame)
    # The target from a few informative columns (a linear part, an interaction, a String's effect) and noise.
    effect = rng.normal(0, 1, len(pools[1]))[codes[1]]
    logit = (0.9 * df.f00 - 0.6 * df.f01 + 0.4 * df.f02 * df.f03 + effect + 0.8 * df.active
             - 0.02 * df.tenure + 0.1 * df.visits - 0.9 + rng.logistic(0, 0.6, rows))
    df["label"] = np.where(logit > 0, "yes", "no")
    for column in ("f04", "f05", "f06", "channel", "device", "visits"):  # ~2% missing
        df[column] = df[column].astype(object).where(rng.random(rows) >= 0.02, None)
    df["active"] = df["active"].map({True: "true", False: "false"})
    df["promo"] = df["promo"].map({True: "true", False: "false"})
    df.to_csv(path, index=False, lineterminator="\n")


def upload_table(api: Api, rows: int, name: str) -> tuple[int, dict]:
    """Generates the table and uploads it through the gateway (usage `t`): its dataset id and detail."""
    with tempfile.TemporaryDirectory(prefix="dmlp-bench-", dir="/tmp") as tmp:
        csv = Path(tmp) / "train.csv"
        print(f"== generating {rows:,} rows × 30 columns ...", flush=True)
        generate(csv, rows)
        body = MultipartFile(csv)
        print(f"== uploading {csv.stat().st_size / 2**20:.1f} MB ...", flush=True)
        uploaded = api.call("POST", "/api/v1/dataset/upload", timeout=(10, 600), data=body,
                            params={"dataset_name": name, "usage": "t"},
                            headers={"Content-Type": body.content_type}).json()
    dataset_id = uploaded["dataset_id"]
    if uploaded["files"][0]["total_records"] != rows:
        api.call("DELETE", f"/api/v1/dataset/delete/{dataset_id}")
        raise BenchError(f"uploaded {uploaded['files'][0]['total_records']} rows, expected {rows}")
    return dataset_id, api.call("GET", "/api/v1/dataset/get_dataset_by_id", params={"dataset_id": dataset_id}).json()


# ----------------------------------------------------------------------------------------------- direct Ray

class Callbacks:
    """A tiny HTTP server the direct jobs call back; records when each job's result arrived."""

    def __init__(self):
        self.arrived: dict[str, tuple[float, dict]] = {}
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                now = time.perf_counter()
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with outer.cond:
                    outer.arrived[body.get("job_id")] = (now, body)
                    outer.cond.notify_all()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/callback"

    def wait(self, job_id: str, timeout_s: float) -> tuple[float, dict]:
        with self.cond:
            if not self.cond.wait_for(lambda: job_id in self.arrived, timeout_s):
                raise BenchError(f"no callback from direct job {job_id} after {timeout_s:.0f}s")
            return self.arrived[job_id]


class Direct:
    def __init__(self, ray_address: str, token: str, s3, data_files: list[str], spec: dict):
        self.ray = JobSubmissionClient(ray_address, headers={"Authorization": f"Bearer {token}"})
        self.s3, self.spec, self.callbacks = s3, spec, Callbacks()
        self.files = [presign(s3, "get_object", f) for f in data_files]
        self.prefix = f"bench/train-{uuid.uuid4().hex[:8]}/"

    def run(self, algorithm: str, timeout_s: float) -> dict:
        job_id = f"bench-train-{uuid.uuid4().hex[:12]}"
        artifacts = {name: presign(self.s3, "put_object", f"s3://{BUCKET}/{self.prefix}{job_id}/{name}")
                     for name in ("model.onnx", "model.joblib", "metrics.json", "holdout_sample.json")}
        spec = {"job_id": job_id, "train_id": job_id, **self.spec, "algorithm": algorithm,
                "files": self.files, "artifacts": artifacts}
        env = {"DMLP_JOB_SPEC": json.dumps(spec), "DMLP_CALLBACK_URL": self.callbacks.url,
               "DMLP_CALLBACK_TOKEN": uuid.uuid4().hex}
        t0, wall0 = time.perf_counter(), time.time()
        self.ray.submit_job(entrypoint="python -m dmlp_jobs.train", submission_id=job_id, runtime_env={
            "working_dir": str(ROOT / "ray-jobs"), "excludes": ["tests"], "env_vars": env})
        submitted = time.perf_counter()
        done, body = self.callbacks.wait(job_id, timeout_s)
        if body.get("status") != "succeeded":
            raise BenchError(f"direct job {job_id} failed: {body.get('error')}")
        return {"seconds": done - t0, "submit_s": submitted - t0, "wall0": wall0, "ray_job": job_id,
                "fit_seconds": body["result"]["fit_seconds"], "accuracy": body["result"]["metrics"]["accuracy"]}

    def cleanup(self) -> None:
        listed = self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=self.prefix)
        for page in listed:
            for obj in page.get("Contents", []):
                self.s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
        self.callbacks.server.shutdown()


def presign(s3, method: str, location: str) -> str:
    bucket, key = location.removeprefix("s3://").split("/", 1)
    return s3.generate_presigned_url(method, Params={"Bucket": bucket, "Key": key}, ExpiresIn=3600)


def s3_client():
    return boto3.client("s3", endpoint_url=os.environ.get("DMLP_S3_ENDPOINT", "http://127.0.0.1:59000"),
                        aws_access_key_id=os.environ.get("DMLP_S3_ACCESS_KEY", "dmlp-local"),
                        aws_secret_access_key=os.environ.get("DMLP_S3_SECRET_KEY", "dmlp-local-secret"),
                        region_name=os.environ.get("DMLP_S3_REGION", "us-east-1"),
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


# ----------------------------------------------------------------------------------------------- platform

class Platform:
    def __init__(self, api: Api, ray: JobSubmissionClient, s3, dataset_id: int, columns: list[dict], stamp: str,
                 poll_s: float):
        self.api, self.ray, self.s3, self.poll_s = api, ray, s3, poll_s
        self.dataset_id, self.columns, self.stamp = dataset_id, columns, stamp
        self.train_ids: list[int] = []

    def run(self, algorithm: str, timeout_s: float) -> dict:
        body = {"dataset_id": self.dataset_id, "predictor_name": f"bench-train-{self.stamp}-{len(self.train_ids)}",
                "domain": "Bench", "problem_type": "Classification", "columns": self.columns,
                "is_incremental": False, "algorithm": algorithm, "shap_enabled": False}
        self.api._token()  # a fresh login is not part of the submission
        t0, wall0 = time.perf_counter(), time.time()
        answer = self.api.call("POST", "/api/v1/train/", json=body).json()
        posted = time.perf_counter()
        self.train_ids.append(answer["id"])
        polls, list_s = 0, 0.0
        while True:
            asked = time.perf_counter()
            listed = self.api.call("GET", "/api/v1/train/list", params={"limit": 50}).json()["data"]
            polls, list_s = polls + 1, list_s + time.perf_counter() - asked
            run = next((item for item in listed if item["id"] == answer["id"]), None)
            if run is None:
                raise BenchError(f"run {answer['id']} is not in the first 50 of the list")
            if run["train_status"] == "completed":
                break
            if run["train_status"] in ("failed", "cancelled"):
                raise RunFailed(f"platform run {answer['id']} {run['train_status']}: {run.get('error')}",
                                time.perf_counter() - t0, run.get("error"))
            if time.perf_counter() - t0 > timeout_s:
                raise BenchError(f"platform run {answer['id']} still {run['train_status']} after {timeout_s:.0f}s")
            time.sleep(self.poll_s)
        seconds = time.perf_counter() - t0
        callback = callback_logged(wall0, wall0 + seconds)
        summary = self.api.call("GET", "/api/v1/train/model-summary", params={"train_id": answer["id"]}).json()
        if summary.get("fit_seconds") is None:  # a service older than b0aeabd: the job's metrics.json has it
            summary["fit_seconds"] = self.stored_metrics(answer["ray_job_id"])["fit_seconds"]
        return {"seconds": seconds, "submit_s": posted - t0, "wall0": wall0, "ray_job": answer["ray_job_id"],
                "train_id": answer["id"], "preprocess_id": answer["preprocess_id"], "polls": polls,
                "list_s": list_s / polls,
                "callback_ms": callback[1] if callback else None,
                "seen_after_callback_s": wall0 + seconds - callback[0] if callback else None, "fit_seconds": summary["fit_seconds"],
                "accuracy": summary["model_summary"].get("accuracy"), "parity": summary["parity"]}


    def stored_metrics(self, ray_job: str) -> dict:
        """The run's metrics.json (the callback's result in full), found through the write URL its job got."""
        spec = json.loads(self.ray.get_job_info(ray_job).runtime_env["env_vars"]["DMLP_JOB_SPEC"])
        bucket, key = urlsplit(spec["artifacts"]["metrics.json"]).path.lstrip("/").split("/", 1)
        return json.loads(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read())


ACCESS = re.compile(r"^(\S+ \S+) INFO .*\] POST /api/v1/train/result 200 (\d+)ms$")


def callback_logged(start: float, end: float) -> tuple[float, int] | None:
    """When training-service answered the run's callback (its access log line, written as the answer goes out)
    and how long it took, ms; None without the log (a platform on another machine)."""
    log = Path(os.environ.get("DMLP_LOGS") or Path(os.environ.get("DMLP_DATA") or ROOT / ".dmlp") / "logs")
    try:
        lines = (log / "training-service.log").read_text(errors="replace").splitlines()[-5000:]
    except OSError:
        return None
    found = None
    for line in lines:
        if (match := ACCESS.match(line)):
            at = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S.%f").timestamp()
            if start <= at <= end:
                found = (at, int(match[2]))
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def platform_cpu() -> float | None:
    """CPU seconds used so far by the gateway, training-service and PostgreSQL's backends (children of the
    postmaster), read from the PID files ./dmlp up wrote; None when they are not on this machine."""
    run = Path(os.environ.get("DMLP_DATA") or ROOT / ".dmlp") / "run"
    try:
        pids = [int((run / f"{name}.pid").read_text()) for name in ("gateway", "training-service")]
        postmaster = int((run / "postgres.pid").read_text().split()[0])
    except (OSError, ValueError):
        return None
    backends = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(int(p.name)) == postmaster]
    return sum(_cpu(pid) for pid in pids + backends)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def ray_timing(ray: JobSubmissionClient, run: dict, timeout_s: float = 120) -> None:
    """Waits for Ray to see the job's driver exit (so runs never overlap), then adds Ray's own start and end of the
    job relative to t0."""
    deadline = time.time() + timeout_s
    while (info := ray.get_job_info(run["ray_job"])).end_time is None:
        if time.time() > deadline:
            raise BenchError(f"Ray job {run['ray_job']} has not ended {timeout_s:.0f}s after its result arrived")
        time.sleep(0.2)
    run["ray_start_s"] = info.start_time / 1000 - run["wall0"]
    run["ray_end_s"] = info.end_time / 1000 - run["wall0"]


def platform_spec(ray: JobSubmissionClient, ray_job: str) -> dict:
    """The spec the platform sent to Ray (columns, seed, problem type), and its data files' paths."""
    env = ray.get_job_info(ray_job).runtime_env["env_vars"]
    spec = json.loads(env["DMLP_JOB_SPEC"])
    return {"spec": {k: spec[k] for k in ("problem_type", "columns", "seed")},
            "paths": [urlsplit(url).path for url in spec["files"]]}


# ----------------------------------------------------------------------------------------------- main

def bench(args: argparse.Namespace) -> dict:
    api = Api(args.gateway, os.environ.get("DMLP_ADMIN_PASSWORD") or "admin123")
    token = Path(os.environ.get("DMLP_RAY_TOKEN_FILE") or ROOT / ".dmlp/ray/token").read_text().strip()
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    s3 = s3_client()
    dataset_id, platform, direct = None, None, None
    try:
        dataset_id, detail = upload_table(api, args.rows, f"bench-train-{stamp}")
        columns = [{"column_name": c["column_name"], "attribute_name": "Target" if c["column_name"] == "label"
                    else "Feature"} for c in detail["dataset_schema"]]
        types = {c["column_name"]: c["data_type"] for c in detail["dataset_schema"]}
        print(f"   schema: {sorted(types.values()).count('Float')} Float, {list(types.values()).count('String')} "
              f"String, {list(types.values()).count('Boolean')} Boolean, {list(types.values()).count('Integer')} "
              f"Integer (of {len(types)})", flush=True)
        location = detail["validated_path"].removeprefix("s3://")
        bucket, prefix = location.split("/", 1)
        data_files = [f"s3://{bucket}/{o['Key']}" for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix.rstrip("/") + "/data/") for o in page.get("Contents", [])]

        ray = JobSubmissionClient(args.ray, headers={"Authorization": f"Bearer {token}"})
        platform = Platform(api, ray, s3, dataset_id, columns, stamp, args.poll)
        print("== warm-up: one platform run ...", flush=True)
        warm = platform.run("XGBoost", args.timeout)
        ray_timing(ray, warm)
        sent = platform_spec(ray, warm["ray_job"])
        if sorted(sent["paths"]) != sorted(f"/{f.removeprefix('s3://')}" for f in data_files):
            raise BenchError(f"the platform pinned {sent['paths']}, the table's data/ holds {data_files}")
        data_files = [f"s3:/{path}" for path in sent["paths"]]  # in the platform's order: it decides the split
        print(f"   {warm['seconds']:.2f}s; the platform's spec reads {len(data_files)} data file(s)", flush=True)
        direct = Direct(args.ray, token, s3, data_files, sent["spec"])
        print("== warm-up: one direct run (uploads the working_dir) ...", flush=True)
        warm = direct.run("XGBoost", args.timeout)
        ray_timing(ray, warm)
        print(f"   {warm['seconds']:.2f}s", flush=True)

        rounds = {"platform": [], "direct": []}
        for i in range(args.rounds):
            for side, runner in (("platform", platform), ("direct", direct)) if i % 2 == 0 else \
                    (("direct", direct), ("platform", platform)):
                cpu = platform_cpu()
                run = runner.run("XGBoost", args.timeout)
                run["service_cpu_s"] = platform_cpu() - cpu if cpu is not None else None
                ray_timing(ray, run)
                rounds[side].append(run)
                print(f"   round {i + 1} {side:8s} {run['seconds']:.2f}s (submit {run['submit_s']:.3f}s, Ray start "
                      f"{run['ray_start_s']:.2f}s, Ray end {run['ray_end_s']:.2f}s, fit {run['fit_seconds']:.2f}s, "
                      f"service CPU {run['service_cpu_s']}s, list polls {run.get('polls')} × {run.get('list_s')}, "
                      f"callback {run.get('callback_ms')} ms, seen {run.get('seen_after_callback_s')} s after it)",
                      flush=True)

        algorithms = []
        for algorithm in args.algorithms:
            print(f"== platform {algorithm} ...", flush=True)
            try:
                run = platform.run(algorithm, args.timeout)
            except RunFailed as failed:  # reported in the table (e.g. an ONNX parity failure), not a bench error
                algorithms.append({"algorithm": algorithm, "seconds": failed.seconds, "error": failed.error})
                print(f"   FAILED after {failed.seconds:.2f}s: {failed.error}", flush=True)
                time.sleep(3)  # the failed driver exits
                continue
            ray_timing(ray, run)
            algorithms.append({"algorithm": algorithm, **run})
            print(f"   {run['seconds']:.2f}s fit {run['fit_seconds']:.2f}s accuracy {run['accuracy']:.4f} "
                  f"parity {run['parity']}", flush=True)
        return {"rows": args.rows, "columns": len(types), "files": len(data_files), "rounds": rounds,
                "algorithms": algorithms, "load": os.getloadavg(), "poll_s": args.poll}
    finally:
        if direct is not None:
            direct.cleanup()
        if platform is not None:
            for train_id in platform.train_ids:
                api.call("DELETE", f"/api/v1/train/delete/{train_id}")
        if dataset_id is not None:
            api.call("DELETE", f"/api/v1/dataset/delete/{dataset_id}")


def render(result: dict, info: dict, load_before: tuple) -> str:
    rounds = result["rounds"]

    def stat(side, key, how):
        return how([r[key] for r in rounds[side]])

    lines = [BEGIN, "",
             f"Last run: {info['date']}; {info['cpus']} CPUs, {info['mem_gib']:.1f} GiB RAM; commit "
             f"`{info['commit']}`; load average {load_before[0]:.1f} before, {result['load'][0]:.1f} after; "
             f"{result['rows']:,} rows × {result['columns']} columns in {result['files']} Parquet data file(s).", "",
             f"XGBoost, {len(rounds['platform'])} alternating rounds after one warm-up run of each:", "",
             "| | platform s | direct Ray s | platform added s |", "|---|---:|---:|---:|"]
    for name, how in (("median", statistics.median), ("min", min)):
        p, d = stat("platform", "seconds", how), stat("direct", "seconds", how)
        lines.append(f"| submission → completion, {name} | {p:.2f} | {d:.2f} | {p - d:+.2f} |")
    for label, key in (("submit call returns", "submit_s"), ("Ray starts the job", "ray_start_s"),
                       ("Ray sees the job end", "ray_end_s")):
        p, d = stat("platform", key, statistics.median), stat("direct", key, statistics.median)
        lines.append(f"| {label} (median, s after t0) | {p:.2f} | {d:.2f} | {p - d:+.2f} |")
    for side in ("platform", "direct"):
        for r in rounds[side]:
            r["running_s"] = r["seconds"] - r["ray_start_s"]
    p, d = stat("platform", "running_s", statistics.median), stat("direct", "running_s", statistics.median)
    lines.append(f"| Ray start → completion seen (median) | {p:.2f} | {d:.2f} | {p - d:+.2f} |")
    callbacks = [r for r in rounds["platform"] if r.get("callback_ms") is not None]
    if callbacks:
        lines.append(f"| training-service answering the callback (median, ms) | "
                     f"{statistics.median(r['callback_ms'] for r in callbacks):.0f} | | |")
        lines.append(f"| callback answered → list shows completed (median, s) | "
                     f"{statistics.median(r['seen_after_callback_s'] for r in callbacks):.2f} | | |")
        own = statistics.median(r["ray_start_s"] + r["callback_ms"] / 1000 + r["seen_after_callback_s"]
                                for r in callbacks) - stat("direct", "ray_start_s", statistics.median)
        lines.append(f"| **the platform's own steps**: Ray start + callback answer + list seeing it, less direct's Ray "
                     f"start (median) | | | **{own:+.2f}** |")
    lines.append(f"| fit seconds (median) | {stat('platform', 'fit_seconds', statistics.median):.2f} | "
                 f"{stat('direct', 'fit_seconds', statistics.median):.2f} | |")
    if all(r["service_cpu_s"] is not None for side in rounds.values() for r in side):
        p, d = stat("platform", "service_cpu_s", statistics.median), stat("direct", "service_cpu_s", statistics.median)
        lines.append(f"| CPU s of gateway + training-service + PostgreSQL during the run (median) | {p:.2f} | {d:.2f} "
                     f"| {p - d:+.2f} |")
    lines += ["", f"The platform's GET /train/list, polled every {1000 * result['poll_s']:.0f} ms, took "
              f"{1000 * stat('platform', 'list_s', statistics.median):.0f} ms per poll (median of the runs' mean)."]
    if result["algorithms"]:
        lines += ["", "One platform run per algorithm:", "",
                  "| algorithm | submission → completion s | fit s | accuracy | ONNX max abs diff | label agreement |",
                  "|---|---:|---:|---:|---:|---:|"]
    for a in result["algorithms"]:
        if a.get("error"):
            lines.append(f"| {a['algorithm']} | failed after {a['seconds']:.2f} | | | | |")
            continue
        parity = a["parity"] or {}
        lines.append(f"| {a['algorithm']} | {a['seconds']:.2f} | {a['fit_seconds']:.2f} | {a['accuracy']:.5f} | "
                     f"{parity.get('max_abs_diff', float('nan')):.1e} | {parity.get('label_agreement', float('nan')):.4f} |")
    failures = [f"- {a['algorithm']} failed: `{a['error']}`" for a in result["algorithms"] if a.get("error")]
    return "\n".join(lines + ([""] + failures if failures else []) + ["", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--ray", default=os.environ.get("DMLP_RAY_ADDRESS", "http://127.0.0.1:8265"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--poll", type=float, default=0.05, help="seconds between the platform's list polls")
    parser.add_argument("--algorithms", type=lambda v: [a for a in v.split(",") if a], default=list(ALGORITHMS),
                        help="comma-separated, one platform run each (empty: none)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one run may take")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    args = parser.parse_args()
    info, load_before = machine(), os.getloadavg()
    try:
        result = bench(args)
    except BenchError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    section = render(result, info, load_before)
    print("\n" + section)
    if args.out:
        write_section(args.out, section, BEGIN, END)
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

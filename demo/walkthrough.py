"""The getting-started walk-through (docs/getting-started.md), run against a running platform on generated data:
`./dmlp demo` after `./dmlp up`. Each step prints what it did and what the platform answered, and the curl that
does the same. It makes a tenant of its own (demo-<time>) with an administrator, so it never touches other data.

    ~/.cache/dmlp/venv/bin/python demo/walkthrough.py --gateway http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import sys
import threading
import time
import uuid

import requests


class Demo:
    def __init__(self, gateway: str):
        self.gateway = gateway.rstrip("/")
        self.token = ""
        self.step = 0

    def say(self, title: str, curl: str) -> None:
        self.step += 1
        print(f"\n== {self.step}. {title}\n   $ {curl}", flush=True)

    def call(self, method: str, path: str, token: str | None = None, expect: tuple = (200, 201, 202), **kw):
        headers = {"Authorization": f"Bearer {token or self.token}"} if (token or self.token) else {}
        response = requests.request(method, self.gateway + path, headers=headers, timeout=120, **kw)
        if response.status_code not in expect:
            sys.exit(f"!! {method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if "json" in response.headers.get("Content-Type", "") else response.text

    def log_in(self, username: str, password: str) -> str:
        return self.call("POST", "/api/v1/login/access-token", token="-",
                         data={"username": username, "password": password})["access_token"]


def churn_csv(rows: int, seed: int, bad_rows: int = 0) -> str:
    generator = random.Random(seed)
    lines = ["customer,tenure,plan,monthly_charge,churn"]
    for i in range(rows):
        tenure, plan = generator.randint(1, 60), generator.choice(["basic", "pro", "max"])
        churn = (tenure < 20 and plan == "basic") or tenure < 8 or generator.random() < 0.05
        charge = f"{generator.uniform(10, 90):.2f}" if i >= bad_rows else "n/a"  # the first rows break the contract
        lines.append(f"c{i},{tenure},{plan},{charge},{str(churn).lower()}")
    return "\n".join(lines) + "\n"


def sales_csv(days: int = 90) -> str:
    generator = random.Random(7)
    lines = ["store,day,sales"]
    start = datetime.date(2026, 1, 1)
    for number, store in enumerate(["north", "south"]):
        for t in range(days):
            sales = 100 + 20 * number + 0.5 * t + 8 * math.sin(2 * math.pi * t / 7 + number) + generator.gauss(0, 3)
            lines.append(f"{store},{start + datetime.timedelta(days=t)},{sales:.2f}")
    return "\n".join(lines) + "\n"


def follow_events(demo: Demo, seen: list, stop: threading.Event) -> None:
    """Prints the tenant's job events from the event stream while the run trains."""
    try:
        with requests.get(demo.gateway + "/api/v1/events/stream", stream=True, timeout=(10, 60),
                          headers={"Authorization": f"Bearer {demo.token}"}) as stream:
            if stream.status_code != 200:
                print(f"   (event stream: {stream.status_code})", flush=True)
                return
            for line in stream.iter_lines(decode_unicode=True):
                if stop.is_set():
                    return
                if line and line.startswith("event:"):
                    seen.append(line[6:].strip())
                    print(f"   event: {line[6:].strip()}", flush=True)
    except requests.RequestException:
        return


def wait_for_run(demo: Demo, train_id: int, timeout_s: float = 600) -> dict:
    deadline = time.time() + timeout_s
    while True:
        runs = demo.call("GET", "/api/v1/train/refresh", params={"limit": 1000})["data"]
        run = next(r for r in runs if r["id"] == train_id)
        if run["train_status"] in ("completed", "failed", "cancelled"):
            return run
        if time.time() > deadline:
            sys.exit(f"!! run {train_id} still {run['train_status']} after {timeout_s:.0f} s")
        time.sleep(2)


def wait_until_servable(demo: Demo, train_id: int, timeout_s: float = 30) -> None:
    """inference-service learns of a model from training's events, a moment after the run completed."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        form = requests.get(f"{demo.gateway}/api/v1/inference/form-based-prediction", params={"id": train_id},
                            headers={"Authorization": f"Bearer {demo.token}"}, timeout=30)
        if form.status_code == 200:
            return
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default=os.environ.get("DMLP_GATEWAY_URL", "http://127.0.0.1:8000"))
    args = parser.parse_args()
    demo = Demo(args.gateway)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    G = demo.gateway

    demo.say("Log in as the platform administrator and make a tenant with its own administrator",
             f"curl -X POST {G}/api/v1/login/access-token -d 'username=admin&password=…'")
    platform = demo.log_in("admin", os.environ.get("DMLP_ADMIN_PASSWORD") or "admin123")
    tenant = demo.call("POST", "/api/v1/tenants", token=platform, json={"name": f"demo-{stamp}"})
    password = f"Demo-{uuid.uuid4().hex}"
    user = demo.call("POST", "/api/v1/users/create-user", token=platform, json={
        "tenant_id": tenant["id"], "first_name": "Demo", "last_name": "Analyst", "email": f"demo-{stamp}@example.com",
        "username": f"demo-{stamp}", "password": password})
    roles = demo.call("GET", "/api/v1/rbac/roles", token=platform, params={"tenant_id": tenant["id"]})
    admin_role = next(r["id"] for r in roles if r["name"] == "admin")
    demo.call("POST", f"/api/v1/users/{user['id']}/roles", token=platform, json={"role_id": admin_role})
    demo.token = demo.log_in(f"demo-{stamp}", password)
    print(f"   tenant {tenant['name']} ({tenant['id']}), user demo-{stamp}: signed in")

    demo.say("Make a template: the data contract uploads are checked against",
             f"curl -X POST {G}/api/v1/template/ -H 'Authorization: Bearer …' -H 'Content-Type: application/json' "
             "-d '{\"template_name\": \"Churn\", \"template_schema\": [...]}'")
    template = demo.call("POST", "/api/v1/template/", json={"template_name": f"Churn {stamp}", "template_schema": [
        {"column_name": "customer", "data_type": "String"}, {"column_name": "tenure", "data_type": "Integer"},
        {"column_name": "plan", "data_type": "String"}, {"column_name": "monthly_charge", "data_type": "Float"},
        {"column_name": "churn", "data_type": "Boolean"}]})
    print(f"   template {template['id']}: {template['message']}")

    demo.say("Upload a CSV with three bad rows and read the validation report",
             f"curl -X POST '{G}/api/v1/dataset/upload?dataset_name=churn&usage=t&template_id=…' -F files=@churn.csv")
    uploaded = demo.call("POST", "/api/v1/dataset/upload", params={
        "dataset_name": f"churn-{stamp}", "usage": "t", "template_id": template["id"]},
        files={"files": ("churn.csv", churn_csv(400, seed=1, bad_rows=3), "text/csv")})
    file = uploaded["files"][0]
    print(f"   dataset {uploaded['dataset_id']}: {file['total_records']} rows; the report's first errors:")
    for error in file["error_report"]["errors"][:3]:
        print(f"     row {error['row']}, {error['column']} = {error['value']!r}: {error['reason']}")

    demo.say("Train XGBoost, following the job's events on the tenant's event stream",
             f"curl -X POST {G}/api/v1/train/ -d '{{\"dataset_id\": …, \"algorithm\": \"XGBoost\", ...}}'; "
             f"curl -N {G}/api/v1/events/stream -H 'Authorization: Bearer …'")
    seen: list = []
    stop = threading.Event()
    follower = threading.Thread(target=follow_events, args=(demo, seen, stop), daemon=True)
    follower.start()
    time.sleep(1)
    columns = [{"column_name": "customer", "attribute_name": "Id"},
               {"column_name": "tenure", "attribute_name": "Feature"},
               {"column_name": "plan", "attribute_name": "Feature"},
               {"column_name": "monthly_charge", "attribute_name": "Feature"},
               {"column_name": "churn", "attribute_name": "Target"}]
    started = demo.call("POST", "/api/v1/train/", json={
        "dataset_id": uploaded["dataset_id"], "predictor_name": f"churn-{stamp}", "domain": "Churn",
        "problem_type": "Classification", "columns": columns, "is_incremental": False, "algorithm": "XGBoost",
        "shap_enabled": False})
    run = wait_for_run(demo, started["id"])
    time.sleep(2)
    stop.set()
    print(f"   run {run['id']}: {run['train_status']}; events seen: {len(seen)}")
    summary = demo.call("GET", "/api/v1/train/model-summary", params={"train_id": run["id"]})
    print(f"   hold-out metrics: {json.dumps(summary['model_summary'])}; confusion matrix "
          f"{summary['confusion_matrix']} for labels {summary['labels']}")

    demo.say("Predict one customer in real time (answered inside inference-service, no round trip)",
             f"curl -X POST {G}/api/v1/inference/ -d '{{\"train_id\": …, \"features\": {{...}}}}'")
    wait_until_servable(demo, run["id"])
    prediction = demo.call("POST", "/api/v1/inference/", json={
        "train_id": run["id"], "preprocess_id": run["preprocess_id"], "target": "churn",
        "features": {"tenure": 5, "plan": "basic", "monthly_charge": 70.0}})
    print(f"   {json.dumps(prediction)[:300]}")

    demo.say("Predict a whole dataset in batch on Ray, then download the result",
             f"curl -X POST {G}/api/v1/inference/batchPrediction -d '{{\"train_id\": …, \"dataset_id\": …}}'")
    to_score = demo.call("POST", "/api/v1/dataset/upload", params={"dataset_name": f"to-score-{stamp}", "usage": "p"},
                         files={"files": ("customers.csv", churn_csv(50, seed=2), "text/csv")})
    batch = demo.call("POST", "/api/v1/inference/batchPrediction",
                      json={"train_id": run["id"], "dataset_id": to_score["dataset_id"]})
    deadline = time.time() + 600
    while True:
        result = demo.call("GET", "/api/v1/inference/result", params={"prediction_id": batch["prediction_id"]})
        if result["status"] in ("failed", "cancelled") or (result["status"] == "completed" and result["file_id"]):
            break
        if time.time() > deadline:
            sys.exit(f"!! batch prediction {batch['prediction_id']} still {result['status']}")
        time.sleep(2)
    print(f"   prediction {batch['prediction_id']}: {result['status']}, {result.get('no_of_records')} rows, "
          f"accuracy {result.get('accuracy')}")
    if result["status"] == "completed":
        file = demo.call("GET", "/api/v1/files/get_file_by_id", params={"file_id": result["file_id"]})
        csv = demo.call("GET", "/api/v1/files/download", params={"file_path": file["csv_file_path"]})
        print("   result.csv: " + " | ".join(csv.splitlines()[:3]))

    demo.say("Train a forecaster on two daily series and forecast a week",
             f"curl -X POST {G}/api/v1/inference/forecast -d '{{\"steps\": 7, \"frequency\": \"Day\", ...}}'")
    sales = demo.call("POST", "/api/v1/dataset/upload", params={"dataset_name": f"sales-{stamp}", "usage": "t"},
                      files={"files": ("sales.csv", sales_csv(), "text/csv")})
    started = demo.call("POST", "/api/v1/train/", json={
        "dataset_id": sales["dataset_id"], "predictor_name": f"sales-{stamp}", "domain": "Sales",
        "problem_type": "Forecast", "is_incremental": False, "algorithm": "AutoETS", "shap_enabled": False,
        "columns": [{"column_name": "store", "data_type": "String", "attribute_name": "Id"},
                    {"column_name": "day", "data_type": "Date", "attribute_name": "Timestamp"},
                    {"column_name": "sales", "data_type": "Float", "attribute_name": "Target"}]})
    forecaster = wait_for_run(demo, started["id"])
    wait_until_servable(demo, forecaster["id"])
    forecast = demo.call("POST", "/api/v1/inference/forecast", json={
        "train_id": forecaster["id"], "preprocess_id": forecaster["preprocess_id"], "steps": 7, "frequency": "Day",
        "unique_id": "north"})
    for point in forecast["forecast"][:3]:
        print(f"   {point['date']}: {point['value']:.1f} ({point['confidence']:.0%} interval "
              f"{point['lower']:.1f}–{point['upper']:.1f})")

    demo.say("Browse the datalake: the validated rows are an Iceberg table",
             f"curl '{G}/api/v1/datalake/schemas/tables?schema_name=silver'")
    tables = demo.call("GET", "/api/v1/datalake/schemas/tables", params={"schema_name": "silver"})
    table = next(t for t in tables if t.startswith("churn"))
    columns = demo.call("GET", "/api/v1/datalake/tables/columns", params={"schema_name": "silver", "table_name": table})
    stats = demo.call("GET", "/api/v1/datalake/numeric_stats", params={
        "schema_name": "silver", "table_name": table, "column_name": "monthly_charge"})
    print(f"   silver.{table}: {[c['column_name'] for c in columns]}; monthly_charge mean {stats['mean']:.2f}, "
          f"min {stats['min']}, max {stats['max']}")

    print(f"\nDone. Tenant {tenant['name']} keeps what the walk-through made; to look at it in the console, open "
          f"{G}/ and sign in as demo-{stamp} with the password {password} (a local demo user).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

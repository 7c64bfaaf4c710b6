"""Datalake benchmark: numeric_stats and distinct-count on a 10M-row silver table against DuckDB.

Run it with the platform up (`./dmlp up`):

    ./dmlp bench datalake                       # 10,000,000 rows
    DMLP_BENCH_ROWS=2000000 ./dmlp bench datalake

It generates a CSV (id: Integer, unique; amount: Float; category: String, 1,000 values; day: Date), uploads it
through the gateway into a dataset whose silver table is `bench_datalake_<time>`, then times (the first call, cold,
then the best of three repeated calls, answered from the statistics cache), after the same calls on a smaller table
(--warmup-rows) have warmed the service's JVM

  - GET /api/v1/datalake/numeric_stats  (amount): count, mean, std_dev, min, max, median
  - GET /api/v1/datalake/distinct-count (category; and id, 10M distinct, where the service switches to a sketch)

and DuckDB (from PyPI, installed by ./dmlp bench beside the project venv) computing the same over the same
Parquet data files, read from the same S3 store through pyarrow's S3 filesystem. The answers are compared; the
table goes into the section between <!-- datalake:begin --> and <!-- datalake:end --> of --out. The dataset
and template are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.dataset as pads
import pyarrow.fs as pafs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.ingest import Api, BenchError, MultipartFile, delete_template, machine, write_section  # noqa: E402

BEGIN, END = "<!-- datalake:begin -->", "<!-- datalake:end -->"
COLUMNS = [("id", "Integer"), ("amount", "Float"), ("category", "String"), ("day", "Date")]
CHUNK = 1_000_000
RUNS = 3


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    categories = np.array([f"cat-{i:04d}" for i in range(1000)])
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(name for name, _ in COLUMNS) + "\n")
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            pd.DataFrame({
                "id": np.arange(start + 1, start + n + 1),
                "amount": np.round(rng.gamma(2.0, 50.0, n), 2),
                "category": categories[rng.integers(0, 1000, n)],
                "day": (np.datetime64("2024-01-01") + rng.integers(0, 730, n)).astype(str),
            }).to_csv(f, header=False, index=False, lineterminator="\n")


def cold_then_repeated(call) -> tuple[float, float, object]:
    """The platform caches statistics per table snapshot: the first call scans (cold), the next ones do not."""
    t0 = time.perf_counter()
    call()
    cold = time.perf_counter() - t0
    repeated, answer = best_of(call)
    return cold, repeated, answer


def best_of(call) -> tuple[float, object]:
    timings, answer = [], None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        answer = call()
        timings.append(time.perf_counter() - t0)
    return min(timings), answer


def bench(args: argparse.Namespace) -> dict:
    api = Api(args.gateway, os.environ.get("DMLP_ADMIN_PASSWORD") or "admin123")
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    template_id, dataset_ids = None, []
    with tempfile.TemporaryDirectory(prefix="dmlp-bench-", dir="/tmp") as tmp:
        try:
            template_id = api.call("POST", "/api/v1/template/", expect=(201,), json={
                "template_name": f"bench-datalake-{stamp}", "template_schema": [
                    {"column_name": n, "data_type": t, "default_value": None} for n, t in COLUMNS]}).json()["id"]
            # The service's scan code is compiled by the JIT on a small table first, so that "cold" below means
            # statistics not computed yet (a new snapshot), not a JVM that has not run the code.
            warm_table = f"bench_datalake_warmup_{stamp}"
            upload(api, Path(tmp), args.warmup_rows, warm_table, template_id, dataset_ids)
            print(f"== warming the datalake service on {args.warmup_rows:,} rows ...", flush=True)
            for _ in range(RUNS):
                platform_calls(api, warm_table)
            table = f"bench_datalake_{stamp}"
            files = upload(api, Path(tmp), args.rows, table, template_id, dataset_ids)
            return {"rows": args.rows, "files": len(files), **measure(api, table, files)}
        finally:
            for dataset_id in dataset_ids:
                api.call("DELETE", f"/api/v1/dataset/delete/{dataset_id}")
            if template_id is not None:
                delete_template(api, template_id)


def upload(api: Api, tmp: Path, rows: int, table: str, template_id: int, dataset_ids: list) -> list[str]:
    """Generates `rows` rows and uploads them into silver.<table>: the data files' locations."""
    csv = tmp / f"{table}.csv"
    print(f"== generating {rows:,} rows ...", flush=True)
    generate(csv, rows)
    body = MultipartFile(csv)
    print(f"== uploading {csv.stat().st_size / 2**20:.0f} MB into silver.{table} ...", flush=True)
    uploaded = api.call("POST", "/api/v1/dataset/upload", timeout=(10, 3600), data=body,
                        params={"dataset_name": table, "usage": "t", "template_id": template_id,
                                "iceberg_table_name": table},
                        headers={"Content-Type": body.content_type}).json()
    dataset_ids.append(uploaded["dataset_id"])
    csv.unlink()
    if uploaded["files"][0]["total_records"] != rows:
        raise BenchError(f"uploaded {uploaded['files'][0]['total_records']} rows, expected {rows}")
    return api.call("GET", "/api/v1/files/get_file_by_id/",
                    params={"file_id": uploaded["files"][0]["id"]}).json()["hdf_file_paths"]


def platform_calls(api: Api, table: str) -> list:
    """numeric_stats(amount), distinct-count(category), distinct-count(id) as calls to time."""
    where = {"schema_name": "silver", "table_name": table}
    calls = [lambda: api.call("GET", "/api/v1/datalake/numeric_stats", timeout=600,
                              params={**where, "column_name": "amount"}).json()]
    for column in ("category", "id"):
        calls.append(lambda column=column: api.call("GET", "/api/v1/datalake/distinct-count", timeout=600, params={
            "schema": "silver", "table": table, "column": column}).json())
    return [cold_then_repeated(call) for call in calls]


def measure(api: Api, table: str, files: list[str]) -> dict:
    print("== platform: numeric_stats(amount), distinct-count(category), distinct-count(id) ...", flush=True)
    (stats_s, stats_again_s, stats), (cat_s, cat_again_s, cat), (ids_s, ids_again_s, ids) = \
        platform_calls(api, table)

    print("== duckdb over the same Parquet files (pyarrow S3 filesystem) ...", flush=True)
    endpoint = os.environ["DMLP_S3_ENDPOINT"]
    s3 = pafs.S3FileSystem(endpoint_override=endpoint.split("://", 1)[1], scheme=endpoint.split("://", 1)[0],
                           access_key=os.environ["DMLP_S3_ACCESS_KEY"], secret_key=os.environ["DMLP_S3_SECRET_KEY"],
                           region=os.environ.get("DMLP_S3_REGION", "us-east-1"), force_virtual_addressing=False)
    data = pads.dataset([f.removeprefix("s3://") for f in files], format="parquet", filesystem=s3)
    con = duckdb.connect()
    con.register("silver", data)
    duck_stats_s, duck_stats_again_s, duck_stats = cold_then_repeated(lambda: con.execute(
        "select count(amount), avg(amount), stddev_samp(amount), min(amount), max(amount), median(amount) "
        "from silver").fetchone())
    duck_cat_s, duck_cat_again_s, duck_cat = cold_then_repeated(
        lambda: con.execute("select count(distinct category) from silver").fetchone()[0])
    duck_ids_s, duck_ids_again_s, duck_ids = cold_then_repeated(
        lambda: con.execute("select count(distinct id) from silver").fetchone()[0])

    ours = (stats["count"], stats["mean"], stats["std_dev"], stats["min"], stats["max"], stats["median"])
    print(f"  platform numeric_stats {stats_s:.2f}s (repeated {1000 * stats_again_s:.0f} ms) {ours}"
          f" approximate={stats['approximate']}")
    print(f"  duckdb   numeric_stats {duck_stats_s:.2f}s {duck_stats}")
    print(f"  distinct category: platform {cat_s:.2f}s (repeated {1000 * cat_again_s:.0f} ms) {cat['distinct_count']},"
          f" duckdb {duck_cat_s:.2f}s {duck_cat}")
    print(f"  distinct id:       platform {ids_s:.2f}s (repeated {1000 * ids_again_s:.0f} ms) {ids['distinct_count']}"
          f" (approximate={ids['approximate']}),"
          f" duckdb {duck_ids_s:.2f}s {duck_ids}")
    for mine, theirs in zip(ours, duck_stats):
        if not np.isclose(mine, theirs, rtol=1e-6 if not stats["approximate"] else 2e-2):
            raise BenchError(f"numeric_stats disagree with DuckDB: {ours} vs {duck_stats}")
    if cat["distinct_count"] != duck_cat or abs(ids["distinct_count"] - duck_ids) > 0.03 * duck_ids:
        raise BenchError(f"distinct counts disagree with DuckDB: {cat}, {ids} vs {duck_cat}, {duck_ids}")
    return {"stats": (stats_s, duck_stats_s, stats_again_s, duck_stats_again_s, stats["approximate"]),
            "category": (cat_s, duck_cat_s, cat_again_s, duck_cat_again_s, False),
            "id": (ids_s, duck_ids_s, ids_again_s, duck_ids_again_s, ids["approximate"]),
            "id_error": abs(ids["distinct_count"] - duck_ids) / duck_ids}


def render(result: dict, info: dict) -> str:
    rows = [("`numeric_stats` amount (count, mean, std_dev, min, max, median)", result["stats"]),
            ("`distinct-count` category (1,000 values)", result["category"]),
            (f"`distinct-count` id ({result['rows']:,} values; sketch error "
             f"{100 * result['id_error']:.2f}%)", result["id"])]
    lines = [BEGIN, "",
             f"Last run: {info['date']}; {info['cpus']} CPUs, {info['mem_gib']:.1f} GiB RAM; commit "
             f"`{info['commit']}`; {result['rows']:,} rows in {result['files']} Parquet data file(s). Cold: the "
             f"first call on the table (the platform caches statistics per table snapshot; its JVM was warmed on a "
             f"smaller table first); repeated: best of the next {RUNS}.", "",
             "| query | platform cold s | DuckDB cold s | platform repeated ms | DuckDB repeated s "
             "| platform approximate |",
             "|---|---:|---:|---:|---:|---|"]
    lines += [f"| {name} | {cold:.2f} | {duck:.2f} | {1000 * again:.0f} | {duck_again:.2f} "
              f"| {'yes' if approx else 'no'} |" for name, (cold, duck, again, duck_again, approx) in rows]
    return "\n".join(lines + ["", END])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--warmup-rows", type=int, default=1_000_000,
                        help="rows of the table the service's JVM is warmed on before the measured one")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    info = machine()
    try:
        result = bench(args)
    except BenchError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1
    section = render(result, info)
    print("\n" + section)
    if args.out:
        write_section(args.out, section, BEGIN, END)
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

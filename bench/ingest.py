"""Ingest benchmark: a CSV upload through the gateway (validation + storage) against pandas on the same file.

Run it with the platform up (`./dmlp up`):

    ./dmlp bench [ingest]                      # 256 MB and 1024 MB (MB = 2^20 bytes)
    DMLP_BENCH_SIZE_MB=512 ./dmlp bench        # 256 MB and 512 MB

or directly, from the repository root:

    ~/.cache/dmlp/venv/bin/python bench/ingest.py --gateway http://127.0.0.1:8000 --size-mb 1024 \
        --service-pid "$(cat .dmlp/run/dataset-service.pid)" --out docs/benchmarks.md

After unmeasured warm-up uploads (WARM_UP_ROUNDS of 64 MB: a long-running service has its ingest path compiled by
the JIT; one 64 MB upload left C2 still compiling through the first measured one), for each size (256 MB, then --size-mb; one run when --size-mb <= 256) it
  1. generates a deterministic CSV (seeded; 20 columns: 6 Integer, 6 Float, 4 String with some quoted
     values, 2 Boolean, 1 Date, 1 DateTime; ~1% empty cells) in chunks into a temp dir under /tmp;
  2. uploads it to POST /api/v1/dataset/upload as a streamed multipart body (Content-Length known up front,
     the file read from disk in 1 MB pieces), timing request start to response, while sampling the
     dataset-service's VmRSS every 100 ms (and its VmHWM, reset before the upload where the kernel allows);
  3. checks the answer (total_records = generated rows, is_valid, no error report), deletes the dataset;
  4. runs the pandas path in a child process: read_csv as text, per-column conversion with invalid-cell
     counts, defaults, valid rows kept, to_parquet (pyarrow, snappy); its time and the child's peak RSS;
  5. runs the ceiling, each in a child process: DuckDB (read_csv with the template's types, COPY to Parquet,
     snappy) and pyarrow (csv.read_csv with the template's types, write_table, snappy): CSV → typed Parquet
     with no per-row validation report, the speed of light on this machine. DuckDB comes from
     bench/requirements.txt (./dmlp bench puts it on PYTHONPATH); without it that column reads n/a.
The template is created once and deleted at the end; the temp dir is removed. The results table replaces
the section between <!-- ingest:begin --> and <!-- ingest:end --> of --out (appended if absent).
Exit code 1 with the response body on any failed call or unexpected answer.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import requests

MB = 1 << 20
SMALL_MB = 256
WARM_UP_MB = 64  # uploads first, not measured: a long-running service has its ingest path JIT-compiled
WARM_UP_ROUNDS = 4
SEED = 20250918
CHUNK_ROWS = 20_000
EMPTY_SHARE = 0.01
BEGIN, END = "<!-- ingest:begin -->", "<!-- ingest:end -->"
INT_SCALES = [100, 10_000, 1_000_000, 100_000_000, 10_000_000_000, 1_000_000_000_000]
FLOAT_SCALES = [(1.0, 4), (100.0, 2), (1e4, 3), (0.01, 6), (1e6, 1), (50.0, 5)]  # (scale, decimals)
STRING_MAX_LEN = [8, 24, 64, 160]
COLUMNS = ([(f"int_{i}", "Integer") for i in range(6)] + [(f"float_{i}", "Float") for i in range(6)]
           + [(f"str_{i}", "String") for i in range(4)] + [("bool_0", "Boolean"), ("bool_1", "Boolean"),
                                                          ("date_0", "Date"), ("datetime_0", "DateTime")])
DATE_FORMAT, DATETIME_FORMAT = "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"


class BenchError(Exception):
    pass


# ----------------------------------------------------------------------------------------------- data

def _string_pool(rng: np.random.Generator, max_len: int, size: int = 4096) -> np.ndarray:
    """Words of varied lengths; ~15% hold a comma (quoted in the CSV), ~2% a double quote (escaped)."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789   "))
    pool = []
    for length in rng.integers(1, max_len + 1, size):
        s = "".join(rng.choice(letters, length)).strip() or "x"
        r = rng.random()
        if r < 0.15:
            s = f"{s[: len(s) // 2]}, {s[len(s) // 2:]}"
        elif r < 0.17:
            s = f'{s} "quoted"'
        pool.append(s)
    return np.array(pool, dtype=object)


def _chunk(rng: np.random.Generator, n: int, pools: list[np.ndarray]) -> pd.DataFrame:
    def empty() -> np.ndarray:
        return rng.random(n) < EMPTY_SHARE

    cols: dict[str, object] = {}
    for i, scale in enumerate(INT_SCALES):
        cols[f"int_{i}"] = pd.Series(rng.integers(-scale, scale, n), dtype="Int64").mask(empty())
    for i, (scale, decimals) in enumerate(FLOAT_SCALES):
        values = np.round(rng.normal(0.0, scale, n), decimals)
        values[empty()] = np.nan
        cols[f"float_{i}"] = values
    for i, pool in enumerate(pools):
        values = pool[rng.integers(0, len(pool), n)]
        values[empty()] = None
        cols[f"str_{i}"] = values
    for i in range(2):
        cols[f"bool_{i}"] = pd.Series(rng.random(n) < 0.5, dtype="boolean").mask(empty())
    days = np.datetime64("2000-01-01") + rng.integers(0, 30 * 365, n).astype("timedelta64[D]")
    seconds = np.datetime64("2000-01-01T00:00:00") + rng.integers(0, 30 * 365 * 86400, n).astype("timedelta64[s]")
    for name, stamps, unit in (("date_0", days, "D"), ("datetime_0", seconds, "s")):
        values = np.datetime_as_string(stamps, unit=unit).astype(object)
        values[empty()] = None
        cols[name] = values
    return pd.DataFrame(cols, columns=[name for name, _ in COLUMNS])


def generate_csv(path: Path, size_mb: float, seed: int = SEED) -> int:
    """Writes a CSV of about size_mb (never below), chunk by chunk; returns the number of data rows."""
    rng = np.random.default_rng(seed)
    pools = [_string_pool(rng, m) for m in STRING_MAX_LEN]
    target, rows = int(size_mb * MB), 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(",".join(name for name, _ in COLUMNS) + "\n")
        while (written := f.tell()) < target:
            n = CHUNK_ROWS if rows == 0 else max(1, min(CHUNK_ROWS, math.ceil((target - written) * rows / written)))
            _chunk(rng, n, pools).to_csv(f, header=False, index=False, lineterminator="\n")
            rows += n
    return rows


# ----------------------------------------------------------------------------------------------- pandas

def pandas_ingest(csv: Path, parquet: Path, defaults: dict[str, object] | None = None) -> dict:
    """Validation from text as the platform does it: every cell read as a string, converted per column;
    an unconvertible non-empty cell makes its row invalid; empty cells take the column's default."""
    defaults = defaults or {}
    df = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])
    valid = np.ones(len(df), dtype=bool)
    invalid_cells = {}
    for name, kind in COLUMNS:
        text = df[name]
        if kind in ("Integer", "Float"):
            value = pd.to_numeric(text.str.strip(), errors="coerce")
            bad = value.isna() | ~np.isfinite(value.astype("float64"))
            if kind == "Integer":
                bad |= value.fillna(0) % 1 != 0
                value = value.where(~bad).astype("Int64")
        elif kind == "Boolean":
            value = text.str.strip().str.lower().map({"true": True, "false": False}).astype("boolean")
            bad = value.isna()
        elif kind in ("Date", "DateTime"):
            value = pd.to_datetime(text.str.strip(), format=DATE_FORMAT if kind == "Date" else DATETIME_FORMAT,
                                   errors="coerce")
            bad = value.isna()
        else:
            value, bad = text, text.isna()
        bad = (bad & text.notna()).to_numpy()
        invalid_cells[name] = int(bad.sum())
        valid &= ~bad
        if defaults.get(name) is not None:
            value = value.fillna(defaults[name])
        df[name] = value
    df = df[valid]
    df.to_parquet(parquet, engine="pyarrow", compression="snappy", index=False)
    return {"rows": int(len(valid)), "valid_rows": int(valid.sum()),
            "invalid_cells": {k: v for k, v in invalid_cells.items() if v}}


def run_pandas(csv: Path, parquet: Path) -> dict:
    """The pandas path in a fresh interpreter, so neither the generator's nor this process's memory counts."""
    return _child("pandas", csv, parquet)


# ----------------------------------------------------------------------------------------------- ceiling

DUCKDB_TYPES = {"Integer": "BIGINT", "Float": "DOUBLE", "String": "VARCHAR", "Boolean": "BOOLEAN", "Date": "DATE",
                "DateTime": "TIMESTAMP"}


def duckdb_ingest(csv: Path, parquet: Path) -> dict:
    """CSV → typed Parquet in DuckDB: the template's types, snappy; rows that do not convert fail the run."""
    import duckdb  # noqa: PLC0415  (bench/requirements.txt, on PYTHONPATH under ./dmlp bench)

    columns = ", ".join(f"'{name}': '{DUCKDB_TYPES[kind]}'" for name, kind in COLUMNS)
    con = duckdb.connect()
    rows = con.execute(f"COPY (SELECT * FROM read_csv('{csv}', header = true, delim = ',', quote = '\"', "
                       f"escape = '\"', columns = {{{columns}}})) TO '{parquet}' "
                       f"(FORMAT parquet, COMPRESSION snappy)").fetchone()[0]
    return {"rows": int(rows), "threads": int(con.execute("select current_setting('threads')").fetchone()[0])}


def pyarrow_ingest(csv: Path, parquet: Path) -> dict:
    """CSV → typed Parquet in pyarrow: the template's types, snappy (multi-threaded read, one write)."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pcsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    types = {"Integer": pa.int64(), "Float": pa.float64(), "String": pa.string(), "Boolean": pa.bool_(),
             "Date": pa.date32(), "DateTime": pa.timestamp("us")}
    table = pcsv.read_csv(csv, convert_options=pcsv.ConvertOptions(
        column_types={name: types[kind] for name, kind in COLUMNS}))
    pq.write_table(table, parquet, compression="snappy")
    return {"rows": table.num_rows}


ENGINES = {"pandas": lambda csv, parquet: pandas_ingest(csv, parquet), "duckdb": duckdb_ingest,
           "pyarrow": pyarrow_ingest}


def _engine_child(engine: str, csv: str, parquet: str) -> None:
    started = time.perf_counter()
    result = ENGINES[engine](Path(csv), Path(parquet))
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(result))


def _child(engine: str, csv: Path, parquet: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--engine-child", engine, str(csv), str(parquet)],
                          capture_output=True, text=True)
    parquet.unlink(missing_ok=True)
    if done.returncode != 0:
        raise BenchError(f"{engine} path failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_ceiling(engine: str, csv: Path, parquet: Path, rows: int) -> dict | None:
    """An engine's CSV → Parquet time on the same file, or None when the engine is not installed."""
    try:
        result = _child(engine, csv, parquet)
    except BenchError as e:
        if "ModuleNotFoundError" in str(e):
            print(f"  {engine}: not installed, skipped", flush=True)
            return None
        raise
    if result["rows"] != rows:
        raise BenchError(f"{engine} wrote {result['rows']} rows; generated {rows}")
    return result


# ----------------------------------------------------------------------------------------------- platform

class MultipartFile:
    """A multipart/form-data body with one file field, streamed from disk; len() is its Content-Length,
    so requests sends it as is (no chunked encoding, nothing built in memory)."""

    def __init__(self, path: Path, field: str = "files", content_type: str = "text/csv", piece: int = MB):
        self.path, self.piece = path, piece
        self.boundary = f"dmlp-bench-{uuid.uuid4().hex}"
        self.head = (f"--{self.boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                     f"filename=\"{path.name}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.size = path.stat().st_size

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    def __iter__(self):
        yield self.head
        with open(self.path, "rb") as f:
            while piece := f.read(self.piece):
                yield piece
        yield self.tail


def _status_kib(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no {key}")


class RssSampler(threading.Thread):
    """Peak VmRSS of a process, sampled every 100 ms, plus its VmHWM (reset at start when permitted)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop, self.peak_kib = pid, threading.Event(), 0
        self.before_kib = _status_kib(pid, "VmRSS")
        try:  # "5": reset the peak RSS (VmHWM) to the current RSS (Linux >= 4.0)
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak_kib = max(self.peak_kib, _status_kib(self.pid, "VmRSS"))
            except (OSError, BenchError):
                return
            self.stop.wait(0.1)

    def finish(self) -> dict:
        self.stop.set()
        self.join()
        hwm = _status_kib(self.pid, "VmHWM")
        return {"before_kib": self.before_kib, "peak_kib": max(self.peak_kib, _status_kib(self.pid, "VmRSS")),
                "hwm_kib": hwm, "hwm_reset": self.hwm_reset}


class Api:
    def __init__(self, gateway: str, password: str):
        self.gateway, self.password, self.token, self.token_at = gateway.rstrip("/"), password, None, 0.0

    def call(self, method: str, path: str, expect: tuple[int, ...] = (200,), auth: bool = True, **kw):
        headers = kw.pop("headers", {})
        if auth:
            headers["Authorization"] = f"Bearer {self._token()}"
        kw.setdefault("timeout", 60)
        try:
            response = requests.request(method, self.gateway + path, headers=headers, **kw)
        except requests.RequestException as e:
            raise BenchError(f"{method} {path}: {e}") from e
        if response.status_code not in expect:
            raise BenchError(f"{method} {path} answered HTTP {response.status_code}:\n{response.text[:4000]}")
        return response

    def _token(self) -> str:
        if self.token is None or time.time() - self.token_at > 600:  # access tokens live 15 minutes
            body = self.call("POST", "/api/v1/login/access-token", auth=False,
                             data={"username": "admin", "password": self.password}).json()
            self.token, self.token_at = body["access_token"], time.time()
        return self.token


def upload(api: Api, csv: Path, name: str, template_id: int, service_pid: int | None) -> dict:
    body = MultipartFile(csv)
    sampler = RssSampler(service_pid) if service_pid else None
    if sampler:
        sampler.start()
    started = time.perf_counter()
    try:
        response = api.call("POST", "/api/v1/dataset/upload", timeout=(10, 3600), data=body,
                            params={"dataset_name": name, "usage": "t", "template_id": template_id},
                            headers={"Content-Type": body.content_type})
    finally:
        seconds = time.perf_counter() - started
        rss = sampler.finish() if sampler else None
    return {"seconds": seconds, "rss": rss, "response": response.json()}


def delete_template(api: Api, template_id: int, timeout_s: float = 90) -> None:
    """catalog-service learns from Kafka that the dataset is gone; until then the delete answers 409."""
    deadline = time.time() + timeout_s
    while api.call("DELETE", f"/api/v1/template/{template_id}", expect=(200, 409)).status_code == 409:
        if time.time() > deadline:
            raise BenchError(f"template {template_id} is still in use after {timeout_s:.0f}s; delete it by hand")
        time.sleep(1)


# ----------------------------------------------------------------------------------------------- report

def _git(*args: str) -> str:
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True).stdout.strip()


def machine() -> dict:
    mem_kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal:"))
    dirty = _git("status", "--porcelain", "--", ".", ":!docs/benchmarks.md")
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "mem_gib": mem_kib / MB, "commit": (_git("rev-parse", "--short", "HEAD") or "unknown")
            + (" (with uncommitted changes)" if dirty else "")}


def service_heap(pid: int | None) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0") if pid else []
    except OSError:
        args = []
    return next((a for a in args if a.startswith("-Xmx")), "")


def render(results: list[dict], info: dict, heap: str) -> str:
    def mb(kib):
        return f"{kib / 1024:.0f}" if kib is not None else "n/a"

    def seconds(result):
        return f"{result['seconds']:.2f}" if result else "n/a"

    lines = [BEGIN, "",
             f"Last run: {info['date']}; {info['cpus']} CPUs, {info['mem_gib']:.1f} GiB RAM; commit "
             f"`{info['commit']}`" + (f"; dataset-service `{heap}`" if heap else "") + ".", "",
             "| file MB | rows | platform s | platform MB/s | dataset-service RSS before → peak MB | pandas s "
             "| pandas MB/s | pandas peak RSS MB | platform ÷ pandas speed | DuckDB s | pyarrow s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        rss = r["platform"]["rss"]
        service = f"{mb(rss['before_kib'])} → {mb(rss['peak_kib'])}" if rss else "n/a"
        p, size = r["pandas"], r["size_mb"]
        lines.append(f"| {size:.0f} | {r['rows']:,} | {r['platform']['seconds']:.2f} | "
                     f"{size / r['platform']['seconds']:.1f} | {service} | {p['seconds']:.2f} | "
                     f"{size / p['seconds']:.1f} | {mb(p['peak_rss_kib'])} | "
                     f"{p['seconds'] / r['platform']['seconds']:.2f}× | {seconds(r.get('duckdb'))} | "
                     f"{seconds(r.get('pyarrow'))} |")
    lines += ["", END]
    return "\n".join(lines)


def write_section(out: Path, section: str, begin: str = BEGIN, end: str = END) -> None:
    """Replaces the part of out between the markers (which section starts and ends with), or appends it."""
    text = out.read_text() if out.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section + "\n"
    out.write_text(text)


# ----------------------------------------------------------------------------------------------- main

def check_upload(response: dict, rows: int) -> None:
    file = response["files"][0]
    print(f"  response: total_records={file['total_records']} total_fields={file['total_fields']} "
          f"is_valid={file['is_valid']} error_report={json.dumps(file['error_report'])}")
    if (file["total_records"], file["total_fields"], file["is_valid"], file["error_report"]) != (
            rows, len(COLUMNS), True, None):
        raise BenchError(f"unexpected upload result (expected total_records={rows}, total_fields={len(COLUMNS)}, "
                         f"is_valid=true, error_report=null):\n{json.dumps(response)[:4000]}")


def bench(args: argparse.Namespace) -> list[dict]:
    api = Api(args.gateway, os.environ.get("DMLP_ADMIN_PASSWORD") or "admin123")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    sizes = sorted({min(SMALL_MB, args.size_mb), args.size_mb})
    results, template_id = [], None
    schema = [{"column_name": name, "data_type": kind, "default_value": None} for name, kind in COLUMNS]
    with tempfile.TemporaryDirectory(prefix="dmlp-bench-", dir="/tmp") as tmp:
        try:
            template_id = api.call("POST", "/api/v1/template/", expect=(201,), json={
                "template_name": f"bench-{stamp}", "template_schema": schema}).json()["id"]
            warm_up = Path(tmp) / "warm-up.csv"
            generate_csv(warm_up, WARM_UP_MB, seed=SEED + 1)
            print(f"== warm-up: {WARM_UP_ROUNDS} uploads of {WARM_UP_MB} MB, not measured", flush=True)
            for round_ in range(WARM_UP_ROUNDS):
                warmed = upload(api, warm_up, f"bench-{stamp}-warm-up-{round_}", template_id, None)["response"]
                api.call("DELETE", f"/api/v1/dataset/delete/{warmed['dataset_id']}")
            warm_up.unlink()
            for size in sizes:
                csv = Path(tmp) / f"bench-{size:g}mb.csv"
                print(f"== {size:g} MB: generating {csv} ...", flush=True)
                t0 = time.perf_counter()
                rows = generate_csv(csv, size)
                os.sync()  # the file's write-back would otherwise compete with the first measurement
                actual_mb = csv.stat().st_size / MB
                print(f"  {rows:,} rows, {actual_mb:.1f} MB in {time.perf_counter() - t0:.1f}s", flush=True)

                print("  platform: uploading through the gateway ...", flush=True)
                platform = upload(api, csv, f"bench-{stamp}-{size:g}mb", template_id, args.service_pid)
                dataset_id = platform["response"]["dataset_id"]
                try:
                    check_upload(platform["response"], rows)
                except BaseException:
                    _quietly(api.call, "DELETE", f"/api/v1/dataset/delete/{dataset_id}")
                    raise
                api.call("DELETE", f"/api/v1/dataset/delete/{dataset_id}")
                rss = platform["rss"]
                print(f"  platform: {platform['seconds']:.1f}s, {actual_mb / platform['seconds']:.1f} MB/s"
                      + (f"; dataset-service RSS {rss['before_kib'] / 1024:.0f} → {rss['peak_kib'] / 1024:.0f} MB"
                         f" (VmHWM {rss['hwm_kib'] / 1024:.0f} MB"
                         f"{'' if rss['hwm_reset'] else ' since the service started'})" if rss else ""),
                      flush=True)

                print("  pandas: read_csv, per-column checks, to_parquet ...", flush=True)
                p = run_pandas(csv, Path(tmp) / "pandas.parquet")
                print(f"  pandas: {p['seconds']:.1f}s, {actual_mb / p['seconds']:.1f} MB/s, peak RSS "
                      f"{p['peak_rss_kib'] / 1024:.0f} MB; valid rows {p['valid_rows']:,}/{p['rows']:,}, "
                      f"invalid cells {p['invalid_cells'] or 0}", flush=True)
                if (p["rows"], p["valid_rows"]) != (rows, rows):
                    raise BenchError(f"pandas read {p['rows']} rows, {p['valid_rows']} valid; generated {rows}")
                result = {"size_mb": actual_mb, "rows": rows, "platform": platform, "pandas": p}
                for engine in ("duckdb", "pyarrow"):
                    print(f"  {engine}: CSV → Parquet (the ceiling) ...", flush=True)
                    result[engine] = run_ceiling(engine, csv, Path(tmp) / f"{engine}.parquet", rows)
                    if result[engine]:
                        print(f"  {engine}: {result[engine]['seconds']:.1f}s, "
                              f"{actual_mb / result[engine]['seconds']:.1f} MB/s", flush=True)
                csv.unlink()
                results.append(result)
        except BaseException:
            if template_id is not None:
                _quietly(delete_template, api, template_id)
            raise
        delete_template(api, template_id)
    return results


def _quietly(cleanup, *args) -> None:
    """Cleanup while another error is on its way: a failure here is reported, not raised over it."""
    try:
        cleanup(*args)
    except Exception as e:  # noqa: BLE001
        print(f"WARN: cleanup failed: {e}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--size-mb", type=float, default=1024, help="largest file; 256 MB is also run below it")
    parser.add_argument("--service-pid", type=int, help="dataset-service PID, for its RSS (skipped without)")
    parser.add_argument("--out", type=Path, help="markdown file whose ingest section gets the results")
    parser.add_argument("--engine-child", nargs=3, metavar=("ENGINE", "CSV", "PARQUET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_child:
        _engine_child(*args.engine_child)
        return 0
    if args.service_pid and not Path(f"/proc/{args.service_pid}/status").exists():
        print(f"ERROR: no process {args.service_pid} (dataset-service)", file=sys.stderr)
        return 1
    info = machine()  # before the run: the commit measured, not one made meanwhile
    try:
        results = bench(args)
    except BenchError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        return 1
    section = render(results, info, service_heap(args.service_pid))
    print("\n" + section)
    if args.out:
        write_section(args.out, section)
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

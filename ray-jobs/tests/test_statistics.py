"""The statistics job against numbers computed independently with numpy and pandas."""

import json
import os
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import Recorder
from dmlp_jobs import statistics
from dmlp_jobs.statistics import Kept, compute_statistics

COLUMNS = [{"column_name": "age", "data_type": "Integer"}, {"column_name": "score", "data_type": "Float"},
           {"column_name": "city", "data_type": "String"}, {"column_name": "active", "data_type": "Boolean"},
           {"column_name": "day", "data_type": "Date"}, {"column_name": "seen_at", "data_type": "DateTime"}]
CITIES = ["Paris", "Lyon", "Zürich", "Oslo", "Rome", "Porto", "Bern", "Kyiv", "Riga", "Turku", "Gent", "Ulm",
          "Bari", "Nice"]


def write_parts(folder, sizes=(300, 250, 0, 180)) -> list[str]:
    """Parquet files shaped like the dataset's Iceberg data files: the columns, nulls everywhere, NaN and an
    infinity among the floats, an internal _file_id column, several row groups; one file is empty."""
    random = np.random.default_rng(7)
    paths = []
    for part, rows in enumerate(sizes):
        def nulls(share=0.1):
            return random.random(rows) < share
        score = random.normal(50, 15, rows)
        score[random.random(rows) < 0.05] = np.nan
        if rows:
            score[0] = np.inf
        start = datetime(2024, 1, 1, tzinfo=timezone.utc)
        table = pa.table({
            "_file_id": pa.array(np.full(rows, part)),
            "age": pa.array(random.integers(18, 91, rows), mask=nulls()),
            "score": pa.array(score, mask=nulls()),
            "city": pa.array(random.choice(CITIES, rows, p=np.linspace(2, 0.2, len(CITIES)) / 15.4), mask=nulls()),
            "active": pa.array(random.random(rows) < 0.3, mask=nulls()),
            "day": pa.array([date(2023, 1, 1) + timedelta(days=int(d)) for d in random.integers(0, 700, rows)],
                            pa.date32(), mask=nulls()),
            "seen_at": pa.array([start + timedelta(microseconds=int(us)) for us in random.integers(0, 9e12, rows)],
                                pa.timestamp("us", tz="UTC"), mask=nulls()),
        })
        path = str(folder / f"{part:05d}-data.parquet")
        pq.write_table(table, path, row_group_size=64)
        paths.append(path)
    return paths


def by_name(result: dict) -> dict:
    return {column["column_name"]: column for column in result["columns"]}


def assert_histogram(histogram: dict, values: np.ndarray) -> None:
    counts, edges = np.histogram(values, bins=20, range=(values.min(), values.max()))
    assert histogram["counts"] == counts.tolist()
    assert sum(histogram["counts"]) == len(values)
    assert histogram["edges"] == pytest.approx(edges.tolist())


def test_statistics_of_every_type_match_numpy_and_pandas(tmp_path):
    paths = write_parts(tmp_path)
    frame = pa.concat_tables([pq.read_table(path) for path in paths]).to_pandas()

    result = compute_statistics(paths, COLUMNS)

    json.dumps(result, allow_nan=False)  # finite JSON only
    assert result["row_count"] == len(frame) == 730
    columns = by_name(result)
    assert list(columns) == [column["column_name"] for column in COLUMNS]  # _file_id is not reported
    for column in columns.values():
        assert column["count"] + column["missing"] == 730
        assert column["approximate"] is False

    for name in ("age", "score"):
        values = frame[name].to_numpy(dtype=float, na_value=np.nan)
        values = values[np.isfinite(values)]
        stats = columns[name]
        assert (stats["count"], stats["distinct"]) == (len(values), len(np.unique(values)))
        assert stats["mean"] == pytest.approx(values.mean())
        assert stats["std"] == pytest.approx(values.std(ddof=1))
        assert (stats["min"], stats["max"]) == (values.min(), values.max())
        assert [stats["q1"], stats["median"], stats["q3"]] == pytest.approx(np.quantile(values, [0.25, 0.5, 0.75]))
        assert_histogram(stats["histogram"], values)
    assert isinstance(columns["age"]["min"], int)
    assert columns["score"]["missing"] == frame["score"].isna().sum() + 3  # nulls and NaN, plus an infinity a file

    city = frame["city"].dropna()
    counts = city.value_counts()
    expected_top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
    assert columns["city"] | {"top_values": None} == {
        "column_name": "city", "data_type": "String", "count": len(city), "missing": frame["city"].isna().sum(),
        "distinct": city.nunique(), "top_values": None, "min_length": city.str.len().min(),
        "max_length": city.str.len().max(), "mean_length": pytest.approx(city.str.len().mean()),
        "approximate": False}
    assert columns["city"]["top_values"] == [{"value": value, "count": count} for value, count in expected_top]

    active = frame["active"].dropna().astype(bool)
    assert columns["active"] == {
        "column_name": "active", "data_type": "Boolean", "count": len(active), "missing": 730 - len(active),
        "distinct": 2, "true_count": active.sum(), "false_count": (~active).sum(), "approximate": False}

    days = frame["day"].dropna()
    day_numbers = np.array([(day - date(1970, 1, 1)).days for day in days])
    assert columns["day"]["distinct"] == days.nunique()
    assert (columns["day"]["min"], columns["day"]["max"]) == (min(days).isoformat(), max(days).isoformat())
    assert columns["day"]["histogram"]["edges"][0] == f"{min(days).isoformat()}T00:00:00"
    assert columns["day"]["histogram"]["counts"] == np.histogram(day_numbers, 20, (day_numbers.min(),
                                                                                   day_numbers.max()))[0].tolist()

    seen = frame["seen_at"].dropna()
    micros = ((seen - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)).to_numpy()
    assert columns["seen_at"]["distinct"] == seen.nunique()
    assert columns["seen_at"]["min"] == seen.min().to_pydatetime().isoformat()
    assert columns["seen_at"]["max"] == seen.max().to_pydatetime().isoformat()
    assert columns["seen_at"]["histogram"]["edges"][-1] == seen.max().to_pydatetime().isoformat()
    assert columns["seen_at"]["histogram"]["counts"] == np.histogram(micros, 20, (micros.min(),
                                                                                 micros.max()))[0].tolist()


def test_no_rows_give_zero_counts_and_null_statistics(tmp_path):
    for files in ([], write_parts(tmp_path, sizes=(0, 0))):
        result = compute_statistics(files, COLUMNS)

        assert result["row_count"] == 0
        for column in result["columns"]:
            counts = {"count": 0, "missing": 0, "distinct": 0, "approximate": False}
            if column["data_type"] == "Boolean":
                counts |= {"true_count": 0, "false_count": 0}
            assert {key: value for key, value in column.items() if value is not None} == {
                "column_name": column["column_name"], "data_type": column["data_type"], **counts}


def test_a_column_of_nulls_and_a_column_of_one_value(tmp_path):
    path = tmp_path / "one.parquet"
    pq.write_table(pa.table({"x": pa.array([None, None], pa.float64()), "y": [7, 7]}), path)

    x, y = compute_statistics([str(path)], [{"column_name": "x", "data_type": "Float"},
                                            {"column_name": "y", "data_type": "Integer"}])["columns"]

    assert (x["count"], x["missing"], x["mean"], x["histogram"]) == (0, 2, None, None)
    assert (y["mean"], y["std"], y["min"], y["median"], y["max"]) == (7.0, 0.0, 7, 7.0, 7)
    assert y["histogram"] == {"edges": [7, 7], "counts": [2]}


def test_large_columns_are_sampled_and_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(statistics, "EXACT_LIMIT", 2_000)
    monkeypatch.setattr(statistics, "SAMPLE_SIZE", 500)
    monkeypatch.setattr(statistics, "DISTINCT_LIMIT", 300)
    monkeypatch.setattr(statistics, "BATCH_ROWS", 256)
    values = np.random.default_rng(3).normal(0, 1, 10_000)
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"v": values, "s": [f"k{i % 1000}" for i in range(10_000)]}), path, row_group_size=1000)

    v, s = compute_statistics([str(path)], [{"column_name": "v", "data_type": "Float"},
                                            {"column_name": "s", "data_type": "String"}])["columns"]

    assert v["approximate"] is True and s["approximate"] is True
    assert (v["count"], v["min"], v["max"]) == (10_000, values.min(), values.max())  # exact all the same
    assert (v["mean"], v["std"]) == (pytest.approx(values.mean()), pytest.approx(values.std(ddof=1)))
    assert [v["q1"], v["median"], v["q3"]] == pytest.approx(np.quantile(values, [0.25, 0.5, 0.75]), abs=0.2)
    assert sum(v["histogram"]["counts"]) == 10_000
    assert v["distinct"] == s["distinct"] == 300  # a lower bound once capped
    assert s["top_values"][0]["count"] == 10


def test_the_sample_is_uniform_over_everything_seen(monkeypatch):
    monkeypatch.setattr(statistics, "EXACT_LIMIT", 5_000)
    monkeypatch.setattr(statistics, "SAMPLE_SIZE", 2_000)
    kept = Kept()
    for start in range(0, 100_000, 3_000):
        kept.add(np.arange(start, min(start + 3_000, 100_000)))

    sample = kept.values()

    assert kept.approximate and len(sample) == len(np.unique(sample)) == 2_000
    assert np.histogram(sample, bins=4, range=(0, 100_000))[0] == pytest.approx([500] * 4, abs=100)


def test_unknown_locations_and_types_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unsupported file location"):
        compute_statistics(["gs://bucket/x.parquet"], COLUMNS)
    with pytest.raises(ValueError, match="unknown data type"):
        compute_statistics([], [{"column_name": "x", "data_type": "Decimal"}])
    with pytest.raises(ValueError, match=r"has no column\(s\) \['nope'\]"):
        compute_statistics(write_parts(tmp_path, sizes=(3,)), [{"column_name": "nope", "data_type": "String"}])


@pytest.fixture()
def job(monkeypatch, callback_base):
    """The job's environment pointing at a callback endpoint that records what it receives."""
    monkeypatch.setenv("DMLP_CALLBACK_URL", f"{callback_base}/api/v1/dataset/statistics/result")
    monkeypatch.setenv("DMLP_CALLBACK_TOKEN", "stat-secret")

    def start(files: list[str]) -> None:
        monkeypatch.setenv("DMLP_JOB_SPEC", json.dumps(
            {"job_id": "stat-1", "dataset_id": 12, "files": files, "columns": COLUMNS}))
        statistics.main()

    return start


def test_main_posts_the_statistics_with_the_job_credential(job, tmp_path, capsys):
    paths = write_parts(tmp_path)

    job(paths)

    assert Recorder.received == [("Bearer stat-secret", {
        "job_id": "stat-1", "dataset_id": 12, "status": "succeeded",
        "statistics": compute_statistics(paths, COLUMNS)})]
    assert "stat-secret" not in capsys.readouterr().out


def test_main_reports_a_failure_and_fails_the_ray_job(job, tmp_path):
    missing = str(tmp_path / "gone.parquet")

    with pytest.raises(SystemExit) as exit:
        job([missing])

    assert exit.value.code not in (0, None)
    [(_, payload)] = Recorder.received
    assert payload.keys() == {"job_id", "dataset_id", "status", "error"}
    assert (payload["job_id"], payload["dataset_id"], payload["status"]) == ("stat-1", 12, "failed")
    assert payload["error"].startswith("FileNotFoundError: ") and "gone.parquet" in payload["error"]


def test_main_fails_when_the_result_cannot_be_reported(job):
    Recorder.replies = [401]

    with pytest.raises(SystemExit) as exit:
        job([])

    assert exit.value.code not in (0, None)


@pytest.fixture()
def stored(s3, tmp_path):
    """A data file in the test bucket: (local copy, bucket, key); removed afterwards."""
    bucket = os.environ.get("DMLP_TEST_BUCKET", "dmlp-test")
    [local] = write_parts(tmp_path, sizes=(400,))
    key = f"statistics-test/{uuid.uuid4().hex}/00000-data.parquet"
    s3.upload_file(local, bucket, key)
    yield local, bucket, key
    s3.delete_object(Bucket=bucket, Key=key)


def test_reads_data_files_through_presigned_urls_without_any_store_keys(s3, stored, monkeypatch):
    """What the service hands a job: read URLs only. No DMLP_S3_* in the job's environment."""
    local, bucket, key = stored
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=60)
    for name in [name for name in os.environ if name.startswith(("DMLP_S3_", "AWS_"))]:
        monkeypatch.delenv(name)

    assert compute_statistics([url], COLUMNS) == compute_statistics([local], COLUMNS)


def test_an_expired_or_forged_url_fails_without_showing_its_signature(s3, stored):
    _, bucket, key = stored
    expired = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=1)
    time.sleep(2)
    forged = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key + "-other"}, ExpiresIn=60)
    forged = forged.replace(key + "-other", key)  # a signature for another object

    for url in (expired, forged):
        with pytest.raises(OSError, match=r"could not download http\S+00000-data\.parquet: HTTP 403") as refused:
            compute_statistics([url], COLUMNS)
        assert "Signature" not in str(refused.value) and "Credential" not in str(refused.value)


def test_store_locations_are_refused_since_a_job_holds_no_store_keys():
    with pytest.raises(ValueError, match="unsupported file location 's3://lakehouse/t/data.parquet'"):
        compute_statistics(["s3://lakehouse/t/data.parquet"], COLUMNS)

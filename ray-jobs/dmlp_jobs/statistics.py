"""Statistics of a dataset's columns, computed from the Parquet data files of its Iceberg table.

The dataset service submits this as `python -m dmlp_jobs.statistics` with DMLP_JOB_SPEC
({"job_id", "dataset_id", "files": [...], "columns": [{"column_name", "data_type"}, ...]}) and posts nothing
itself: the job reports its result, or its failure, to DMLP_CALLBACK_URL. The files are presigned,
time-limited read URLs of exactly the table's data files: the job has no store credentials at all.

Datasets may be larger than memory, so the files are read one at a time, only the requested columns, in
batches, and every statistic is kept as a running value:
- count, missing, mean and std (Chan's pairwise merge of Welford's sums per batch, in float64), min and max;
- distinct values and their counts, exactly up to DISTINCT_LIMIT distinct values per column;
- the values themselves, for quartiles and histograms: all of them up to EXACT_LIMIT per column, past that a
  uniform reservoir sample of SAMPLE_SIZE. Histograms are then binned from these kept values after the read
  (one pass over the files; min and max, hence the bin edges, are always exact).
A column whose distinct values, quartiles or histogram come from a capped tally or a sample says
"approximate": true; its histogram counts are scaled back to the column's count.

Missing values are nulls, and for numbers also NaN and infinities (nothing finite can be said about a column
holding them). The result holds only finite JSON numbers: whatever is undefined is null.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import sys
import traceback
from collections import Counter
from datetime import datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dmlp_jobs.callback import Callback, CallbackError
from dmlp_jobs.jsonable import plain
from dmlp_jobs.transfer import opened, shown

EXACT_LIMIT = 5_000_000  # values kept per column before switching to a sample
SAMPLE_SIZE = 1_000_000
DISTINCT_LIMIT = 1_000_000
BINS = 20
TOP = 10
BATCH_ROWS = 65_536
EPOCH = datetime(1970, 1, 1)


class Tally:
    """Occurrences per value, exact for up to DISTINCT_LIMIT distinct values. Values first seen past that are
    not counted and make the tally approximate (the number of distinct values is then a lower bound)."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.approximate = False

    def update(self, values: list, counts: list[int]) -> None:
        for value, count in zip(values, counts):
            if value in self.counts or len(self.counts) < DISTINCT_LIMIT:
                self.counts[value] += count
            else:
                self.approximate = True


class Kept:
    """A column's values for quartiles and the histogram: all of them up to EXACT_LIMIT, then a uniform reservoir
    sample of SAMPLE_SIZE (Algorithm R, a batch at a time; seeded, so a rerun gives the same answer)."""

    def __init__(self) -> None:
        self.chunks: list[np.ndarray] = []
        self.sample: np.ndarray | None = None
        self.seen = 0
        self.random = np.random.default_rng(0)

    @property
    def approximate(self) -> bool:
        return self.sample is not None

    def add(self, values: np.ndarray) -> None:
        if self.sample is None and self.seen + len(values) <= EXACT_LIMIT:
            self.chunks.append(values)
        elif self.sample is None:  # everything so far is in hand: sample it uniformly, then go on as Algorithm R
            self.sample = self.random.choice(np.concatenate([*self.chunks, values]), SAMPLE_SIZE, replace=False)
            self.chunks = []
        else:
            positions = self.seen + np.arange(len(values))
            slots = (self.random.random(len(values)) * (positions + 1)).astype(np.int64)
            hits = np.flatnonzero(slots < SAMPLE_SIZE)[::-1]
            # when several values of the batch draw the same slot, the last one stays, as it would one by one
            taken, last = np.unique(slots[hits], return_index=True)
            self.sample[taken] = values[hits[last]]
        self.seen += len(values)

    def values(self) -> np.ndarray:
        return self.sample if self.sample is not None else np.concatenate(self.chunks)


def histogram(values: np.ndarray, low: float, high: float, total: int) -> tuple[list[float], list[int]]:
    """BINS equal-width bins from low to high, or one bin [low, high] when all values are equal. Counts binned
    from a sample are scaled to `total` and rounded (largest remainder) so that they still add up to it."""
    if low == high:
        return [low, high], [total]
    counts, edges = np.histogram(values, bins=BINS, range=(float(low), float(high)))
    if len(values) != total:
        share = counts * total / len(values)
        counts = np.floor(share).astype(np.int64)
        counts[np.argsort(counts - share)[: total - counts.sum()]] += 1
    return edges.tolist(), counts.tolist()


def lowest(current, candidate):
    return candidate if current is None else min(current, candidate)


def highest(current, candidate):
    return candidate if current is None else max(current, candidate)


class Column:
    """Running statistics of one column. Subclasses say which values count (`present`), what they keep of
    them (`add_values`) and what they report (`statistics`, or EMPTY when the column has no values)."""

    EMPTY: dict = {}

    def __init__(self, name: str, data_type: str) -> None:
        self.name, self.data_type = name, data_type
        self.count = self.missing = 0
        self.tally = Tally()

    def add(self, array: pa.Array) -> None:
        values = self.present(array)
        self.missing += len(array) - len(values)
        if len(values):
            self.add_values(values)  # sees self.count as it was before this batch
        self.count += len(values)

    def present(self, array: pa.Array):
        return array.drop_null()

    def add_values(self, values) -> None:
        counted = pc.value_counts(values)
        self.tally.update(counted.field("values").to_pylist(), counted.field("counts").to_pylist())

    def approximate(self) -> bool:
        return self.tally.approximate

    def result(self) -> dict:
        return {"column_name": self.name, "data_type": self.data_type, "count": self.count,
                "missing": self.missing, "distinct": len(self.tally.counts),
                **(self.statistics() if self.count else self.EMPTY), "approximate": self.approximate()}


class Flag(Column):
    EMPTY = {"true_count": 0, "false_count": 0}

    def statistics(self) -> dict:
        return {"true_count": self.tally.counts[True], "false_count": self.tally.counts[False]}


class Text(Column):
    EMPTY = dict.fromkeys(("top_values", "min_length", "max_length", "mean_length"))

    def __init__(self, name: str, data_type: str) -> None:
        super().__init__(name, data_type)
        self.min_length = self.max_length = None
        self.total_length = 0

    def add_values(self, values: pa.Array) -> None:
        super().add_values(values)
        lengths = pc.utf8_length(values)  # characters, not bytes
        bounds = pc.min_max(lengths).as_py()
        self.min_length = lowest(self.min_length, bounds["min"])
        self.max_length = highest(self.max_length, bounds["max"])
        self.total_length += pc.sum(lengths).as_py()

    def statistics(self) -> dict:
        top = heapq.nsmallest(TOP, self.tally.counts.items(), key=lambda item: (-item[1], item[0]))
        return {"top_values": [{"value": value, "count": count} for value, count in top],
                "min_length": self.min_length, "max_length": self.max_length,
                "mean_length": self.total_length / self.count}


class Ordered(Column):
    """Values on a line (numbers, or instants as epoch numbers): min, max, distinct, and the kept values."""

    def __init__(self, name: str, data_type: str) -> None:
        super().__init__(name, data_type)
        self.low = self.high = None
        self.kept = Kept()

    def add_values(self, values: np.ndarray) -> None:
        self.low, self.high = lowest(self.low, values.min()), highest(self.high, values.max())
        self.tally.update(*(part.tolist() for part in np.unique(values, return_counts=True)))
        self.kept.add(values)

    def approximate(self) -> bool:
        return self.tally.approximate or self.kept.approximate

    def histogram(self) -> tuple[list[float], list[int]]:
        return histogram(self.kept.values(), self.low, self.high, self.count)


class Numeric(Ordered):
    EMPTY = dict.fromkeys(("mean", "std", "min", "q1", "median", "q3", "max", "histogram"))

    def __init__(self, name: str, data_type: str) -> None:
        super().__init__(name, data_type)
        self.mean = self.m2 = 0.0

    def present(self, array: pa.Array) -> np.ndarray:
        values = array.drop_null().to_numpy(zero_copy_only=False)
        return values[np.isfinite(values)] if values.dtype.kind == "f" else values

    def add_values(self, values: np.ndarray) -> None:
        super().add_values(values)
        batch = values.astype(np.float64)
        batch_mean, before, total = batch.mean(), self.count, self.count + len(batch)
        delta = batch_mean - self.mean
        self.mean += delta * len(batch) / total
        self.m2 += ((batch - batch_mean) ** 2).sum() + delta ** 2 * before * len(batch) / total

    def statistics(self) -> dict:
        q1, median, q3 = np.quantile(self.kept.values(), [0.25, 0.5, 0.75])
        edges, counts = self.histogram()
        return {"mean": self.mean, "std": math.sqrt(self.m2 / (self.count - 1)) if self.count > 1 else None,
                "min": self.low, "q1": q1, "median": median, "q3": q3, "max": self.high,
                "histogram": {"edges": edges, "counts": counts}}


class Temporal(Ordered):
    """Dates as days and date-times as microseconds since the epoch; reported as ISO strings. Histogram edges
    are date-times for both, since bin edges fall between days."""

    EMPTY = dict.fromkeys(("min", "max", "histogram"))

    def iso(self, value) -> str:
        return self.instant(value).isoformat()

    def statistics(self) -> dict:
        edges, counts = self.histogram()
        return {"min": self.iso(self.low), "max": self.iso(self.high),
                "histogram": {"edges": [self.instant(edge).isoformat() for edge in edges], "counts": counts}}


class Date(Temporal):
    def present(self, array: pa.Array) -> np.ndarray:
        return array.drop_null().cast(pa.date32()).cast(pa.int32()).to_numpy().astype(np.int64)

    def instant(self, value: float) -> datetime:
        return EPOCH + timedelta(days=float(value))

    def iso(self, value) -> str:
        return self.instant(value).date().isoformat()


class DateTime(Temporal):
    """Time-zone-aware timestamps (Iceberg timestamptz) are reported in UTC with their offset, others as is."""

    utc = False

    def present(self, array: pa.Array) -> np.ndarray:
        values = array.drop_null()
        self.utc = getattr(values.type, "tz", None) is not None
        unit = pa.timestamp("us", tz="UTC" if self.utc else None)
        return values.cast(unit, safe=False).cast(pa.int64()).to_numpy()

    def instant(self, value: float) -> datetime:
        return (EPOCH.replace(tzinfo=timezone.utc) if self.utc else EPOCH) + timedelta(microseconds=round(value))


KINDS: dict[str, type[Column]] = {"String": Text, "Integer": Numeric, "Float": Numeric, "Boolean": Flag,
                                  "Date": Date, "DateTime": DateTime}


def compute_statistics(files: list[str], columns: list[dict]) -> dict:
    """{"row_count", "columns": [one result per requested column, in order]} over all rows of `files`; other
    columns of the files (the table's internal `_...` ones) are not read."""
    unknown = [column for column in columns if column["data_type"] not in KINDS]
    if unknown:
        raise ValueError(f"unknown data type(s): {unknown}")
    stats = [KINDS[column["data_type"]](column["column_name"], column["data_type"]) for column in columns]
    names = [column.name for column in stats]
    row_count = 0
    for path in files:
        with opened(path) as source:
            parquet = pq.ParquetFile(source)
            absent = [name for name in names if name not in parquet.schema_arrow.names]
            if absent:
                raise ValueError(f"{shown(path)} has no column(s) {absent}")
            row_count += parquet.metadata.num_rows
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=names):
                for column in stats:
                    column.add(batch.column(column.name))
    return plain({"row_count": row_count, "columns": [column.result() for column in stats]})


def main() -> None:
    """Compute, report succeeded or failed to the callback, and fail the Ray job too when anything failed."""
    callback = Callback.from_env()
    spec: dict = {}
    try:
        spec = json.loads(os.environ["DMLP_JOB_SPEC"])
        statistics = compute_statistics(spec["files"], spec["columns"])
        print(f"statistics: {len(spec['files'])} file(s), {statistics['row_count']} rows, "
              f"{len(spec['columns'])} column(s)")
        result = {"status": "succeeded", "statistics": statistics}
    except Exception as error:  # every failure is reported to the service, not only the expected ones
        traceback.print_exc()
        result = {"status": "failed", "error": f"{type(error).__name__}: {error}"[:2000]}
    try:
        callback.post({"job_id": spec.get("job_id"), "dataset_id": spec.get("dataset_id"), **result})
    except CallbackError as error:
        sys.exit(f"statistics: could not report the result: {error}")
    if result["status"] != "succeeded":
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Moving a job's files through the presigned, time-limited URLs the service hands it: the job holds no store
keys. Data files are read through GET URLs, artifacts are written through PUT URLs. Signatures live in a URL's
query, so only `shown(url)` (the URL without it) ever goes into a log line or an error."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.fs as pafs

DOWNLOAD_TIMEOUT_S = 60  # per blocking read of a download or upload, not for the whole file
DOWNLOAD_CHUNK = 1 << 20


def shown(location: str) -> str:
    """A location as it may appear in logs and errors: a URL without its query, which holds the signature."""
    parts = urllib.parse.urlsplit(location)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) if parts.query else location


def scheme_of(location: str) -> str:
    scheme = urllib.parse.urlsplit(location).scheme if "://" in location else ""
    if scheme and scheme not in ("http", "https"):
        raise ValueError(f"unsupported file location {shown(location)!r}: expected a presigned URL or a local path")
    return scheme


@contextmanager
def opened(location: str, prefix: str = "dmlp-job-") -> Iterator[pa.NativeFile]:
    """The file at `location`, readable with seeks: a path without a scheme from the local disk; an http(s) URL
    downloaded to a temporary file first, streamed, so a file larger than memory is fine."""
    if not scheme_of(location):
        with pafs.LocalFileSystem().open_input_file(os.path.abspath(location)) as source:
            yield source
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        copy = os.path.join(folder, "download")
        download(location, copy)
        with pafs.LocalFileSystem().open_input_file(copy) as source:
            yield source


def retried(action, what: str, attempts: int = 3, backoff_s: float = 1.0):
    """`action()`, retried on connection errors and 5xx; a 4xx (an expired or refused URL) fails at once."""
    for attempt in range(attempts):
        try:
            return action()
        except urllib.error.HTTPError as error:
            if error.code < 500 or attempt == attempts - 1:
                raise OSError(f"could not {what}: HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            if attempt == attempts - 1:
                raise OSError(f"could not {what}: {getattr(error, 'reason', error)}") from None
        time.sleep(backoff_s * 2 ** attempt)


def download(url: str, target: str, attempts: int = 3, backoff_s: float = 1.0) -> None:
    """Streams `url` to `target`."""
    def fetch():
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response, open(target, "wb") as out:
            shutil.copyfileobj(response, out, DOWNLOAD_CHUNK)
    retried(fetch, f"download {shown(url)}", attempts, backoff_s)


def read_bytes(location: str) -> bytes:
    """The whole content of a (small) file at a presigned GET URL or a local path."""
    with opened(location) as source:
        return source.read()


def upload(url: str, body: bytes, content_type: str = "application/octet-stream", attempts: int = 3,
           backoff_s: float = 1.0) -> None:
    """PUTs `body` to a presigned PUT URL (or writes it to a local path, for tests and local runs)."""
    put(url, lambda: io.BytesIO(body), len(body), content_type, attempts, backoff_s)


def upload_file(url: str, path: str, content_type: str = "application/octet-stream", attempts: int = 3,
                backoff_s: float = 1.0) -> None:
    """PUTs the file at `path`, streamed from the disk: a file larger than memory is fine."""
    put(url, lambda: open(path, "rb"), os.path.getsize(path), content_type, attempts, backoff_s)


def put(url: str, opened_body, size: int, content_type: str, attempts: int, backoff_s: float) -> None:
    """PUTs what `opened_body()` reads (opened afresh for each attempt) to `url`, or copies it to a local path."""
    if not scheme_of(url):
        with opened_body() as body, open(url, "wb") as out:
            shutil.copyfileobj(body, out, DOWNLOAD_CHUNK)
        return

    def attempt():
        with opened_body() as body:
            request = urllib.request.Request(url, data=body, method="PUT", headers={
                "Content-Type": content_type, "Content-Length": str(size)})
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
                response.read()
    retried(attempt, f"upload {shown(url)}", attempts, backoff_s)

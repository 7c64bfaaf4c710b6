"""Posting a job's result back to the service that submitted it.

Each job is given a callback URL and a credential bound to that one job (environment variables
DMLP_CALLBACK_URL and DMLP_CALLBACK_TOKEN); the service refuses any other credential. The token is
sent as a bearer header and never printed.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from dmlp_jobs.failures import SpecError, message

RETRYABLE = {502, 503, 504}


class CallbackError(RuntimeError):
    """The service did not accept the result."""


@dataclass(frozen=True)
class Callback:
    url: str
    token: str

    @classmethod
    def from_env(cls) -> "Callback":
        try:
            return cls(os.environ["DMLP_CALLBACK_URL"], os.environ["DMLP_CALLBACK_TOKEN"])
        except KeyError as missing:
            raise CallbackError(f"job started without {missing.args[0]}") from None

    def __repr__(self) -> str:  # keep the credential out of logs and tracebacks
        return f"Callback(url={self.url!r}, token=***)"

    def post(self, payload: dict, attempts: int = 5, backoff_s: float = 1.0, timeout_s: float = 30.0) -> dict:
        """POST payload as JSON; retry on connection errors and 502/503/504, fail fast on other errors."""
        body = json.dumps(payload, default=str).encode("utf-8")
        last: Exception | None = None
        for attempt in range(attempts):
            request = urllib.request.Request(
                self.url, data=body, method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
            try:
                with urllib.request.urlopen(request, timeout=timeout_s) as response:
                    text = response.read().decode("utf-8")
                    return json.loads(text) if text else {}
            except urllib.error.HTTPError as error:
                if error.code not in RETRYABLE:
                    raise CallbackError(f"callback refused with HTTP {error.code}: {error.read()[:500]!r}") from None
                last = error
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                last = error
            time.sleep(backoff_s * (2 ** attempt))
        raise CallbackError(f"callback failed after {attempts} attempts: {last}")


def run_reported(name: str, run: Callable[[dict], dict], summary: Callable[[dict], str],
                 bounded: Callable[[dict], dict] = lambda body: body, id_field: str = "train_id") -> None:
    """A job's main: runs ``run`` on DMLP_JOB_SPEC, posts {job_id, <id_field>, status, result, error} to the
    callback (``bounded`` may shrink it), and fails the Ray job too when anything failed. ``id_field`` is the
    spec's id of what the job works for: train_id, or prediction_id for the prediction jobs."""
    callback = Callback.from_env()
    spec: dict = {}
    result, error = None, None
    try:
        spec = json.loads(os.environ["DMLP_JOB_SPEC"])
        if not isinstance(spec, dict):
            raise SpecError("DMLP_JOB_SPEC is not a JSON object")
        result = run(spec)
        print(f"{name}: {summary(result)}")
    except Exception as failure:  # every failure is reported to the service, not only the expected ones
        traceback.print_exc()
        result, error = None, message(failure)
    try:
        callback.post(bounded({"job_id": spec.get("job_id"), id_field: spec.get(id_field),
                               "status": "failed" if error is not None else "succeeded",
                               "result": result, "error": error}))
    except CallbackError as failure:
        sys.exit(f"{name}: could not report the result: {failure}")
    if error is not None:
        sys.exit(1)

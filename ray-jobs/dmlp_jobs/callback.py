"""Posting a job's result back to the service that submitted it.

Each job is given a callback URL and a credential bound to that one job (environment variables
DMLP_CALLBACK_URL and DMLP_CALLBACK_TOKEN); the service refuses any other credential. The token is
sent as a bearer header and never printed.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

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

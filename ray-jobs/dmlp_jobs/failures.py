"""How a job says why it failed: the same for every job that reports through a callback."""

from __future__ import annotations

import re

from dmlp_jobs.transfer import shown

SIGNED = re.compile(r"https?://[^\s'\"]+")


class SpecError(ValueError):
    """The job was started with a spec it cannot run."""


def required(spec: dict, name: str, kind: type):
    """spec[name], which must be a `kind` (a bool is no int here)."""
    value = spec.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SpecError(f"spec.{name} is missing or not a {kind.__name__}")
    return value


def message(error: Exception) -> str:
    """The reason a job failed, as the service may show it: URLs without their signatures, bounded."""
    text = f"{type(error).__name__}: {error}"
    return SIGNED.sub(lambda match: shown(match.group(0)), text)[:2000]

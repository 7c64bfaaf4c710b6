"""Results as finite JSON: what every job reports."""

from __future__ import annotations

import math

import numpy as np


def plain(value):
    """JSON-ready: numpy scalars and arrays as Python values, dict keys as strings, NaN and infinities as null."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    return None if isinstance(value, float) and not math.isfinite(value) else value

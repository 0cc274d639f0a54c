"""Small statistics shared by the benchmarks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile, or NaN when there is nothing to measure."""
    return float(np.percentile(values, q)) if len(values) else float("nan")

"""Latency figures from samples: nearest-rank percentiles in milliseconds."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of samples already sorted."""
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Spread:
    """p50 / p90 / p99 / max of n samples, in milliseconds."""

    n: int
    p50: float
    p90: float
    p99: float
    max: float

    @classmethod
    def of_seconds(cls, samples: Iterable[float]) -> Spread | None:
        ordered = sorted(s * 1000 for s in samples)
        if not ordered:
            return None
        return cls(n=len(ordered), p50=percentile(ordered, 50), p90=percentile(ordered, 90),
                   p99=percentile(ordered, 99), max=ordered[-1])

    def as_json(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def spread(samples: Iterable[float]) -> dict[str, Any] | None:
    """The JSON form of a Spread of samples in seconds; None when there are none."""
    found = Spread.of_seconds(samples)
    return None if found is None else found.as_json()

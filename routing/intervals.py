"""Set operations on sorted lists of half-open intervals.

The bounds are compared as instants (through UTC), but the datetime objects themselves are kept,
so a result's bounds carry the time zone of whichever input they came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter

from routing.types import Interval
from routing.wallclock import utc


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The union as a sorted list of disjoint intervals; intervals that touch are joined."""
    # Each bound converted to UTC once: the conversion is most of the cost on a big roster.
    keyed = sorted(((utc(i.start), utc(i.end), i) for i in intervals), key=itemgetter(0))
    merged: list[Interval] = []
    merged_end = None
    for start, end, interval in keyed:
        if merged_end is not None and start <= merged_end:
            if end > merged_end:
                merged[-1], merged_end = Interval(merged[-1].start, interval.end), end
        else:
            merged.append(interval)
            merged_end = end
    return merged


def clip(intervals: Iterable[Interval], a: datetime, b: datetime) -> list[Interval]:
    """The parts of sorted, disjoint `intervals` that lie within [a, b)."""
    low, high = utc(a), utc(b)
    clipped = []
    for interval in intervals:
        start, end = utc(interval.start), utc(interval.end)
        if start >= high:
            break
        if end > low:
            clipped.append(
                Interval(interval.start if start >= low else a, interval.end if end <= high else b)
            )
    return clipped


def subtract(base: list[Interval], holes: list[Interval]) -> list[Interval]:
    """The parts of `base` not covered by `holes`; both sorted and disjoint. Linear: one pass
    over each list."""
    remaining = []
    first = 0  # holes before this one end before the current base interval starts
    for interval in base:
        cursor, cursor_key, end_key = interval.start, utc(interval.start), utc(interval.end)
        while first < len(holes) and utc(holes[first].end) <= cursor_key:
            first += 1
        for k in range(first, len(holes)):
            hole = holes[k]
            if utc(hole.start) >= end_key:
                break
            if utc(hole.start) > cursor_key:
                remaining.append(Interval(cursor, hole.start))
            cursor, cursor_key = hole.end, utc(hole.end)
        if cursor_key < end_key:
            remaining.append(Interval(cursor, interval.end))
    return remaining

"""From local wall-clock times to instants, and back.

The routing core does its arithmetic in UTC: Python compares and subtracts two datetimes that
share a tzinfo by their wall-clock fields alone, ignoring `fold`, so across an autumn change two
different instants in the same zone can compare equal. UTC has no folds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)


def at(day: date, clock: time | None, tz: ZoneInfo) -> datetime:
    """The instant (in UTC) at which the wall clock in `tz` shows `clock` on `day`.

    `clock` None means 24:00, the next day's 00:00. A time the clock shows twice (the autumn
    change) means its first showing unless `clock.fold` is 1; a time the clock skips (the spring
    change) is read with the offset in force before the change, as PEP 495 does, so in Helsinki
    03:30 on 2026-03-29 is 04:30 summer time.
    """
    if clock is None:
        day, clock = day + ONE_DAY, time(0)
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def utc(t: datetime) -> datetime:
    """`t` as UTC. Raises ValueError for a naive datetime, which would silently mean "the
    machine's zone"."""
    if t.utcoffset() is None:
        raise ValueError(f"naive datetime {t!r}: the routing core needs aware datetimes")
    return t.astimezone(UTC)


def local_day(t: datetime, tz: ZoneInfo) -> date:
    """The calendar date in `tz` at the instant `t`."""
    return utc(t).astimezone(tz).date()

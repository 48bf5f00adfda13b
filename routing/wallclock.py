"""From local wall-clock times to instants, and back.

The routing core does its arithmetic in UTC: Python compares and subtracts two datetimes that
share a tzinfo by their wall-clock fields alone, ignoring `fold`, so across an autumn change two
different instants in the same zone can compare equal. UTC has no folds.

`at` is the one conversion from a local date and wall-clock time to an instant: the CSV import,
the roster page, the CLI, shift templates and opening hours all go through it (shifts through
`span`), so the same time entered two ways is the same instant.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.errors import BadSpec, SkippedTime

ONE_DAY = timedelta(days=1)
_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})")


def at(day: date, clock: time | None, tz: ZoneInfo, *, recurring: bool) -> datetime:
    """The instant (in UTC) at which the wall clock in `tz` shows `clock` on `day`.

    The rule, for every entry point:

    - `clock` None means 24:00, the next day's 00:00.
    - A time the clock shows twice (the autumn change) means its first showing (unless
      `clock.fold` is 1).
    - A time the clock skips (the spring change) does not exist. Entered for one date
      (`recurring` False: a shift in the CSV import, on the roster page or from the CLI) it is
      refused with `SkippedTime`, which names the time and the date. In a recurring rule
      (`recurring` True: weekly opening hours, shift templates), where refusing is impossible, it
      is read with the offset in force before the change, as PEP 495 does, so in Helsinki 03:30
      on 2026-03-29 is 04:30 summer time; an interval that then ends where it starts is empty.
    """
    if clock is None:
        day, clock = day + ONE_DAY, time(0)
    local = datetime.combine(day, clock, tzinfo=tz)
    instant = local.astimezone(UTC)
    if not recurring and instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None, fold=0):
        raise SkippedTime(day, clock)
    return instant


def span(day: date, start: time, end: time | None, tz: ZoneInfo, *, recurring: bool) -> tuple[datetime, datetime]:
    """The instants (in UTC) of a shift on `day` from `start` to `end`, wall-clock times in `tz`
    resolved by `at`: an end that is not after the start is on the next day (22:00-06:00), None
    is 24:00. A skipped start or end raises `SkippedTime` naming which it is."""
    overnight = end is not None and end <= start
    bounds = []
    for bound, bound_day, clock in (("start", day, start), ("end", day + ONE_DAY if overnight else day, end)):
        try:
            bounds.append(at(bound_day, clock, tz, recurring=recurring))
        except SkippedTime as skipped:
            raise SkippedTime(skipped.day, skipped.clock, bound) from None
    return bounds[0], bounds[1]


def clock_time(text: str, *, end: bool = False) -> time | None:
    """"HH:MM" (00:00 to 23:59) as a time; "24:00", allowed only as an `end`, as None. Raises
    BadSpec naming the text otherwise."""
    if end and text == "24:00":
        return None
    match = _CLOCK.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise BadSpec(f'"{text}" is not a time of day (use HH:MM)')
    return time(int(match[1]), int(match[2]))


def utc(t: datetime) -> datetime:
    """`t` as UTC. Raises ValueError for a naive datetime, which would silently mean "the
    machine's zone"."""
    if t.utcoffset() is None:
        raise ValueError(f"naive datetime {t!r}: the routing core needs aware datetimes")
    return t.astimezone(UTC)


def local_day(t: datetime, tz: ZoneInfo) -> date:
    """The calendar date in `tz` at the instant `t`."""
    return utc(t).astimezone(tz).date()

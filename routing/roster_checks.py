"""What a coordinator should look at twice in a roster, shift by shift.

These are warnings, not refusals: two overlapping shifts of one advisor may be meant (a
handover), and a shift while the service is closed may be a training day. What each shift is
warned of:

- `OVERLAP`: it overlaps another shift of the same advisor.
- `HOLIDAY`: it starts on a date an exception closes all day.
- `CLOSED`: it starts on a date without opening hours (a weekend, say).
- `OUTSIDE`: it starts on a date the service is open, but meets none of its open hours.
- `INACTIVE`: its advisor's account is deactivated.

The kind of a date (`day_kind`) is what the roster's day headings show: open, closed, a holiday,
or an exception date with other hours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from routing.hours import OpeningHours
from routing.roster import Shift
from routing.types import AdvisorId
from routing.wallclock import local_day, utc

OVERLAP, HOLIDAY, CLOSED, OUTSIDE, INACTIVE = "overlap", "holiday", "closed", "outside", "inactive"
OPEN, OTHER_HOURS = "open", "other_hours"


def day_kind(hours: OpeningHours, day: date) -> str:
    """`HOLIDAY` (an exception closes it all day), `OTHER_HOURS` (an exception gives it other
    hours), `OPEN` (weekly hours that day) or `CLOSED` (none)."""
    exception = hours.exception_on(day)
    if exception is not None:
        return OTHER_HOURS if exception else HOLIDAY
    [(_, intervals)] = hours.days(day, 1)
    return OPEN if intervals else CLOSED


def shift_warnings(
    shifts: Sequence[Shift], hours: OpeningHours, *, inactive: Collection[AdvisorId] = ()
) -> tuple[tuple[str, ...], ...]:
    """The warnings of each shift, in the order given, each in the order of the module's list."""
    overlapping = _overlapping(shifts)
    return tuple(_warnings(shift, index in overlapping, hours, inactive) for index, shift in enumerate(shifts))


def _warnings(shift: Shift, overlaps: bool, hours: OpeningHours, inactive: Collection[AdvisorId]) -> tuple[str, ...]:
    codes = [OVERLAP] if overlaps else []
    if closed := _closed(shift, hours):
        codes.append(closed)
    if shift.advisor in inactive:
        codes.append(INACTIVE)
    return tuple(codes)


def _closed(shift: Shift, hours: OpeningHours) -> str:
    """The warning about when the service is open, or "" for a shift that meets its hours."""
    kind = day_kind(hours, local_day(shift.start, hours.tz))
    if kind in (HOLIDAY, CLOSED):
        return kind
    return "" if hours.intervals(shift.start, shift.end) else OUTSIDE


def _overlapping(shifts: Sequence[Shift]) -> set[int]:
    """The indexes of the shifts that overlap another of their advisor's. By start: a shift
    that starts before the latest end so far overlaps the shift that has that end."""
    by_advisor: defaultdict[AdvisorId, list[int]] = defaultdict(list)
    for index, shift in enumerate(shifts):
        by_advisor[shift.advisor].append(index)
    found: set[int] = set()
    for indexes in by_advisor.values():
        latest: int | None = None
        for index in sorted(indexes, key=lambda i: (utc(shifts[i].start), utc(shifts[i].end))):
            if latest is not None and utc(shifts[index].start) < utc(shifts[latest].end):
                found |= {index, latest}
            if latest is None or utc(shifts[index].end) > utc(shifts[latest].end):
                latest = index
    return found

"""The roster: who is planned to be on shift when.

Shifts come from a weekly template plus one-off changes (cancel, swap, add), expanded one week at
a time into concrete shifts. A `Roster` indexes those shifts once, so the questions the server
asks on every routing pass (who is on shift now, when does this advisor's shift end) cost a
binary search. Datetimes it returns are the ones it was given (a shift's bounds, or the query's
bounds when clipping), so they keep the caller's time zone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.errors import BadSpec
from routing.hours import OpeningHours
from routing.intervals import clip, subtract, union
from routing.types import AdvisorId, Interval
from routing.wallclock import at, span, utc


@dataclass(frozen=True, slots=True)
class Shift:
    """`advisor` is planned on duty over [start, end)."""

    advisor: AdvisorId
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if utc(self.end) <= utc(self.start):
            start = self.start.isoformat()
            raise BadSpec(f"{self.advisor}'s shift from {start}: the end is not after the start")


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """Every week on `weekday` (0 = Monday) `advisor` works from `start` to `end`, local time.

    `end` None means 24:00; an end that is not after the start is on the next day (22:00-06:00).
    """

    advisor: AdvisorId
    weekday: int
    start: time
    end: time | None

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise BadSpec(f"weekday {self.weekday} is not 0 (Monday) to 6 (Sunday)")


@dataclass(frozen=True, slots=True)
class CancelShift:
    """Drop `advisor`'s shift that starts at `start`."""

    advisor: AdvisorId
    start: datetime


@dataclass(frozen=True, slots=True)
class SwapShift:
    """`replacement` works the shift that `advisor` was to start at `start`."""

    start: datetime
    advisor: AdvisorId
    replacement: AdvisorId


@dataclass(frozen=True, slots=True)
class AddShift:
    """An extra shift outside the template."""

    shift: Shift


RosterChange = CancelShift | SwapShift | AddShift


def expand_week(
    templates: Sequence[ShiftTemplate],
    changes: Iterable[RosterChange],
    week_start: date,
    tz: ZoneInfo,
) -> tuple[Shift, ...]:
    """The concrete shifts of the seven days from `week_start`, sorted by start then advisor.

    Template times are wall-clock times in `tz`, resolved date by date (see
    `routing.wallclock.span`); template shifts come back in `tz`. Changes apply in the order given.
    A change that matches no shift of this week, and an added shift that starts outside it, are
    ignored, so one list of changes can be passed for every week. A template shift whose clock
    times resolve to nothing (its start in the spring-forward gap, its end just after) is dropped.
    """
    week, week_end = (at(week_start + timedelta(days=n), time(0), tz, recurring=True) for n in (0, 7))
    days = [week_start + timedelta(days=n) for n in range(7)]
    shifts = [
        shift
        for day in days
        for template in templates
        if template.weekday == day.weekday()
        and (shift := _from_template(template, day, tz)) is not None
    ]
    for change in changes:
        shifts = _apply(change, shifts, week, week_end)
    return tuple(sorted(shifts, key=lambda s: (utc(s.start), s.advisor)))


def _from_template(template: ShiftTemplate, day: date, tz: ZoneInfo) -> Shift | None:
    start, end = span(day, template.start, template.end, tz, recurring=True)
    if end <= start:
        return None
    return Shift(template.advisor, start.astimezone(tz), end.astimezone(tz))


def _apply(
    change: RosterChange, shifts: list[Shift], week: datetime, week_end: datetime
) -> list[Shift]:
    match change:
        case AddShift(shift):
            return [*shifts, shift] if week <= utc(shift.start) < week_end else shifts
        case CancelShift(advisor, start):
            return [s for s in shifts if not _is(s, advisor, start)]
        case SwapShift(start, advisor, replacement):
            return [
                Shift(replacement, s.start, s.end) if _is(s, advisor, start) else s for s in shifts
            ]


def _is(shift: Shift, advisor: AdvisorId, start: datetime) -> bool:
    return shift.advisor == advisor and utc(shift.start) == utc(start)


@dataclass(frozen=True)
class Roster:
    """A set of concrete shifts, indexed for the questions routing asks."""

    shifts: tuple[Shift, ...]
    # Instants (UTC) where the set of advisors on shift may change, and that set from each
    # instant to the next: on_shift is then one bisect.
    _bounds: list[datetime] = field(init=False, repr=False, compare=False)
    _present: list[frozenset[AdvisorId]] = field(init=False, repr=False, compare=False)
    # Each advisor's shifts, and their union (back-to-back and overlapping shifts joined).
    _by_advisor: dict[AdvisorId, list[Shift]] = field(init=False, repr=False, compare=False)
    _coverage: dict[AdvisorId, list[Interval]] = field(init=False, repr=False, compare=False)
    _coverage_starts: dict[AdvisorId, list[datetime]] = field(init=False, repr=False, compare=False)
    _staffed: list[Interval] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_advisor: defaultdict[AdvisorId, list[Shift]] = defaultdict(list)
        for shift in sorted(self.shifts, key=lambda s: utc(s.start)):
            by_advisor[shift.advisor].append(shift)
        coverage = {a: union(Interval(s.start, s.end) for s in v) for a, v in by_advisor.items()}
        bounds, present = _sweep(self.shifts)
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_present", present)
        object.__setattr__(self, "_by_advisor", dict(by_advisor))
        object.__setattr__(self, "_coverage", coverage)
        starts = {a: [utc(i.start) for i in c] for a, c in coverage.items()}
        object.__setattr__(self, "_coverage_starts", starts)
        object.__setattr__(self, "_staffed", union(i for c in coverage.values() for i in c))

    def on_shift(self, t: datetime) -> frozenset[AdvisorId]:
        """The advisors whose shift covers the instant `t` (a shift covers [start, end))."""
        index = bisect_right(self._bounds, utc(t)) - 1
        return self._present[index] if index >= 0 else frozenset()

    def shift_end(self, advisor: AdvisorId, t: datetime) -> datetime | None:
        """When `advisor`'s time on shift that covers `t` ends, following back-to-back and
        overlapping shifts to the end of the continuous coverage; None if off shift at `t`."""
        coverage = self._coverage.get(advisor, [])
        u = utc(t)
        index = bisect_right(self._coverage_starts.get(advisor, []), u) - 1
        if index >= 0 and u < utc(coverage[index].end):
            return coverage[index].end
        return None

    def staffed_intervals(self, a: datetime, b: datetime) -> list[Interval]:
        """When at least one advisor is on shift within [a, b): the union of all shifts, clipped,
        sorted, touching intervals joined."""
        return clip(self._staffed, a, b)

    def hours_by_advisor(self, a: datetime, b: datetime) -> dict[AdvisorId, float]:
        """Hours each advisor is on shift within [a, b), overlapping shifts counted once.
        Advisors with no time on shift there are left out."""
        hours = {
            advisor: sum(i.seconds for i in clip(coverage, a, b)) / 3600
            for advisor, coverage in self._coverage.items()
        }
        return {advisor: h for advisor, h in hours.items() if h > 0}

    def shifts_of(self, advisor: AdvisorId, a: datetime, b: datetime) -> tuple[Shift, ...]:
        """`advisor`'s shifts that overlap [a, b), whole (not clipped), sorted by start."""
        low, high = utc(a), utc(b)
        own = self._by_advisor.get(advisor, [])
        return tuple(s for s in own if utc(s.start) < high and utc(s.end) > low)


def _sweep(shifts: Sequence[Shift]) -> tuple[list[datetime], list[frozenset[AdvisorId]]]:
    """Walk the shift starts and ends in time order, recording who is on shift after each."""
    changes: defaultdict[datetime, list[tuple[AdvisorId, int]]] = defaultdict(list)
    for shift in shifts:
        changes[utc(shift.start)].append((shift.advisor, 1))
        changes[utc(shift.end)].append((shift.advisor, -1))
    # A counter, not a set: an advisor with overlapping shifts stays on until the last ends.
    open_shifts: Counter[AdvisorId] = Counter()
    bounds = sorted(changes)
    present = []
    for instant in bounds:
        for advisor, delta in changes[instant]:
            open_shifts[advisor] += delta
            if not open_shifts[advisor]:
                del open_shifts[advisor]
        present.append(frozenset(open_shifts))
    return bounds, present


def coverage_gaps(hours: OpeningHours, roster: Roster, a: datetime, b: datetime) -> list[Interval]:
    """The times within [a, b) when the service is open but nobody is on shift, in `hours.tz`."""
    gaps = subtract(hours.intervals(a, b), roster.staffed_intervals(a, b))
    return [Interval(g.start.astimezone(hours.tz), g.end.astimezone(hours.tz)) for g in gaps]

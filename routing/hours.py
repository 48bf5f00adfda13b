"""Opening hours: weekly recurring intervals in the service's time zone, plus exception dates.

Weekly hours may be in force over a range of dates only (`WeeklyOpening.since` and `until`), so
one `OpeningHours` can hold the history of the hours and answer for a past week with what was in
force then.

Hours are wall-clock times, resolved in the time zone date by date, so "09:00-16:00" stays
09:00-16:00 local on the days the clocks change, and an interval that spans the spring-forward
gap is an hour shorter (one over the autumn repeat, an hour longer). Results come back in that
time zone. See `routing.wallclock.at` for what a time the clock skips or shows twice means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.errors import BadSpec
from routing.types import Interval
from routing.wallclock import ONE_DAY, at, local_day, utc

DEFAULT_TIMEZONE = "Europe/Helsinki"
HORIZON = timedelta(days=366)
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Span = tuple[time, time | None]
_Instants = tuple[datetime, datetime]


def _check_span(start: time, end: time | None, where: str) -> None:
    if start.tzinfo is not None or (end is not None and end.tzinfo is not None):
        raise BadSpec(f"{where}: opening times are wall-clock times, without a time zone")
    if end is not None and end <= start:
        raise BadSpec(f"{where}: end {end:%H:%M} is not after start {start:%H:%M}")


@dataclass(frozen=True, slots=True)
class WeeklyOpening:
    """Open every week on `weekday` (0 = Monday) from `start` to `end`; `end` None is 24:00.

    An opening ends on the day it starts; an evening running past midnight is two openings
    (for example sun 20:00-24:00 and mon 00:00-02:00), which `OpeningHours` merges. It is in
    force on the dates from `since` up to, not including, `until`; None is no limit that side.
    """

    weekday: int
    start: time
    end: time | None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise BadSpec(f"weekday {self.weekday} is not 0 (Monday) to 6 (Sunday)")
        _check_span(self.start, self.end, DAY_NAMES[self.weekday])
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise BadSpec(f"{DAY_NAMES[self.weekday]}: in force until {self.until.isoformat()}, "
                          f"not after {self.since.isoformat()}")

    def in_force(self, day: date) -> bool:
        """Whether this opening holds on the date `day`."""
        return (self.since is None or self.since <= day) and (self.until is None or day < self.until)


@dataclass(frozen=True, slots=True)
class DateException:
    """On `day` the hours are `intervals` instead of the weekly ones; an empty tuple means closed
    all day (a holiday)."""

    day: date
    intervals: tuple[Span, ...]

    def __post_init__(self) -> None:
        for start, end in self.intervals:
            _check_span(start, end, self.day.isoformat())


@dataclass(frozen=True)
class OpeningHours:
    """When the service is open. Every method takes aware datetimes and answers in `tz`."""

    weekly: tuple[WeeklyOpening, ...]
    exceptions: tuple[DateException, ...] = ()
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    _by_weekday: tuple[tuple[WeeklyOpening, ...], ...] = field(init=False, repr=False, compare=False)
    _by_date: dict[date, tuple[Span, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_weekday = tuple(
            tuple(o for o in self.weekly if o.weekday == weekday) for weekday in range(7)
        )
        by_date: dict[date, tuple[Span, ...]] = {}
        for exception in self.exceptions:
            if exception.day in by_date:
                raise BadSpec(f"{exception.day.isoformat()}: two exceptions for one date")
            by_date[exception.day] = tuple(sorted(exception.intervals, key=lambda s: s[0]))
        object.__setattr__(self, "_by_weekday", by_weekday)
        object.__setattr__(self, "_by_date", by_date)

    def is_open(self, t: datetime) -> bool:
        """Whether the service is open at the instant `t`."""
        current = self._first_ending_after(t, ONE_DAY)
        return current is not None and current[0] <= utc(t)

    def next_open(self, t: datetime) -> datetime | None:
        """When the service is next open: `t` itself if it is open at `t`, otherwise the start of
        the next open interval, or None if there is none within 366 days."""
        current = self._first_ending_after(t, HORIZON)
        if current is None or current[0] > utc(t) + HORIZON:
            return None
        return max(current[0], utc(t)).astimezone(self.tz)

    def next_close(self, t: datetime) -> datetime | None:
        """The end of the open interval containing `t` (intervals that touch count as one).

        None when the service is closed at `t`, and also when it stays open for the whole next
        366 days (open around the clock), since no honest closing time can be named then.
        """
        current = self._first_ending_after(t, HORIZON)
        u = utc(t)
        # The search stops a little past the horizon, so an end that far out may be the search's.
        if current is None or current[0] > u or current[1] >= u + HORIZON:
            return None
        return current[1].astimezone(self.tz)

    def intervals(self, a: datetime, b: datetime) -> list[Interval]:
        """The open intervals within [a, b), clipped to it, in order, merged where they touch
        (mon 20:00-24:00 and tue 00:00-02:00 come back as one interval)."""
        start, end = utc(a), utc(b)
        result = []
        for s, e in self._merged(local_day(a, self.tz) - ONE_DAY, local_day(b, self.tz)):
            if s >= end:
                break
            if e > start:
                result.append(self._interval(max(s, start), min(e, end)))
        return result

    def days(self, first: date, count: int) -> list[tuple[date, list[Interval]]]:
        """The open intervals of each of `count` dates from `first` (dates in `tz`), each clipped
        to its own date: an evening past midnight ends at 24:00 on one date and goes on from 00:00
        on the next. A date without intervals is closed all day."""
        dates = [first + n * ONE_DAY for n in range(count)]
        return [(day, self.intervals(at(day, time(0), self.tz, recurring=True), at(day, None, self.tz, recurring=True)))
                for day in dates]

    def exception_on(self, day: date) -> tuple[Span, ...] | None:
        """The hours an exception gives the date `day` (empty: closed all day), or None when the
        weekly hours hold that day."""
        return self._by_date.get(day)

    def _interval(self, start: datetime, end: datetime) -> Interval:
        return Interval(start.astimezone(self.tz), end.astimezone(self.tz))

    def _first_ending_after(self, t: datetime, ahead: timedelta) -> _Instants | None:
        """The first merged open interval (in UTC) that ends after `t`, searching the dates from
        the day before `t` to `ahead` after it (a day more, so no date is cut short)."""
        u = utc(t)
        first = local_day(t, self.tz) - ONE_DAY
        for span in self._merged(first, local_day(t, self.tz) + ahead + ONE_DAY):
            if span[1] > u:
                return span
        return None

    def _merged(self, first: date, last: date) -> Iterator[_Instants]:
        """The open intervals (in UTC) of the dates first..last inclusive, in order, merged where
        they touch or overlap. Lazy, so a search that finds an answer early stops early."""
        current: _Instants | None = None
        day = first
        while day <= last:
            for s, e in self._on(day):
                if current is None:
                    current = (s, e)
                elif s <= current[1]:
                    current = (current[0], max(current[1], e))
                else:
                    yield current
                    current = (s, e)
            day += ONE_DAY
        if current is not None:
            yield current

    def _on(self, day: date) -> list[_Instants]:
        """The open intervals of one date as UTC instants, sorted by start."""
        spans = self._by_date.get(day)
        if spans is None:
            spans = tuple((o.start, o.end) for o in self._by_weekday[day.weekday()] if o.in_force(day))
        resolved = [(at(day, s, self.tz, recurring=True), at(day, e, self.tz, recurring=True)) for s, e in spans]
        # A span whose start falls in the spring-forward gap can resolve to nothing.
        return sorted((s, e) for s, e in resolved if e > s)


def parse_weekly(specs: list[str]) -> tuple[WeeklyOpening, ...]:
    """Parse CLI strings like "mon-fri 09:00-16:00", "sat 10:00-14:00", "sun 18:00-24:00".

    Days are mon..sun, as one day, a forward range (mon-fri) or a comma list of those
    (mon,wed,fri-sun). Times are HH:MM from 00:00 to 24:00; 24:00 only as an end, and the end must
    be after the start. Raises BadSpec whose message quotes the spec and names the bad part.
    """
    return tuple(opening for spec in specs for opening in _parse_spec(spec))


def _parse_spec(spec: str) -> list[WeeklyOpening]:
    parts = spec.split()
    if len(parts) != 2:
        raise BadSpec(f"{spec!r}: expected days and hours, like 'mon-fri 09:00-16:00'")
    days, hours = parts
    start, end = _parse_hours(hours, spec)
    return [WeeklyOpening(weekday, start, end) for weekday in _parse_days(days, spec)]


def _parse_days(text: str, spec: str) -> list[int]:
    weekdays: list[int] = []
    for part in text.lower().split(","):
        first, dash, last = part.partition("-")
        low = _weekday(first, spec)
        high = _weekday(last, spec) if dash else low
        if high < low:
            raise BadSpec(f"{spec!r}: day range {part!r} runs backwards (write it as two ranges)")
        weekdays.extend(range(low, high + 1))
    return weekdays


def _weekday(name: str, spec: str) -> int:
    if name not in DAY_NAMES:
        raise BadSpec(f"{spec!r}: unknown day {name!r} (use {', '.join(DAY_NAMES)})")
    return DAY_NAMES.index(name)


def _parse_hours(text: str, spec: str) -> Span:
    first, dash, last = text.partition("-")
    if not dash:
        raise BadSpec(f"{spec!r}: hours {text!r} should be a range like 09:00-16:00")
    start = _clock(first, spec)
    if start is None:
        raise BadSpec(f"{spec!r}: 24:00 is allowed only as an end time")
    end = _clock(last, spec)
    if end is not None and end <= start:
        raise BadSpec(f"{spec!r}: end {last} is not after start {first}")
    return start, end


_CLOCK = re.compile(r"([0-9]{2}):([0-9]{2})")


def _clock(text: str, spec: str) -> time | None:
    """HH:MM as a time; "24:00" as None (the end of the day)."""
    if text == "24:00":
        return None
    match = _CLOCK.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise BadSpec(f"{spec!r}: {text!r} is not a time of day (use HH:MM, 00:00 to 24:00)")
    return time(int(match[1]), int(match[2]))

"""Gaps ahead: the open hours of the coming days that the roster leaves uncovered.

A gap is open time when nobody is rostered, or when nobody rostered speaks one of the languages
the service offers (visitors who choose Swedish would wait for nobody). What counts:

- The opening hours in force (weekly hours and exception dates, `routing.hours`), as instants:
  a day the clocks change is as long as it really is.
- The shifts on the roster, of the advisors in `speaks` only: a shift of an advisor not there
  (a deactivated account) covers nothing.
- Each gap lies within one date of the service's time zone and is as long as the missing
  languages stay the same, so it reads as "Tue 1 Dec 14:00–16:00 has nobody who speaks
  Swedish". A gap that goes on past midnight is two gaps, one on each date.

Pure: the caller passes the hours, the shifts, who speaks what and `now`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from routing.hours import OpeningHours
from routing.roster import Roster, Shift
from routing.types import AdvisorId
from routing.wallclock import ONE_DAY, at, local_day, utc

# How far ahead the roster is looked through: two weeks, what a rota is planned for.
HORIZON = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Gap:
    """Open time [start, end) (in the service's time zone, within one date of it) when nobody is
    rostered (`nobody`), or when nobody rostered speaks the `languages` (in the order the service
    offers them; every offered language when `nobody`)."""

    start: datetime
    end: datetime
    nobody: bool
    languages: tuple[str, ...]

    @property
    def day(self) -> date:
        return self.start.date()


def gaps_ahead(hours: OpeningHours, shifts: Sequence[Shift], *, speaks: Mapping[AdvisorId, Collection[str]],
               languages: Sequence[str], now: datetime, horizon: timedelta = HORIZON) -> list[Gap]:
    """The gaps within [now, now + horizon), by start. `speaks` gives each active advisor's
    languages; `languages` are the ones the service offers."""
    end = now + horizon
    staffed = Roster(tuple(s for s in shifts if s.advisor in speaks))
    cuts = sorted({utc(t) for s in staffed.shifts for t in (s.start, s.end)} | _midnights(now, end, hours))
    gaps: list[Gap] = []
    for a, b in _pieces(hours, cuts, now, end):
        present = staffed.on_shift(a)
        missing = tuple(code for code in languages if not any(code in speaks[p] for p in present))
        if present and not missing:
            continue
        gap = Gap(a.astimezone(hours.tz), b.astimezone(hours.tz), not present, missing)
        if gaps and _continues(gaps[-1], gap):
            gaps[-1] = Gap(gaps[-1].start, gap.end, gap.nobody, gap.languages)
        else:
            gaps.append(gap)
    return gaps


def _midnights(a: datetime, b: datetime, hours: OpeningHours) -> set[datetime]:
    """The local midnights within (a, b): where one date's gap ends and the next one's begins."""
    first, last = local_day(a, hours.tz), local_day(b, hours.tz)
    days = (last - first).days
    return {at(first + n * ONE_DAY, time(0), hours.tz, recurring=True) for n in range(1, days + 1)}


def _pieces(hours: OpeningHours, cuts: Sequence[datetime], a: datetime,
            b: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The open time within [a, b), cut at every instant of `cuts` (UTC): over each piece the
    advisors on shift stay the same and the date does not change."""
    index = 0
    for interval in hours.intervals(a, b):
        start, end = utc(interval.start), utc(interval.end)
        while index < len(cuts) and cuts[index] <= start:
            index += 1
        while index < len(cuts) and cuts[index] < end:
            yield start, cuts[index]
            start = cuts[index]
            index += 1
        yield start, end


def _continues(before: Gap, after: Gap) -> bool:
    return (utc(before.end) == utc(after.start) and before.day == after.day
            and (before.nobody, before.languages) == (after.nobody, after.languages))

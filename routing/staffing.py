"""For each run of bad hours in a forecast, the smallest change to the draft that fixes it.

A run of bad hours is consecutive hours of one local date that miss the target
(`HourForecast.bad`); hours follow each other in UTC, so a date the clocks change on has 23 or
25 of them (in Helsinki the hour after 02:00 on the spring night is 04:00, and the autumn
night has two 03:00 hours). The changes tried, smallest first, are extra shifts over exactly
those hours by advisors who handle every topic: one shift of one language, for each language with
demand in those hours (the busiest first); one shift by an advisor speaking several of them,
as advisors in the draft do (Swedish and Finnish, say); then every choice of two shifts of one
language each, then of three (`MOST_SHIFTS`). Each try simulates that date again with the extra
shifts and the same seeds, so the base and the try meet the same visitors; the first try under
which every hour of the run meets the target is the fix. A run that none fixes is reported
unfixed: more than three shifts, or something no shift of a language mends (a topic nobody
handles is taken by the extra advisors, so that is rare).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import combinations_with_replacement

from routing.arrivals import Demand
from routing.forecast import HourForecast, Plan, Staff, forecast
from routing.roster import Shift
from routing.wallclock import utc

MOST_SHIFTS = 3
HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Target:
    """What an hour must meet: its p90 wait at most `p90_wait_s`, at most `lost` of its
    visitors lost (refused, left, expired)."""

    p90_wait_s: float
    lost: float = 0.1


Languages = frozenset[str]


@dataclass(frozen=True, slots=True)
class Fix:
    """Bad hours [start, end) of one date, and what fixes them: one more shift over those hours
    for each of `shifts`, by an advisor speaking those languages; `shifts` empty when no change
    of up to MOST_SHIFTS shifts did."""

    start: datetime
    end: datetime
    shifts: tuple[Languages, ...]

    @property
    def fixed(self) -> bool:
        return bool(self.shifts)


def bad_runs(hours: Sequence[HourForecast], target: Target) -> list[tuple[datetime, datetime]]:
    """The runs of consecutive bad hours, each within one local date, as [start, end) in the
    hours' zone."""
    runs: list[tuple[datetime, datetime]] = []
    for hour in hours:
        if not hour.bad(target.p90_wait_s, target.lost):
            continue
        end = _next_hour(hour.start)
        if runs and utc(runs[-1][1]) == utc(hour.start) and runs[-1][0].date() == hour.start.date():
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((hour.start, end))
    return runs


def fixes(demand: Demand, plan: Plan, bad: Sequence[tuple[datetime, datetime]], *, target: Target, capacity: int,
          runs: int, seed: str) -> list[Fix]:
    """The smallest fix of each run of bad hours in `bad` (bad_runs of a forecast of `plan`);
    extra advisors take up to `capacity` chats at once. Each run costs simulations of its day."""
    return [_fix(demand, plan, start, end, target=target, capacity=capacity, runs=runs, seed=seed)
            for start, end in bad]


def _fix(demand: Demand, plan: Plan, start: datetime, end: datetime, *, target: Target, capacity: int,
         runs: int, seed: str) -> Fix:
    tz = plan.hours.tz
    day = datetime.combine(start.date(), time(0), tz)
    following = datetime.combine(start.date() + timedelta(days=1), time(0), tz)
    for shifts in _changes(_languages_in(demand, start, end), plan):
        extra = [(Shift(f"+{n}", start, end), Staff(f"+{n}", "+", languages, None, capacity))
                 for n, languages in enumerate(shifts)]
        tried = forecast(demand, plan.with_shifts(extra), day, following, runs=runs, seed=seed)
        if not any(h.bad(target.p90_wait_s, target.lost) for h in tried if utc(start) <= utc(h.start) < utc(end)):
            return Fix(start, end, shifts)
    return Fix(start, end, ())


def _changes(languages: list[str], plan: Plan) -> Iterator[tuple[Languages, ...]]:
    """The changes to try, smallest first (see the module's docstring)."""
    yield from ((frozenset({language}),) for language in languages)
    wanted = set(languages)
    several = {staff.languages & wanted for staff in plan.staff.values() if len(staff.languages & wanted) > 1}
    order = {language: n for n, language in enumerate(languages)}
    for spoken in sorted(several, key=lambda s: (len(s), sorted(order[x] for x in s))):
        yield (spoken,)
    for count in range(2, MOST_SHIFTS + 1):
        for chosen in combinations_with_replacement(languages, count):
            yield tuple(frozenset({language}) for language in chosen)


def _languages_in(demand: Demand, start: datetime, end: datetime) -> list[str]:
    """The languages with demand within [start, end) (each hour's cell by its local weekday and
    hour), the busiest first."""
    totals: dict[str, float] = {}
    hour = start
    while utc(hour) < utc(end):
        for (_, language), rate in demand.in_cell((hour.weekday(), hour.hour)).items():
            totals[language] = totals.get(language, 0.0) + rate
        hour = _next_hour(hour)
    return sorted(totals, key=lambda language: (-totals[language], language))


def _next_hour(hour: datetime) -> datetime:
    """The hour after `hour`, in its zone. Adding an hour to an aware datetime moves its wall
    clock and keeps the zone's offset rules out of it: across a clock change that lands on a
    time that does not exist (spring) or on the wrong one of two (autumn), so the step is in UTC."""
    return (utc(hour) + HOUR).astimezone(hour.tzinfo)

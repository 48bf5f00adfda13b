"""Opening hours: the weekly intervals (set all at once, by the CLI from specs like "mon-fri
09:00-16:00", by the hours page from its table of the week) and exception dates (closed all
day, or other hours that day), entered for one date or a range of dates at once (a Christmas
week in one entry) and stored date by date. The checks are routing's own
(`routing.hours`), so what is stored is exactly what routing can use. Hours are a recurring rule:
see `routing.wallclock.at` for a time the clock skips or shows twice.

Hours keep their history: a change applies from today on, and earlier dates keep the hours that
were in force then (so the coverage of a past week is measured against its own hours). Hence an
exception date in the past is neither set nor deleted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import partial

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problem, Problems, Refused
from routing.errors import BadSpec
from routing.hours import DAY_NAMES, DateException, WeeklyOpening, parse_weekly
from routing.wallclock import clock_time
from storage import service
from storage.tables import WeeklyOpeningRow

KINDS = ("closed", "hours")
# The longest range of exception dates one entry may cover.
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class Slot:
    """One opening of the week as the hours page's table has it: the `number`th (from 1) of
    `weekday` (0 = Monday), from `start` to `end` ("HH:MM"; both "" for an empty slot)."""

    weekday: int
    number: int
    start: str
    end: str

    @property
    def field(self) -> str:
        """What the slot's inputs are called, before "start" or "end": "mon-1-"."""
        return f"{DAY_NAMES[self.weekday]}-{self.number}-"


def _hhmm(clock: time | None) -> str:
    return clock.strftime("%H:%M") if clock is not None else "24:00"


async def set_weekly(admin: Administration, *, actor: str, specs: list[str]) -> str:
    """Replace the weekly hours with specs like "mon-fri 09:00-16:00"; what is now set, in words."""
    try:
        weekly = parse_weekly(specs)
    except BadSpec as error:
        raise Refused([Problem("specs", "spec", str(error))]) from None
    rows = [WeeklyOpeningRow(weekday=o.weekday, start=_hhmm(o.start), end=_hhmm(o.end)) for o in weekly]
    return await _replace(admin, actor, rows)


async def _replace(admin: Administration, actor: str, rows: list[WeeklyOpeningRow]) -> str:
    """The weekly hours from today on (earlier dates keep theirs); what is now set, in words."""
    hours = "; ".join(f"{DAY_NAMES[row.weekday]} {row.start}-{row.end}" for row in rows)
    async with admin.change(actor=actor, action="hours_set", detail=hours) as change:
        await service.replace_weekly_opening(change.session, rows=rows, since=admin.today())
    return hours


def _span(start: str, end: str, problems: Problems, check: Callable[[time, time | None], object],
          field: str = "") -> None:
    """Problems of a start and an end "HH:MM" (24:00 only as the end), the end after the start by
    routing's own check (`check` builds the routing value); the inputs are `field` + "start" and
    `field` + "end"."""
    try:
        start_clock = clock_time(start)
    except BadSpec as error:
        problems.add(f"{field}start", "time", str(error))
    try:
        end_clock = clock_time(end, end=True)
    except BadSpec as error:
        problems.add(f"{field}end", "end", str(error))
    if problems.has(f"{field}start") or problems.has(f"{field}end"):
        return
    try:
        check(start_clock or time(0), end_clock)
    except BadSpec:
        problems.add(f"{field}end", "order", f"the end {end} is not after the start {start}")


async def set_week(admin: Administration, *, actor: str, slots: Sequence[Slot]) -> bool:
    """The week's hours as the table of the hours page gives them, from today on; an empty slot
    is no opening. Refused, naming each wrong input, or nothing to do when the hours are those in
    force already (False)."""
    problems = Problems()
    for slot in slots:
        if slot.start or slot.end:
            _span(slot.start, slot.end, problems, partial(WeeklyOpening, slot.weekday), field=slot.field)
    problems.raise_any()
    wanted = sorted({(s.weekday, s.start, s.end) for s in slots if s.start or s.end})
    async with admin.db.transaction() as session:
        now = sorted((row.weekday, row.start, row.end) for row in await service.weekly_opening(session))
    if wanted == now:
        return False
    await _replace(admin, actor, [WeeklyOpeningRow(weekday=day, start=start, end=end) for day, start, end in wanted])
    return True


def _dates(first: date | None, last: date | None, problems: Problems, admin: Administration) -> list[date]:
    """The dates first..last, from today on; the problems of the fields "day" and "until" when
    either is missing, the range runs backwards or is too long, or it begins in the past."""
    if first is None:
        problems.add("day", "date", "choose a date")
    elif first < admin.today():
        problems.add("day", "past", f"{first.isoformat()} has passed: choose today or a later date")
    if last is None:
        problems.add("until", "date", "choose the last date, or none for one day")
    elif first is not None and last < first:
        problems.add("until", "order_dates", f"{last.isoformat()} is before {first.isoformat()}")
    elif first is not None and (last - first).days >= MAX_RANGE_DAYS:
        problems.add("until", "range_long", f"at most {MAX_RANGE_DAYS} days at once", days=MAX_RANGE_DAYS)
    if first is None or last is None or problems.has("day") or problems.has("until"):
        return []
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


async def set_exceptions(admin: Administration, *, actor: str, first: date | None, last: date | None, kind: str,
                         start: str = "", end: str = "") -> int:
    """The hours of every date from `first` to `last`: "closed" all day, or "hours" from `start`
    to `end`, replacing any earlier exception of those dates; how many dates. A range that
    begins in the past is refused: it would change nothing for routing, and would rewrite the
    coverage of days that are history."""
    problems = Problems()
    dates = _dates(first, last, problems, admin)
    if kind not in KINDS:
        problems.add("kind", "kind", f"unknown kind {kind!r} (use {' or '.join(KINDS)})")
    if kind == "hours":
        _span(start, end, problems, lambda a, b: DateException(day=first or date.min, intervals=((a, b),)))
    problems.raise_any()
    hours = (start, end) if kind == "hours" else (None, None)
    detail = f"{dates[0].isoformat()}..{dates[-1].isoformat()} {f'{start}-{end}' if kind == 'hours' else 'closed'}"
    async with admin.change(actor=actor, action="exception_set", detail=detail) as change:
        for day in dates:
            await service.set_opening_exception(change.session, day=day, start=hours[0], end=hours[1])
    return len(dates)


async def delete_exceptions(admin: Administration, *, actor: str, first: date | None, last: date | None) -> int:
    """Delete the exceptions of the dates `first` to `last` (from today on: a past date's is
    history); how many. NotFound when there were none."""
    problems = Problems()
    dates = _dates(first, last, problems, admin)
    if not dates:
        raise NotFound("no such dates from today on")
    async with admin.change(actor=actor, action="exception_delete") as change:
        deleted = await service.delete_opening_exceptions(change.session, first=dates[0], last=dates[-1])
        if not deleted:
            raise NotFound(f"no exceptions from {dates[0].isoformat()} to {dates[-1].isoformat()}")
        change.detail = f"{dates[0].isoformat()}..{dates[-1].isoformat()}: {deleted} dates"
    return deleted

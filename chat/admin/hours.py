"""Opening hours: the weekly intervals (set all at once by the CLI, one by one on the hours page)
and exception dates (closed all day, or other hours that day). The checks are routing's own
(`routing.hours`), so what is stored is exactly what routing can use. Hours are a recurring rule:
see `routing.wallclock.at` for a time the clock skips or shows twice.

Hours keep their history: a change applies from today on, and earlier dates keep the hours that
were in force then (so the coverage of a past week is measured against its own hours). Hence an
exception date in the past is neither set nor deleted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problem, Problems, Refused
from routing.errors import BadSpec
from routing.hours import DAY_NAMES, DateException, WeeklyOpening, parse_weekly
from routing.wallclock import clock_time
from storage import service
from storage.tables import WeeklyOpeningRow

KINDS = ("closed", "hours")


def _hhmm(clock: time | None) -> str:
    return clock.strftime("%H:%M") if clock is not None else "24:00"


async def set_weekly(admin: Administration, *, actor: str, specs: list[str]) -> str:
    """Replace the weekly hours with specs like "mon-fri 09:00-16:00"; what is now set, in words."""
    try:
        weekly = parse_weekly(specs)
    except BadSpec as error:
        raise Refused([Problem("specs", "spec", str(error))]) from None
    rows = [WeeklyOpeningRow(weekday=o.weekday, start=_hhmm(o.start), end=_hhmm(o.end)) for o in weekly]
    hours = "; ".join(f"{DAY_NAMES[row.weekday]} {row.start}-{row.end}" for row in rows)
    async with admin.change(actor=actor, action="hours_set", detail=hours) as change:
        await service.replace_weekly_opening(change.session, rows=rows, since=admin.today())
    return hours


def _span(start: str, end: str, problems: Problems, check: Callable[[time, time | None], object]) -> None:
    """Problems of a start and an end "HH:MM" (24:00 only as the end), the end after the start by
    routing's own check (`check` builds the routing value)."""
    try:
        start_clock = clock_time(start)
    except BadSpec as error:
        problems.add("start", "time", str(error))
    try:
        end_clock = clock_time(end, end=True)
    except BadSpec as error:
        problems.add("end", "end", str(error))
    if problems.has("start") or problems.has("end"):
        return
    try:
        check(start_clock or time(0), end_clock)
    except BadSpec:
        problems.add("end", "order", f"the end {end} is not after the start {start}")


async def add_weekly(admin: Administration, *, actor: str, weekday: str, start: str, end: str) -> None:
    """Open every `weekday` ("mon".."sun") from `start` to `end` besides the hours already set,
    from today on."""
    problems = Problems()
    if weekday not in DAY_NAMES:
        problems.add("weekday", "weekday", f"unknown day {weekday!r} (use {', '.join(DAY_NAMES)})")
    number = DAY_NAMES.index(weekday) if weekday in DAY_NAMES else 0
    _span(start, end, problems, lambda a, b: WeeklyOpening(weekday=number, start=a, end=b))
    problems.raise_any()
    async with admin.change(actor=actor, action="hours_add", detail=f"{weekday} {start}-{end}") as change:
        await service.add_weekly_opening(change.session, weekday=number, start=start, end=end, since=admin.today())


async def delete_weekly(admin: Administration, *, actor: str, row_id: int) -> None:
    """Weekly hours no more from today on (earlier dates keep them); NotFound when no such hours
    are in force."""
    async with admin.change(actor=actor, action="hours_delete") as change:
        row = await service.end_weekly_opening(change.session, row_id=row_id, day=admin.today())
        if row is None:
            raise NotFound(f"no weekly hours {row_id} in force")
        change.detail = f"{DAY_NAMES[row.weekday]} {row.start}-{row.end} from {admin.today().isoformat()}"


async def set_exception(admin: Administration, *, actor: str, day: date | None, kind: str, start: str = "",
                        end: str = "") -> None:
    """The hours of one date from today on: "closed" all day, or "hours" from `start` to `end`;
    replaces any earlier exception for that date. A past date is refused: it would change
    nothing for routing, and would rewrite the coverage of a day that is history."""
    problems = Problems()
    if day is None:
        problems.add("day", "date", "choose a date")
    elif day < admin.today():
        problems.add("day", "past", f"{day.isoformat()} has passed: choose today or a later date")
    if kind not in KINDS:
        problems.add("kind", "kind", f"unknown kind {kind!r} (use {' or '.join(KINDS)})")
    if kind == "hours":
        _span(start, end, problems, lambda a, b: DateException(day=day or date.min, intervals=((a, b),)))
    problems.raise_any()
    assert day is not None
    hours = (start, end) if kind == "hours" else (None, None)
    detail = f"{day.isoformat()} {f'{start}-{end}' if kind == 'hours' else 'closed'}"
    async with admin.change(actor=actor, action="exception_set", detail=detail) as change:
        await service.set_opening_exception(change.session, day=day, start=hours[0], end=hours[1])


async def delete_exception(admin: Administration, *, actor: str, row_id: int) -> None:
    """Delete the exception of a date from today on; NotFound for none, or a past date's."""
    async with admin.change(actor=actor, action="exception_delete") as change:
        row = await service.opening_exception(change.session, row_id=row_id)
        if row is None or row.day < admin.today():
            raise NotFound(f"no exception {row_id} from today on")
        change.detail = row.day.isoformat()
        await service.delete_opening_exception(change.session, row_id=row_id)

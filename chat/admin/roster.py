"""The roster: each advisor's weekly shift templates, the concrete shifts of a week made from
them, one-off changes (an extra shift, a cancelled or swapped one), and CSV import.

Dates and times become instants by `routing.wallclock`, the one rule for every entry point: a
shift entered for a date whose start or end the clock skips is refused, naming it; a template is
a recurring rule, resolved date by date when it is applied to a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from chat.admin.changes import Administration
from chat.admin.errors import NotFound, Problem, Problems, Refused
from chat.admin.roster_csv import read_roster
from routing.errors import BadSpec, SkippedTime
from routing.hours import DAY_NAMES
from routing.roster import ShiftTemplate, expand_week
from routing.wallclock import clock_time, span
from storage import people, roster, rostering
from storage.database import Session
from storage.tables import ShiftTemplateRow, User


@dataclass(frozen=True)
class Imported:
    added: int
    total: int


async def _advisor(session: Session, username: str, problems: Problems) -> User | None:
    """The active user with that name, else None and a problem of the field "advisor"."""
    user = await people.user_by_username(session, username=username)
    if user is None or not user.active or user.id is None:
        problems.add("advisor", "advisor", f"unknown user {username!r}")
        return None
    return user


def _clock(text: str, field: str, problems: Problems, *, end: bool = False) -> time | None:
    try:
        return clock_time(text, end=end)
    except BadSpec as error:
        problems.add(field, "time", f"{field}: {error}")
        return None


async def add_template(admin: Administration, *, actor: str, advisor: str, weekday: str, start: str,
                       end: str) -> None:
    """Every `weekday` ("mon".."sun") the advisor works from `start` to `end` (an end not after
    the start is the next day's; 24:00 is midnight)."""
    async with admin.change(actor=actor, action="template_add", detail=f"{advisor} {weekday} {start}-{end}") as change:
        problems = Problems()
        user = await _advisor(change.session, advisor, problems)
        if weekday not in DAY_NAMES:
            problems.add("weekday", "weekday", f"unknown day {weekday!r} (use {', '.join(DAY_NAMES)})")
        _clock(start, "start", problems)
        _clock(end, "end", problems, end=True)
        problems.raise_any()
        assert user is not None and user.id is not None
        await rostering.add_template(change.session, user_id=user.id, weekday=DAY_NAMES.index(weekday), start=start,
                                     end=end)


async def delete_template(admin: Administration, *, actor: str, template_id: int) -> None:
    async with admin.change(actor=actor, action="template_delete", detail=str(template_id)) as change:
        await rostering.delete_template(change.session, template_id=template_id)


async def apply_templates(admin: Administration, *, actor: str, monday: date) -> int:
    """Add the shifts the active advisors' templates make in the week from `monday`; how many
    were added. A template makes a date's shift once: applying again keeps what became of it
    (cancelled, swapped), and a shift identical to one already stored is skipped."""
    async with admin.change(actor=actor, action="roster_apply") as change:
        users = {u.id for u in await people.active_users(change.session)}
        made = [
            (row.id or 0, shift.start.astimezone(admin.tz).date(), row.user_id, shift.start.astimezone(UTC),
             shift.end.astimezone(UTC))
            for row in await rostering.templates(change.session) if row.user_id in users
            for shift in expand_week([_template(row)], (), monday, admin.tz)
        ]
        added = await rostering.apply_templates(change.session, shifts=made)
        change.detail = f"week {monday.isoformat()}: {added} shifts"
    return added


def _template(row: ShiftTemplateRow) -> ShiftTemplate:
    return ShiftTemplate(advisor=str(row.user_id), weekday=row.weekday, start=clock_time(row.start) or time(0),
                         end=clock_time(row.end, end=True))


async def add_shift(admin: Administration, *, actor: str, advisor: str, day: date | None, start: str,
                    end: str) -> tuple[datetime, datetime]:
    """An extra shift on `day` from `start` to `end`, local times (an end not after the start is
    the next day's); its start and end. A time the clock skips that day is refused."""
    async with admin.change(actor=actor, action="shift_add") as change:
        problems = Problems()
        user = await _advisor(change.session, advisor, problems)
        if day is None:
            problems.add("day", "date", "choose a date")
        start_clock, end_clock = _clock(start, "start", problems), _clock(end, "end", problems, end=True)
        problems.raise_any()
        assert user is not None and user.id is not None and day is not None and start_clock is not None
        try:
            begins, ends = span(day, start_clock, end_clock, admin.tz, recurring=False)
        except SkippedTime as skipped:
            raise Refused([Problem(skipped.bound, "skipped", str(skipped), {"time": f"{skipped.clock:%H:%M}",
                                                                              "day": skipped.day})]) from None
        if begins < admin.clock.now():
            # The past stays as it was, so coverage of it tells what was planned then.
            raise Refused([Problem("start", "past", "a shift cannot start in the past")])
        await roster.add_shifts(change.session, shifts=[(user.id, begins, ends)])
        local = [t.astimezone(admin.tz).isoformat() for t in (begins, ends)]
        change.detail = f"{user.username} {local[0]}-{local[1]}"
    return begins, ends


async def cancel_shift(admin: Administration, *, actor: str, shift_id: int) -> None:
    async with admin.change(actor=actor, action="shift_cancel") as change:
        shift = await rostering.cancel_shift(change.session, shift_id=shift_id, now=admin.clock.now())
        if shift is None:
            raise NotFound(f"no shift {shift_id}")
        change.detail = f"{shift.user_id} {shift.start.isoformat()}"


async def swap_shift(admin: Administration, *, actor: str, shift_id: int, advisor: str) -> None:
    """Give a shift to another advisor; NotFound when the shift is gone or they already have
    the identical one."""
    async with admin.change(actor=actor, action="shift_swap") as change:
        problems = Problems()
        user = await _advisor(change.session, advisor, problems)
        under_way = await rostering.shift_by_id(change.session, shift_id=shift_id)
        if under_way is not None and under_way.start <= admin.clock.now():
            # Begun or over: who was on it then is history (cancel it from now instead).
            problems.add("advisor", "started", "a shift that has begun cannot be given to someone else")
        problems.raise_any()
        assert user is not None and user.id is not None
        shift = await rostering.swap_shift(change.session, shift_id=shift_id, user_id=user.id, now=admin.clock.now())
        if shift is None:
            raise NotFound(f"no shift {shift_id} to give to {advisor!r}")
        change.detail = f"{shift.start.isoformat()} to {user.username}"


async def import_csv(admin: Administration, *, actor: str, name: str, text: str) -> Imported:
    """Add the shifts of a roster CSV (username,date,start,end; identical shifts already there
    skipped), or nothing and CsvFileError naming every bad row as `FILE:LINE: reason`."""
    async with admin.change(actor=actor, action="roster_import") as change:
        users = {u.username: u for u in await people.active_users(change.session)}
        shifts = read_roster(name, text, users=set(users), tz=admin.tz)
        added = await roster.add_shifts(
            change.session, shifts=((users[s.username].id or 0, s.start, s.end) for s in shifts))
        change.detail = f"{added} of {len(shifts)} shifts from {name}"
    return Imported(added=added, total=len(shifts))


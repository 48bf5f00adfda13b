"""The roster: each advisor's weekly shift templates, the concrete shifts of a week made from
them, and CSV import. One-off changes to concrete shifts (an extra one, a cancelled or moved
one) and their undo are chat.admin.roster_changes'.

Dates and times become instants by `routing.wallclock`, the one rule for every entry point: a
shift entered for a date whose start or end the clock skips is refused, naming it; a template is
a recurring rule, resolved date by date when it is applied to a week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, time

from chat.admin.changes import Administration
from chat.admin.errors import Problems
from chat.admin.roster_csv import read_roster
from routing.errors import BadSpec
from routing.hours import DAY_NAMES
from routing.roster import ShiftTemplate, expand_week
from routing.wallclock import clock_time
from storage import people, roster, rostering
from storage.database import Session
from storage.rostering import ShiftChange
from storage.tables import ShiftTemplateRow, User

# What a change did to the shifts it touched: what undoing it takes back.
Changes = tuple[ShiftChange, ...]


@dataclass(frozen=True)
class Imported:
    added: int
    total: int


async def active_advisor(session: Session, username: str, problems: Problems) -> User | None:
    """The active user with that name, else None and a problem of the field "advisor"."""
    user = await people.user_by_username(session, username=username)
    if user is None or not user.active or user.id is None:
        problems.add("advisor", "advisor", f"unknown user {username!r}")
        return None
    return user


def checked_clock(text: str, field: str, problems: Problems, *, end: bool = False) -> time | None:
    try:
        return clock_time(text, end=end)
    except BadSpec as error:
        problems.add(field, "time", f"{field}: {error}")
        return None


async def add_templates(admin: Administration, *, actor: str, advisor: str, weekdays: Sequence[str], start: str,
                        end: str) -> None:
    """Every one of the `weekdays` ("mon".."sun") the advisor works from `start` to `end` (an end
    not after the start is the next day's; 24:00 is midnight): one template a weekday, one change."""
    detail = f"{advisor} {','.join(weekdays)} {start}-{end}"
    async with admin.change(actor=actor, action="template_add", detail=detail) as change:
        problems = Problems()
        user = await active_advisor(change.session, advisor, problems)
        unknown = [day for day in weekdays if day not in DAY_NAMES]
        if unknown or not weekdays:
            problems.add("weekday", "weekday", f"unknown days {unknown!r} (use {', '.join(DAY_NAMES)})" if unknown
                         else "choose at least one weekday")
        checked_clock(start, "start", problems)
        checked_clock(end, "end", problems, end=True)
        problems.raise_any()
        assert user is not None and user.id is not None
        for day in sorted(set(weekdays), key=DAY_NAMES.index):
            await rostering.add_template(change.session, user_id=user.id, weekday=DAY_NAMES.index(day), start=start,
                                         end=end)


async def delete_template(admin: Administration, *, actor: str, template_id: int) -> None:
    async with admin.change(actor=actor, action="template_delete", detail=str(template_id)) as change:
        await rostering.delete_template(change.session, template_id=template_id)


async def apply_templates(admin: Administration, *, actor: str, monday: date) -> Changes:
    """Add the shifts the active advisors' templates make in the week from `monday`; the shifts
    added. A template makes a date's shift once: applying again keeps what became of it
    (cancelled, swapped), and a shift identical to one already stored is skipped."""
    async with admin.change(actor=actor, action="roster_apply") as change:
        users = {u.id for u in await people.active_users(change.session)}
        made = [
            (row.id or 0, shift.start.astimezone(admin.tz).date(), row.user_id, shift.start.astimezone(UTC),
             shift.end.astimezone(UTC))
            for row in await rostering.templates(change.session) if row.user_id in users
            for shift in expand_week([_template(row)], (), monday, admin.tz)
        ]
        added = tuple(await rostering.apply_templates(change.session, shifts=made))
        change.detail = f"week {monday.isoformat()}: {len(added)} shifts"
    return added


def _template(row: ShiftTemplateRow) -> ShiftTemplate:
    return ShiftTemplate(advisor=str(row.user_id), weekday=row.weekday, start=clock_time(row.start) or time(0),
                         end=clock_time(row.end, end=True))


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


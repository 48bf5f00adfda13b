"""One-off changes to the concrete shifts of the roster — an extra shift, cancelling, moving to
another day, time or advisor, one shift or many at once — and undoing the last of them.

Each operation is one `Administration.change` (one transaction with its audit entry) and
answers with the `Changes` it made: every shift it touched, before and after. An undo is a
change like any other: it takes those `Changes`, puts each shift back as it was before, and is
audited as `roster_undo`; it is refused, and changes nothing, when any of those shifts has
changed since.

The past stays as it was, so that coverage of it tells what was planned then: no shift is added
or moved to start in the past, a shift that has begun is not moved (it may be cancelled from
now), and an undo touches only shifts that are all still ahead (`undoable`).

Moving by days keeps the wall-clock times (a shift 09:00–13:00 is 09:00–13:00 on the next day,
whatever the clocks do in between); moving by hours moves the wall-clock times, so both go
through `routing.wallclock`, and a time the clock skips that day is refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from chat.admin.changes import Administration
from chat.admin.errors import Problem, Problems, Refused
from chat.admin.roster import Changes, active_advisor, checked_clock
from routing.errors import SkippedTime
from routing.wallclock import at, span
from storage import rostering
from storage.database import Session
from storage.rostering import ShiftChange, ShiftState
from storage.tables import ShiftRow

# How far one bulk move may go either way.
MAX_DAYS, MAX_HOURS = 28, 23


def _skipped(skipped: SkippedTime, **values: object) -> Problem:
    return Problem(skipped.bound or "start", "skipped", str(skipped),
                   {"time": f"{skipped.clock:%H:%M}", "day": skipped.day, **values})


def changes_said(changes: Sequence[ShiftChange], admin: Administration) -> str:
    """What the changes did to each shift, for an audit entry."""
    def said(state: ShiftState) -> str:
        where = "-".join(t.astimezone(admin.tz).isoformat(timespec="minutes") for t in (state.start, state.end))
        return f"user {state.user_id} {where}{'' if state.on_roster else ' cancelled'}"
    return "; ".join(f"shift {c.shift_id}: {said(c.before)} -> {said(c.after)}" for c in changes)


async def _wanted(session: Session, problems: Problems, *, advisor: str, day: date | None, start: str,
                  end: str) -> tuple[int, date, time, time | None] | None:
    """The active advisor's id, the date and the wall-clock times a form asks for; None, with
    the problems, when any is wrong."""
    user = await active_advisor(session, advisor, problems)
    if day is None:
        problems.add("day", "date", "choose a date")
    start_clock, end_clock = checked_clock(start, "start", problems), checked_clock(end, "end", problems, end=True)
    if user is None or user.id is None or day is None or start_clock is None:
        return None
    return user.id, day, start_clock, end_clock


def _instants(admin: Administration, day: date, start: time, end: time | None) -> tuple[datetime, datetime]:
    """A shift's start and end on `day` (an end not after the start is the next day's); a time
    the clock skips that day is refused."""
    try:
        return span(day, start, end, admin.tz, recurring=False)
    except SkippedTime as skipped:
        raise Refused([_skipped(skipped)]) from None


async def add_shift(admin: Administration, *, actor: str, advisor: str, day: date | None, start: str,
                    end: str) -> Changes:
    """An extra shift on `day` from `start` to `end`, local times (an end not after the start is
    the next day's). The identical shift already on the roster is not added twice (no change)."""
    async with admin.change(actor=actor, action="shift_add") as change:
        problems = Problems()
        wanted = await _wanted(change.session, problems, advisor=advisor, day=day, start=start, end=end)
        problems.raise_any()
        assert wanted is not None
        user_id, on, start_clock, end_clock = wanted
        begins, ends = _instants(admin, on, start_clock, end_clock)
        if begins < admin.clock.now():
            # The past stays as it was, so coverage of it tells what was planned then.
            raise Refused([Problem("start", "past", "a shift cannot start in the past")])
        made = await rostering.add_shift(change.session, user_id=user_id, start=begins, end=ends)
        changes = () if made is None else (made,)
        change.detail = f"{advisor} {changes_said(changes, admin)}"
    return changes


async def cancel_shifts(admin: Administration, *, actor: str, shift_ids: Sequence[int]) -> Changes:
    """Take the shifts off the roster from now (a running one's past stays planned); one that is
    not on the roster any more is what the coordinator wanted, and left as it is."""
    if not shift_ids:
        raise Refused([Problem("shift", "none", "choose at least one shift")])
    async with admin.change(actor=actor, action="shift_cancel") as change:
        now = admin.clock.now()
        changes = tuple([c for shift_id in dict.fromkeys(shift_ids)
                         if (c := await rostering.cancel_shift(change.session, shift_id=shift_id, now=now))])
        change.detail = changes_said(changes, admin)
    return changes


async def move_shift(admin: Administration, *, actor: str, shift_id: int, advisor: str, day: date | None,
                     start: str, end: str) -> Changes:
    """Give a shift ahead another advisor, date or times (local; an end not after the start is
    the next day's)."""
    async with admin.change(actor=actor, action="shift_move") as change:
        problems = Problems()
        wanted = await _wanted(change.session, problems, advisor=advisor, day=day, start=start, end=end)
        shift = await _ahead(change.session, shift_id, admin.clock.now(), problems)
        problems.raise_any()
        assert wanted is not None and shift is not None
        user_id, on, start_clock, end_clock = wanted
        begins, ends = _instants(admin, on, start_clock, end_clock)
        changes = await _place(change.session, shift, user_id, begins, ends, admin, problems)
        problems.raise_any()
        change.detail = changes_said(changes, admin)
    return tuple(changes)


async def move_shifts(admin: Administration, *, actor: str, shift_ids: Sequence[int], days: int | None,
                      hours: int | None) -> Changes:
    """Move every one of the shifts by `days` and `hours` (either may be negative; None is what
    was given where a whole number belongs), all or none."""
    problems = Problems()
    if not shift_ids:
        problems.add("shift", "none", "choose at least one shift")
    if days is None or hours is None or abs(days) > MAX_DAYS or abs(hours) > MAX_HOURS or days == hours == 0:
        problems.add("by", "offset", f"move by 1 to {MAX_DAYS} days or 1 to {MAX_HOURS} hours", days=MAX_DAYS,
                     hours=MAX_HOURS)
    problems.raise_any()
    assert days is not None and hours is not None
    async with admin.change(actor=actor, action="shift_move") as change:
        now = admin.clock.now()
        shifts = [s for shift_id in dict.fromkeys(shift_ids)
                  if (s := await _ahead(change.session, shift_id, now, problems))]
        # The latest first when moving later (the earliest first when earlier), so that a shift
        # never lands on the times another of the same advisor's is about to leave.
        later = timedelta(days=days, hours=hours) > timedelta(0)
        changes: list[ShiftChange] = []
        for shift in sorted(shifts, key=lambda s: s.start, reverse=later):
            moved = _moved(shift, days, hours, admin, problems)
            if moved is not None:
                changes.extend(await _place(change.session, shift, shift.user_id, *moved, admin, problems))
        problems.raise_any()
        change.detail = changes_said(changes, admin)
    return tuple(changes)


def _moved(shift: ShiftRow, days: int, hours: int, admin: Administration,
           problems: Problems) -> tuple[datetime, datetime] | None:
    """The shift's start and end moved by `days` and `hours` of wall-clock time; None, and a
    problem, when the clock skips either that day."""
    bounds = []
    for bound in (shift.start, shift.end):
        local = bound.astimezone(admin.tz).replace(tzinfo=None) + timedelta(days=days, hours=hours)
        try:
            bounds.append(at(local.date(), time(local.hour, local.minute), admin.tz, recurring=False))
        except SkippedTime as skipped:
            problems.add("shift", "skipped", str(skipped), time=f"{skipped.clock:%H:%M}", day=skipped.day,
                         shift=shift.id)
            return None
    return bounds[0], bounds[1]


async def _ahead(session: Session, shift_id: int, now: datetime, problems: Problems) -> ShiftRow | None:
    """The shift, if it is on the roster and has not begun; else None and a problem."""
    shift = await rostering.shift_by_id(session, shift_id=shift_id)
    if shift is None or shift.cancelled_at is not None:
        problems.add("shift", "gone", f"shift {shift_id} is not on the roster", shift=shift_id)
        return None
    if shift.start <= now:
        # Begun or over: who was on it then is history (cancel it from now instead).
        problems.add("shift", "started", f"shift {shift_id} has begun and cannot be moved", shift=shift_id)
        return None
    return shift


async def _place(session: Session, shift: ShiftRow, user_id: int, start: datetime, end: datetime,
                 admin: Administration, problems: Problems) -> list[ShiftChange]:
    if start < admin.clock.now():
        problems.add("start", "past", "a shift cannot start in the past", shift=shift.id)
        return []
    placed = await rostering.place_shift(session, shift_id=shift.id or 0, user_id=user_id, start=start, end=end,
                                         now=admin.clock.now())
    if placed is None:
        problems.add("shift", "taken", "the advisor has that shift already", shift=shift.id)
        return []
    return placed


def undoable(changes: Changes, now: datetime) -> bool:
    """Whether the changes could be undone now: something was changed, and every shift they
    touched, before and after, starts after `now`."""
    return bool(changes) and all(state.start > now for c in changes for state in (c.before, c.after))


async def undo(admin: Administration, *, actor: str, changes: Changes) -> Changes:
    """Put every shift the changes touched back as it was before them, the last first; refused
    when any has changed since or is no longer all ahead. What the undo itself changed (to be
    undone in turn, a redo), or nothing when it took away shifts the change had made."""
    if not undoable(changes, admin.clock.now()):
        raise Refused([Problem("undo", "undo_past", "the change touched shifts that have begun since")])
    async with admin.change(actor=actor, action="roster_undo") as change:
        undone = []
        for shift_change in reversed(changes):
            back = await rostering.put_back(change.session, change=shift_change, now=admin.clock.now())
            if back is None:
                raise Refused([Problem("undo", "undo_changed", "the roster has changed since: nothing was undone")])
            undone.append(back)
        change.detail = changes_said(undone, admin)
    # A shift the change made is gone again, with what it was made from: nothing to redo it by.
    return () if any(c.created for c in changes) else tuple(undone)

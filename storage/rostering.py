"""What coordinators change in the roster: weekly shift templates per advisor, the shifts they
make for a week, and one-off changes to concrete shifts (cancel, swap, extra shift).

A shift made from a template remembers the template and the date, so applying the templates to
a week again makes only what was never made: a cancelled shift is kept as a cancelled row (a
tombstone) and a swapped or moved one stays so.

Each change to a shift answers with a `ShiftChange`: the shift's state before and after. That is
what undoing the change needs (`put_back`), and all it needs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.tables import ShiftRow, ShiftTemplateRow, User


@dataclass(frozen=True)
class ShiftState:
    """Whose a shift is, when, and whether it is on the roster (not cancelled)."""

    user_id: int
    start: datetime
    end: datetime
    on_roster: bool


@dataclass(frozen=True)
class ShiftChange:
    """A shift from `before` to `after`. `created`: the change made the row, so undoing it takes
    the row away again, as if it had never been made (applying the templates again makes it anew)."""

    shift_id: int
    before: ShiftState
    after: ShiftState
    created: bool = False


def state_of(shift: ShiftRow) -> ShiftState:
    return ShiftState(shift.user_id, shift.start, shift.end, shift.cancelled_at is None)


async def templates(session: AsyncSession) -> Sequence[ShiftTemplateRow]:
    result = await session.execute(
        select(ShiftTemplateRow).order_by(
            col(ShiftTemplateRow.user_id), col(ShiftTemplateRow.weekday), col(ShiftTemplateRow.start)
        )
    )
    return result.scalars().all()


async def add_template(session: AsyncSession, *, user_id: int, weekday: int, start: str, end: str) -> None:
    session.add(ShiftTemplateRow(user_id=user_id, weekday=weekday, start=start, end=end))


async def delete_template(session: AsyncSession, *, template_id: int) -> None:
    """Delete a template; the shifts it made stay, made from no template (the foreign key's
    ON DELETE SET NULL)."""
    await session.execute(delete(ShiftTemplateRow).where(col(ShiftTemplateRow.id) == template_id))


async def apply_templates(
    session: AsyncSession, *, shifts: Iterable[tuple[int, date, int, datetime, datetime]]
) -> list[ShiftChange]:
    """Add the (template id, date, user id, start, end) shifts of templates, skipping each
    template and date made before, whatever became of that shift (cancelled, swapped), and each
    shift identical to one already stored (on the roster or cancelled). The shifts added."""
    added = []
    for template_id, day, user_id, start, end in shifts:
        made = await session.execute(
            select(ShiftRow.id).where(col(ShiftRow.template_id) == template_id, col(ShiftRow.template_day) == day)
        )
        if made.first() is None and await _identical(session, user_id, start, end) is None:
            shift = ShiftRow(user_id=user_id, start=start, end=end, template_id=template_id, template_day=day)
            session.add(shift)
            await session.flush()
            added.append(_made(shift, created=True))
    return added


def _made(shift: ShiftRow, *, created: bool) -> ShiftChange:
    """A shift that was not on the roster before and is now."""
    now = state_of(shift)
    return ShiftChange(shift.id or 0, ShiftState(now.user_id, now.start, now.end, on_roster=False), now, created)


async def _identical(session: AsyncSession, user_id: int, start: datetime, end: datetime) -> ShiftRow | None:
    """The stored shift (on the roster or cancelled) of that user from `start` to `end`: there
    is one at most."""
    result = await session.execute(
        select(ShiftRow).where(col(ShiftRow.user_id) == user_id, col(ShiftRow.start) == start,
                               col(ShiftRow.end) == end))
    return result.scalar_one_or_none()


async def add_shift(session: AsyncSession, *, user_id: int, start: datetime, end: datetime) -> ShiftChange | None:
    """Put the user's shift from `start` to `end` on the roster: a new one, or the identical
    cancelled one back; None when the identical one is on the roster already."""
    shift = await _identical(session, user_id, start, end)
    created = shift is None
    if shift is None:
        shift = ShiftRow(user_id=user_id, start=start, end=end)
        session.add(shift)
    elif shift.cancelled_at is None:
        return None
    shift.cancelled_at = None
    await session.flush()
    return _made(shift, created=created)


async def shifts_with_users(
    session: AsyncSession, *, start: datetime, end: datetime
) -> Sequence[tuple[ShiftRow, User]]:
    """Every shift on the roster (not cancelled) overlapping [start, end) with its advisor, by
    start time."""
    result = await session.execute(
        select(ShiftRow, User)
        .join(User, col(User.id) == col(ShiftRow.user_id))
        .where(col(ShiftRow.start) < end, col(ShiftRow.end) > start, col(ShiftRow.cancelled_at).is_(None))
        .order_by(col(ShiftRow.start), col(User.username))
    )
    return [(shift, user) for shift, user in result.all()]


async def _on_roster(session: AsyncSession, shift_id: int) -> ShiftRow | None:
    shift = await session.get(ShiftRow, shift_id)
    return shift if shift is not None and shift.cancelled_at is None else None


async def shift_by_id(session: AsyncSession, *, shift_id: int) -> ShiftRow | None:
    return await session.get(ShiftRow, shift_id)


async def shifts_to_change(session: AsyncSession, *, shift_ids: Collection[int]) -> dict[int, ShiftRow]:
    """The shifts by id (cancelled ones too), read afresh and locked for the rest of the
    transaction where the database can (PostgreSQL: FOR UPDATE; SQLite writes one transaction at
    a time anyway), so that of two transactions handing on one shift the second waits and reads
    what the first made of it. Locked in id order, so two that lock the same shifts never each
    wait for the other."""
    if not shift_ids:
        return {}
    result = await session.execute(
        select(ShiftRow).where(col(ShiftRow.id).in_(shift_ids)).order_by(col(ShiftRow.id))
        .with_for_update().execution_options(populate_existing=True)
    )
    return {shift.id or 0: shift for shift in result.scalars().all()}


async def cancel_shift(session: AsyncSession, *, shift_id: int, now: datetime) -> ShiftChange | None:
    """Take a shift off the roster from `now`, keeping its row; None when it is not on the
    roster (no such shift, or cancelled already)."""
    shift = await _on_roster(session, shift_id)
    if shift is None:
        return None
    before = state_of(shift)
    shift.cancelled_at = now
    await session.flush()
    return ShiftChange(shift_id, before, state_of(shift))


async def place_shift(session: AsyncSession, *, shift_id: int, user_id: int, start: datetime, end: datetime,
                      now: datetime) -> list[ShiftChange] | None:
    """Make a shift on the roster the user's from `start` to `end` (another advisor's, another
    time, or both). Where that user's identical shift was cancelled, that one is back on the
    roster and this one cancelled (from `now`) instead. None when the shift is not on the
    roster, or the user's identical one is."""
    shift = await _on_roster(session, shift_id)
    if shift is None:
        return None
    before = state_of(shift)
    same = await _identical(session, user_id, start, end)
    if same is not None and same.id == shift_id:
        return []
    if same is not None and same.cancelled_at is None:
        return None
    if same is None:
        shift.user_id, shift.start, shift.end = user_id, start, end
        await session.flush()
        return [ShiftChange(shift_id, before, state_of(shift))]
    back = state_of(same)
    same.cancelled_at, shift.cancelled_at = None, now
    await session.flush()
    return [ShiftChange(same.id or 0, back, state_of(same)), ShiftChange(shift_id, before, state_of(shift))]


async def put_back(session: AsyncSession, *, change: ShiftChange, now: datetime) -> ShiftChange | None:
    """Undo one change: the shift as it was before it (a shift the change made: gone), provided
    it is still as the change left it; None when it has changed since, or another shift of the
    same user and times stands in the way."""
    shift = await session.get(ShiftRow, change.shift_id)
    if shift is None or state_of(shift) != change.after:
        return None
    if change.created:
        await session.delete(shift)
        await session.flush()
        return ShiftChange(change.shift_id, change.after, change.before)
    was = change.before
    other = await _identical(session, was.user_id, was.start, was.end)
    if other is not None and other.id != shift.id:
        return None
    shift.user_id, shift.start, shift.end = was.user_id, was.start, was.end
    shift.cancelled_at = None if was.on_roster else now
    await session.flush()
    return ShiftChange(change.shift_id, change.after, state_of(shift))


def _ahead(user_id: int, now: datetime) -> SelectOfScalar[ShiftRow]:
    return select(ShiftRow).where(
        col(ShiftRow.user_id) == user_id, col(ShiftRow.end) > now, col(ShiftRow.cancelled_at).is_(None))


async def roster_ahead(session: AsyncSession, *, user_id: int, now: datetime) -> tuple[int, int]:
    """How many shifts on the roster the user has from `now` on (a running one counted) and how
    many weekly templates."""
    shifts = (await session.execute(select(func.count()).select_from(_ahead(user_id, now).subquery()))).scalar()
    templates = (await session.execute(
        select(func.count()).where(col(ShiftTemplateRow.user_id) == user_id))).scalar()
    return shifts or 0, templates or 0


async def cancel_ahead(session: AsyncSession, *, user_id: int, now: datetime) -> int:
    """Cancel, from `now`, every shift on the roster of the user's that has not ended (a running
    one's past stays planned); how many. Past shifts are history and stay as they were."""
    shifts = (await session.execute(_ahead(user_id, now))).scalars().all()
    for shift in shifts:
        shift.cancelled_at = now
    await session.flush()
    return len(shifts)

"""What coordinators change in the roster: weekly shift templates per advisor, the shifts they
make for a week, and one-off changes to concrete shifts (cancel, swap, extra shift).

A shift made from a template remembers the template and the date, so applying the templates to
a week again makes only what was never made: a cancelled shift is kept as a cancelled row (a
tombstone) and a swapped one stays swapped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.tables import ShiftRow, ShiftTemplateRow, User


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
) -> int:
    """Add the (template id, date, user id, start, end) shifts of templates, skipping each
    template and date made before, whatever became of that shift (cancelled, swapped), and each
    shift identical to one already stored (on the roster or cancelled). How many were added."""
    added = 0
    for template_id, day, user_id, start, end in shifts:
        made = await session.execute(
            select(ShiftRow.id).where(col(ShiftRow.template_id) == template_id, col(ShiftRow.template_day) == day)
        )
        same = await session.execute(
            select(ShiftRow.id).where(
                col(ShiftRow.user_id) == user_id, col(ShiftRow.start) == start, col(ShiftRow.end) == end)
        )
        if made.first() is None and same.first() is None:
            session.add(ShiftRow(user_id=user_id, start=start, end=end, template_id=template_id, template_day=day))
            await session.flush()
            added += 1
    return added


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


async def cancel_shift(session: AsyncSession, *, shift_id: int, now: datetime) -> ShiftRow | None:
    """Take a shift off the roster from `now`, keeping its row; the shift, or None when it is
    not on the roster (no such shift, or cancelled already)."""
    shift = await _on_roster(session, shift_id)
    if shift is not None:
        shift.cancelled_at = now
        await session.flush()
    return shift


async def swap_shift(session: AsyncSession, *, shift_id: int, user_id: int, now: datetime) -> ShiftRow | None:
    """Give a shift on the roster to another advisor; None when it is not on the roster or the
    other advisor already has the identical one. Where the other advisor's identical shift was
    cancelled, that one is back on the roster and this one cancelled (from `now`) instead."""
    shift = await _on_roster(session, shift_id)
    if shift is None:
        return None
    same = (await session.execute(
        select(ShiftRow).where(
            col(ShiftRow.user_id) == user_id, col(ShiftRow.start) == shift.start, col(ShiftRow.end) == shift.end
        )
    )).scalar_one_or_none()
    if same is None:
        shift.user_id = user_id
    elif same.cancelled_at is not None:
        same.cancelled_at, shift.cancelled_at = None, now
    else:
        return None
    await session.flush()
    return shift


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

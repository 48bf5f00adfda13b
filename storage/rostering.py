"""What coordinators change in the roster: weekly shift templates per advisor, and one-off
changes to concrete shifts (cancel, swap, extra shift)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

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
    await session.execute(delete(ShiftTemplateRow).where(col(ShiftTemplateRow.id) == template_id))


async def shifts_with_users(
    session: AsyncSession, *, start: datetime, end: datetime
) -> Sequence[tuple[ShiftRow, User]]:
    """Every shift overlapping [start, end) with its advisor, by start time."""
    result = await session.execute(
        select(ShiftRow, User)
        .join(User, col(User.id) == col(ShiftRow.user_id))
        .where(col(ShiftRow.start) < end, col(ShiftRow.end) > start)
        .order_by(col(ShiftRow.start), col(User.username))
    )
    return [(shift, user) for shift, user in result.all()]


async def cancel_shift(session: AsyncSession, *, shift_id: int) -> ShiftRow | None:
    """Delete a shift; the deleted row, or None when there was none."""
    shift = await session.get(ShiftRow, shift_id)
    if shift is not None:
        await session.delete(shift)
    return shift


async def swap_shift(session: AsyncSession, *, shift_id: int, user_id: int) -> ShiftRow | None:
    """Give a shift to another advisor; None when the shift is gone or the other advisor already
    has the identical one."""
    shift = await session.get(ShiftRow, shift_id)
    if shift is None:
        return None
    same = await session.execute(
        select(ShiftRow.id).where(
            col(ShiftRow.user_id) == user_id, col(ShiftRow.start) == shift.start, col(ShiftRow.end) == shift.end
        )
    )
    if same.first() is not None:
        return None
    shift.user_id = user_id
    await session.flush()
    return shift

"""Shifts as stored: concrete (advisor, start, end) spans in UTC. A cancelled shift stays as a
row (see `storage.tables.ShiftRow`); the roster these functions read is the shifts not cancelled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage import rostering
from storage.tables import ShiftRow, User


async def add_shifts(session: AsyncSession, *, shifts: Iterable[tuple[int, datetime, datetime]]) -> int:
    """Add (user id, start, end) shifts, skipping any identical one already on the roster; an
    identical cancelled one is back on the roster. Returns how many were added."""
    added = 0
    for user_id, start, end in shifts:
        if await rostering.add_shift(session, user_id=user_id, start=start, end=end) is not None:
            added += 1
    return added


async def shifts_between(
    session: AsyncSession, *, start: datetime, end: datetime
) -> Sequence[tuple[str, datetime, datetime]]:
    """(username, start, end) of every shift overlapping [start, end)."""
    result = await session.execute(
        select(User.username, ShiftRow.start, ShiftRow.end)
        .join(User, User.id == ShiftRow.user_id)  # type: ignore[arg-type]
        .where(ShiftRow.start < end, ShiftRow.end > start, col(ShiftRow.cancelled_at).is_(None))
        .order_by(col(ShiftRow.start))
    )
    return [(username, shift_start, shift_end) for username, shift_start, shift_end in result.all()]


async def shifts_of_user(
    session: AsyncSession, *, user_id: int, start: datetime, end: datetime
) -> Sequence[ShiftRow]:
    result = await session.execute(
        select(ShiftRow)
        .where(col(ShiftRow.user_id) == user_id, col(ShiftRow.start) < end, col(ShiftRow.end) > start,
               col(ShiftRow.cancelled_at).is_(None))
        .order_by(col(ShiftRow.start))
    )
    return result.scalars().all()


async def planned_between(
    session: AsyncSession, *, start: datetime, end: datetime
) -> Sequence[tuple[str, datetime, datetime]]:
    """(username, start, end) of every shift overlapping [start, end) as it was planned at the
    time: a cancelled shift counts until it was cancelled, so one cancelled before it began is
    not there, and one cancelled after it ended is there whole."""
    result = await session.execute(
        select(User.username, ShiftRow.start, ShiftRow.end, ShiftRow.cancelled_at)
        .join(User, col(User.id) == col(ShiftRow.user_id))
        .where(
            col(ShiftRow.start) < end,
            col(ShiftRow.end) > start,
            col(ShiftRow.cancelled_at).is_(None) | (col(ShiftRow.cancelled_at) > col(ShiftRow.start)),
        )
        .order_by(col(ShiftRow.start), col(User.username))
    )
    return [
        (username, shift_start, shift_end if cancelled is None else min(shift_end, cancelled))
        for username, shift_start, shift_end, cancelled in result.all()
    ]

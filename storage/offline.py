"""Messages visitors leave while the service is closed or unstaffed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import OfflineMessage


async def add_offline_message(
    session: AsyncSession, *, topic: str, language: str, text: str, contact: str | None, now: datetime
) -> OfflineMessage:
    message = OfflineMessage(topic=topic, language=language, text=text, contact=contact, created_at=now)
    session.add(message)
    await session.flush()
    return message


async def open_offline_messages(session: AsyncSession, *, user_id: int) -> Sequence[OfflineMessage]:
    """Unanswered messages nobody has claimed, and those this user has claimed; oldest first."""
    result = await session.execute(
        select(OfflineMessage)
        .where(
            col(OfflineMessage.answered_at).is_(None),
            or_(col(OfflineMessage.claimed_by).is_(None), col(OfflineMessage.claimed_by) == user_id),
        )
        .order_by(col(OfflineMessage.created_at))
    )
    return result.scalars().all()


async def claim(session: AsyncSession, *, message_id: int, user_id: int) -> bool:
    """Claim an unclaimed message; False when someone else was first. One UPDATE, so two
    advisors can never both win."""
    result = await session.execute(
        update(OfflineMessage)
        .where(col(OfflineMessage.id) == message_id, col(OfflineMessage.claimed_by).is_(None))
        .values(claimed_by=user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_answered(
    session: AsyncSession, *, message_id: int, user_id: int, how: str, now: datetime
) -> bool:
    """Mark a message this user claimed as answered; False when it is not theirs."""
    result = await session.execute(
        update(OfflineMessage)
        .where(
            col(OfflineMessage.id) == message_id,
            col(OfflineMessage.claimed_by) == user_id,
            col(OfflineMessage.answered_at).is_(None),
        )
        .values(answered_at=now, answered_how=how)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]

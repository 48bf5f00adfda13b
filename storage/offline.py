"""Messages visitors leave while the service is closed or unstaffed, and their handling: a claim
(one advisor answers each; released by the claimer or a coordinator), then the answer (how, and
when; the claimer is who answered). Every move is one conditional UPDATE, so two advisors can
never both win a message, and an answer is never recorded twice."""

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


async def offline_message(session: AsyncSession, *, message_id: int) -> OfflineMessage | None:
    return await session.get(OfflineMessage, message_id, populate_existing=True)


async def open_offline_messages(
    session: AsyncSession, *, user_id: int, others_claims: bool = False
) -> Sequence[OfflineMessage]:
    """Unanswered messages nobody has claimed and those this user has claimed (with
    `others_claims`, also those someone else claimed: a coordinator's view); oldest first."""
    query = select(OfflineMessage).where(col(OfflineMessage.answered_at).is_(None))
    if not others_claims:
        query = query.where(or_(col(OfflineMessage.claimed_by).is_(None), col(OfflineMessage.claimed_by) == user_id))
    result = await session.execute(query.order_by(col(OfflineMessage.created_at)))
    return result.scalars().all()


async def _changed(session: AsyncSession, message_id: int, *conditions: object, **values: object) -> bool:
    result = await session.execute(
        update(OfflineMessage).where(col(OfflineMessage.id) == message_id, *conditions).values(**values)  # type: ignore[arg-type]
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim(session: AsyncSession, *, message_id: int, user_id: int) -> bool:
    """Claim an unclaimed message; False when someone else was first."""
    return await _changed(session, message_id, col(OfflineMessage.claimed_by).is_(None), claimed_by=user_id)


async def release(session: AsyncSession, *, message_id: int, claimed_by: int) -> bool:
    """Give up `claimed_by`'s claim on an unanswered message, so anyone may take it; False when the
    message is answered or no longer claimed by them."""
    return await _changed(
        session, message_id, col(OfflineMessage.claimed_by) == claimed_by, col(OfflineMessage.answered_at).is_(None),
        claimed_by=None,
    )


async def mark_answered(
    session: AsyncSession, *, message_id: int, user_id: int, how: str, now: datetime
) -> bool:
    """Mark a message this user claimed as answered; False when it is not theirs or is answered
    already (so a second click, or a second tab, records and sends nothing)."""
    return await _changed(
        session, message_id, col(OfflineMessage.claimed_by) == user_id, col(OfflineMessage.answered_at).is_(None),
        answered_at=now, answered_how=how,
    )


async def unmark_answered(session: AsyncSession, *, message_id: int, user_id: int) -> None:
    """Take back the answer this user's `mark_answered` recorded (its e-mail could not be sent):
    the message is the claimer's unanswered one again. Nobody else can have changed it between:
    an answered message can be neither claimed, released nor answered again."""
    await _changed(session, message_id, col(OfflineMessage.claimed_by) == user_id, answered_at=None, answered_how=None)

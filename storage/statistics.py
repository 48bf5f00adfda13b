"""The anonymous statistics record: written when a chat ends, rated when feedback comes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.messages import line_counts
from storage.tables import Chat, ChatStatistic, Feedback, RefusedAttempt

_RECORDS = cast(Table, ChatStatistic.__table__)  # type: ignore[attr-defined]


def _hour_bucket(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


async def record_ended_chats(session: AsyncSession, *, chats: Sequence[Chat], now: datetime, tz: ZoneInfo) -> None:
    """Write each ended chat's statistics record and link it from the chat (a link the purge
    cuts): one count and one insert for the lot, the links going out with the chats' other
    changes in one update when the session flushes. (On SQLite the insert is a statement a
    record: SQLAlchemy pairs RETURNING rows with their records there only a row at a time.)"""
    with session.no_autoflush:  # neither reads a chat: their changes can wait for the links
        counts = await line_counts(session, chat_ids=[chat.id for chat in chats])
        ids = await session.scalars(
            insert(_RECORDS).returning(_RECORDS.c.id, sort_by_parameter_order=True),
            [_record(chat, counts[chat.id], now, tz) for chat in chats],
        )
    for chat, record_id in zip(chats, ids.all(), strict=True):
        chat.statistic_id = record_id
        session.add(chat)


def _record(chat: Chat, line_count: int, now: datetime, tz: ZoneInfo) -> dict[str, object]:
    arrived_local = chat.arrived_at.astimezone(tz)
    wait_end = chat.assigned_at or now
    return dict(
        hour_bucket=_hour_bucket(chat.arrived_at),
        local_hour=arrived_local.hour,
        weekday=arrived_local.weekday(),
        topic=chat.topic,
        language=chat.language,
        status=chat.status,
        outcome=chat.outcome,
        ended_by=chat.ended_by,
        end_reason=chat.end_reason,
        wait_s=round((wait_end - chat.arrived_at).total_seconds()),
        duration_s=round((now - chat.assigned_at).total_seconds()) if chat.assigned_at else None,
        organisation_id=chat.serving_organisation_id,
        message_count=line_count,
    )


async def save_feedback(
    session: AsyncSession, *, chat: Chat, rating: int, comment: str | None, now: datetime
) -> None:
    """Keep the visitor's rating (replacing an earlier one) and copy it into the record."""
    feedback = await session.get(Feedback, chat.id)
    if feedback is None:
        session.add(Feedback(chat_id=chat.id, rating=rating, comment=comment, created_at=now))
    else:
        feedback.rating, feedback.comment, feedback.created_at = rating, comment, now
    if chat.statistic_id is not None:
        record = await session.get(ChatStatistic, chat.statistic_id)
        if record is not None:
            record.rating = rating


async def feedback_of(session: AsyncSession, *, chat_id: str) -> Feedback | None:
    """The visitor's rating and comment on a chat, if they gave one (gone with the transcript)."""
    return await session.get(Feedback, chat_id)


async def set_late_outcome(session: AsyncSession, *, chat: Chat, outcome: str) -> None:
    """The outcome an advisor gives a chat that ended without one (the visitor left, it went
    idle): on the chat and in its statistics record."""
    chat.outcome = outcome
    session.add(chat)
    if chat.statistic_id is not None:
        record = await session.get(ChatStatistic, chat.statistic_id)
        if record is not None:
            record.outcome = outcome


async def record_refused(
    session: AsyncSession, *, reason: str, topic: str, language: str, now: datetime
) -> None:
    session.add(RefusedAttempt(hour_bucket=_hour_bucket(now), reason=reason, topic=topic, language=language))


async def recent_handling_times(session: AsyncSession, *, limit: int) -> list[float]:
    """Handling times (seconds) of the latest ended chats, oldest first, for the wait estimate."""
    result = await session.execute(
        select(col(ChatStatistic.duration_s))
        .where(col(ChatStatistic.duration_s).is_not(None))
        .order_by(col(ChatStatistic.id).desc())
        .limit(limit)
    )
    return [float(seconds) for seconds in reversed(result.scalars().all()) if seconds is not None]

"""Transcript retention: what is deleted when, and what stays (the statistics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.tables import Chat, ChatHandler, Feedback, Message, OfflineMessage


@dataclass(frozen=True)
class PurgeReport:
    chats: int
    offline_messages: int


async def purge_before(session: AsyncSession, *, cutoff: datetime) -> PurgeReport:
    """Delete ended chats (messages, notes, feedback, handlers) that ended before the cutoff, and
    offline messages left before it. Statistics records are not touched."""
    old_chats = select(col(Chat.id)).where(col(Chat.ended_at) < cutoff)
    for table in (Message, Feedback, ChatHandler):
        await session.execute(delete(table).where(table.chat_id.in_(old_chats)))  # type: ignore[attr-defined]
    chats = await session.execute(delete(Chat).where(col(Chat.ended_at) < cutoff))
    offline = await session.execute(delete(OfflineMessage).where(col(OfflineMessage.created_at) < cutoff))
    return PurgeReport(chats=chats.rowcount, offline_messages=offline.rowcount)  # type: ignore[attr-defined]


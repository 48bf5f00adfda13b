"""Messages visitors leave while the service is closed or unstaffed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import OfflineMessage


async def add_offline_message(
    session: AsyncSession, *, topic: str, language: str, text: str, contact: str | None, now: datetime
) -> OfflineMessage:
    message = OfflineMessage(topic=topic, language=language, text=text, contact=contact, created_at=now)
    session.add(message)
    await session.flush()
    return message

"""Transcript retention: what is deleted when, and what stays (the statistics)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.audit import audit
from storage.database import Database
from storage.tables import Chat, ChatHandler, Feedback, Message, OfflineMessage, Setting, SurveyAnswer


@dataclass(frozen=True)
class PurgeReport:
    chats: int
    offline_messages: int


async def purge_before(session: AsyncSession, *, cutoff: datetime) -> PurgeReport:
    """Delete ended chats (messages, notes, feedback, free-text survey answers, handlers) that ended
    before the cutoff, and offline messages left before it. Statistics records, and the survey's
    anonymous numbers, are not touched."""
    old_chats = select(col(Chat.id)).where(col(Chat.ended_at) < cutoff)
    for table in (Message, Feedback, ChatHandler, SurveyAnswer):
        await session.execute(delete(table).where(table.chat_id.in_(old_chats)))  # type: ignore[union-attr]
    chats = await session.execute(delete(Chat).where(col(Chat.ended_at) < cutoff))
    offline = await session.execute(delete(OfflineMessage).where(col(OfflineMessage.created_at) < cutoff))
    return PurgeReport(chats=chats.rowcount, offline_messages=offline.rowcount)  # type: ignore[attr-defined]



RETENTION_KEY = "retention_days"
DAY_S = 24 * 3600.0
log = logging.getLogger("neuvo.retention")


async def retention_days(session: AsyncSession, *, default: int) -> int:
    """The retention a coordinator set (setting "retention_days"), else NEUVO_RETENTION_DAYS."""
    row = await session.get(Setting, RETENTION_KEY)
    if row is not None and row.value.strip().isdigit() and int(row.value) > 0:
        return int(row.value)
    return default


async def purge(db: Database, *, now: datetime, default_days: int, actor: str) -> tuple[int, PurgeReport]:
    """Apply the retention once, in one transaction, and write what was deleted to the audit log.
    Returns the retention in days and the report."""
    async with db.transaction() as session:
        days = await retention_days(session, default=default_days)
        report = await purge_before(session, cutoff=now - timedelta(days=days))
        detail = f"{report.chats} chats, {report.offline_messages} offline messages, older than {days} days"
        await audit(session, actor=actor, action="purge", detail=detail, now=now)
    await db.checkpoint()  # the purged text out of SQLite's write-ahead log too
    return days, report


async def purge_job(
    db: Database, *, now: Callable[[], datetime], default_days: int, interval_s: float = DAY_S
) -> None:
    """Purge now and then once every `interval_s` until cancelled (the hub's daily job). A failed
    run is logged and tried again at the next interval."""
    while True:
        try:
            await purge(db, now=now(), default_days=default_days, actor="retention")
        except (SQLAlchemyError, OSError) as error:
            log.error("purge failed: %s", type(error).__name__)
        await asyncio.sleep(interval_s)

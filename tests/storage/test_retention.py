"""Retention: transcripts, notes, feedback comments and offline messages older than the retention
go; the anonymous statistics stay; every purge is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from storage import retention, service
from storage.database import Database
from storage.retention import purge, purge_job
from storage.tables import AuditEntry, Chat, ChatStatistic, Feedback, Message, OfflineMessage
from tests.service import seed

NOW = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Helsinki"))


async def add_chat(db: Database, chat_id: str, ended_days_ago: int) -> None:
    ended = NOW - timedelta(days=ended_days_ago)
    async with db.transaction() as session:
        session.add(Chat(id=chat_id, token_hash="x" * 64, status="ended", topic="work", language="fi",
                         arrived_at=ended - timedelta(minutes=20), ended_at=ended, last_activity_at=ended))
        await session.flush()
        for seq, sender in enumerate(("visitor", "advisor", "note"), start=1):
            session.add(Message(chat_id=chat_id, seq=seq, sender=sender, text=f"{sender} text", created_at=ended))
        session.add(Feedback(chat_id=chat_id, rating=4, comment="thanks", created_at=ended))
        session.add(ChatStatistic(hour_bucket=ended.replace(minute=0), local_hour=9, weekday=0, topic="work",
                                  language="fi", status="ended", wait_s=10, duration_s=600, rating=4))
        session.add(OfflineMessage(topic="work", language="fi", text="call me", created_at=ended))


async def count(db: Database, table: type) -> int:
    async with db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    yield Database(f"sqlite:///{tmp_path / 'retention.db'}")


async def test_purge_deletes_old_transcripts_and_keeps_statistics(db: Database) -> None:
    await seed(db)
    await add_chat(db, "old", ended_days_ago=91)
    await add_chat(db, "recent", ended_days_ago=89)
    days, report = await purge(db, now=NOW, default_days=90, actor="cli")
    assert (days, report.chats, report.offline_messages) == (90, 1, 1)
    async with db.transaction() as session:
        assert [c.id for c in (await session.execute(select(Chat))).scalars()] == ["recent"]
        assert {m.chat_id for m in (await session.execute(select(Message))).scalars()} == {"recent"}
        assert [f.chat_id for f in (await session.execute(select(Feedback))).scalars()] == ["recent"]
        entries = (await session.execute(select(AuditEntry).where(AuditEntry.action == "purge"))).scalars().all()
    assert await count(db, ChatStatistic) == 2  # both records stay
    assert await count(db, OfflineMessage) == 1
    assert [(e.actor, e.detail) for e in entries] == [("cli", "1 chats, 1 offline messages, older than 90 days")]
    await db.close()


async def test_the_coordinators_setting_wins_over_the_default(db: Database) -> None:
    await seed(db)
    await add_chat(db, "month-old", ended_days_ago=31)
    async with db.transaction() as session:
        assert await retention.retention_days(session, default=90) == 90
        await service.set_setting(session, key=retention.RETENTION_KEY, value="30")
    days, report = await purge(db, now=NOW, default_days=90, actor="cli")
    assert (days, report.chats) == (30, 1)
    assert await count(db, ChatStatistic) == 1
    await db.close()


class Stop(Exception):
    pass


async def test_the_daily_job_purges_at_once_and_then_every_interval(db: Database) -> None:
    await seed(db)
    await add_chat(db, "old", ended_days_ago=100)
    calls = iter([NOW, NOW + timedelta(days=1)])

    def now() -> datetime:
        value = next(calls, None)
        if value is None:
            raise Stop
        return value

    with pytest.raises(Stop):
        await purge_job(db, now=now, default_days=90, interval_s=0)
    async with db.transaction() as session:
        actors = [e.actor for e in (await session.execute(
            select(AuditEntry).where(AuditEntry.action == "purge"))).scalars()]
    assert actors == ["retention", "retention"]
    assert await count(db, Chat) == 0 and await count(db, ChatStatistic) == 1
    await db.close()


async def test_purged_text_is_gone_from_the_sqlite_file_and_its_wal(tmp_path: Path) -> None:
    """Issue 14.8: after a purge, no byte of a purged line is left in the database file or in
    its write-ahead log, while the server's connections stay open (it keeps the WAL)."""
    url = f"sqlite:///{tmp_path / 'neuvo.db'}"
    server = Database(url)
    await seed(server)
    secret = "SALAINEN-purge-me-7d1f"
    await add_chat(server, "old", ended_days_ago=91)
    async with server.transaction() as session:
        for seq in range(4, 200):  # enough pages that the line is in several places
            session.add(Message(chat_id="old", seq=seq, sender="visitor", text=f"{secret} {seq}", created_at=NOW))
    cli = Database(url)  # `neuvo purge` is another process with its own connection
    try:
        await purge(cli, now=NOW, default_days=90, actor="cli")
    finally:
        await cli.close()
    async with server.transaction() as session:  # the server goes on using its connections
        assert await session.scalar(select(func.count()).select_from(Message)) == 0
    try:
        for name in ("neuvo.db", "neuvo.db-wal"):
            path = tmp_path / name
            if path.exists():
                assert secret.encode() not in path.read_bytes(), name
    finally:
        await server.close()

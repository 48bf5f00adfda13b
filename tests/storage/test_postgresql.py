"""The same server on PostgreSQL (asyncpg) as on SQLite: migrations, a whole chat, seqs under
concurrent writers, durability across a restart of the app, the configuration version under
concurrent changes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import select

from storage import service
from storage.database import Database
from storage.setup import prepare
from storage.tables import ChatStatistic, Message
from tests.postgres import new_database
from tests.service import running, send, until


async def test_a_whole_chat_on_postgresql(tmp_path: Path, postgres: str) -> None:
    async with running(tmp_path, database_url=new_database(postgres)) as service:
        talk = await service.chat()
        visitor, anna, chat_id = talk.visitor, talk.advisor, talk.chat
        await send(visitor, {"type": "message", "id": "v1", "text": "Hei"})
        assert (await until(visitor, "ack"))["seq"] == 1
        await send(visitor, {"type": "message", "id": "v1", "text": "Hei"})
        assert (await until(visitor, "ack"))["seq"] == 1
        await send(anna, {"type": "close", "chat": chat_id, "outcome": "answered"})
        await until(visitor, "ended")
        async with service.db.transaction() as session:
            record = (await session.execute(select(ChatStatistic))).scalar_one()
        assert (record.outcome, record.message_count) == ("answered", 1)


async def test_concurrent_writers_get_gap_free_unique_seqs_on_postgresql(tmp_path: Path, postgres: str) -> None:
    async with running(tmp_path, database_url=new_database(postgres)) as service:
        talk = await service.chat()
        visitor, anna, chat_id = talk.visitor, talk.advisor, talk.chat

        async def write(n: int) -> None:
            await send(visitor, {"type": "message", "id": f"v{n}", "text": f"visitor {n}"})
            await send(anna, {"type": "message", "chat": chat_id, "id": f"a{n}", "text": f"advisor {n}"})

        await asyncio.gather(*(write(n) for n in range(20)))
        for _ in range(20):
            await until(anna, "ack")
        for _ in range(20):
            await until(visitor, "ack")
        async with service.db.transaction() as session:
            seqs = (await session.execute(select(Message.seq).where(Message.chat_id == chat_id))).scalars().all()
        assert sorted(seqs) == list(range(1, 41))


async def test_waiting_chats_survive_an_app_restart_on_postgresql(tmp_path: Path, postgres: str) -> None:
    url = new_database(postgres)
    async with running(tmp_path, database_url=url) as service:
        await service.advisor("anna")
        tokens = []
        for _ in range(2):
            visitor = await service.visitor()
            await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
            queued = await until(visitor, "queued")
            tokens.append((queued["chat"], queued["token"]))
    async with running(tmp_path, database_url=url, seeded=False) as service:
        assert [chat.id for chat in service.live.view.waiting()] == [chat for chat, _ in tokens]
        visitor = await service.visitor()
        await send(visitor, {"type": "resume", "chat": tokens[1][0], "token": tokens[1][1], "after": 0})
        assert (await until(visitor, "position"))["position"] == 2


async def test_concurrent_changes_each_raise_the_configuration_version_on_postgresql(postgres: str) -> None:
    db = Database(new_database(postgres))
    await prepare(db)

    async def bump() -> None:
        async with db.transaction() as session:
            await service.bump_config_version(session)

    try:
        await asyncio.gather(*(bump() for _ in range(10)))
        async with db.transaction() as session:
            assert await service.config_version(session) == 10
    finally:
        await db.close()

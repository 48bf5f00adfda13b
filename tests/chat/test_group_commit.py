"""Starts, assignments and advisors' closes in batches: many at once cost one transaction, each
is answered only once stored, and positions stay exact."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from chat.live.commands import CloseChat, StartChat
from chat.wire.errors import ChatEnded, NotYours, Unavailable
from chat.wire.outgoing import Queued
from storage.tables import Chat, ChatStatistic
from tests.refusals import accept_inserts, refuse_inserts
from tests.service import Service, running, send, until


@contextmanager
def statements(service: Service, starting: str) -> Iterator[list[str]]:
    """The SQL statements the server sends to the database meanwhile that start so."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(starting):
            seen.append(statement)

    engine = service.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def starts(service: Service, count: int, *, language: str = "fi") -> list[StartChat]:
    return [StartChat(service.live.new_chat_id(), "work", language, f"192.0.2.{n}") for n in range(count)]


async def test_starts_sent_together_are_stored_in_one_statement_and_queued_exactly(service: Service) -> None:
    await service.advisor("anna")  # signed in, away: the chats wait
    commands = starts(service, 12) + starts(service, 8, language="sv")
    with statements(service, "INSERT INTO CHAT") as inserts:
        answers = await asyncio.gather(*(service.live.run(command) for command in commands))
    assert len(inserts) == 1
    assert all(isinstance(answer, Queued) and answer.token for answer in answers)
    # Anna speaks Finnish only: the Swedish chats queue among themselves.
    assert [answer.position for answer in answers] == list(range(1, 13)) + list(range(1, 9))  # type: ignore[union-attr]
    assert [chat.id for chat in service.live.view.waiting()] == [command.chat_id for command in commands]


async def test_a_batch_that_cannot_be_stored_queues_nothing_and_counts_nothing(service: Service) -> None:
    await service.advisor("anna")
    await refuse_inserts(service.db, "chat")
    same_address = [StartChat(service.live.new_chat_id(), "work", "fi", "192.0.2.1") for _ in range(3)]
    answers = await asyncio.gather(*(service.live.run(c) for c in same_address), return_exceptions=True)
    assert all(isinstance(answer, Unavailable) for answer in answers)
    assert service.live.view.waiting() == []
    await accept_inserts(service.db, "chat")
    # The refused starts took nothing of the address's allowance (NEUVO_WAITING_PER_ADDRESS 3).
    again = await asyncio.gather(*(service.live.run(StartChat(service.live.new_chat_id(), "work", "fi", "192.0.2.1"))
                                   for _ in range(3)))
    assert [answer.position for answer in again] == [1, 2, 3]  # type: ignore[union-attr]
    async with service.db.transaction() as session:
        assert len((await session.execute(select(Chat))).scalars().all()) == 3


async def test_chats_handed_out_together_are_assigned_in_one_statement(service: Service) -> None:
    anna, _ = await service.advisor("anna")  # away: the three chats wait for her
    visitors = [await service.visitor() for _ in range(3)]
    for ws in visitors:
        await send(ws, {"type": "start", "topic": "work", "language": "fi"})
        await until(ws, "queued")
    with statements(service, "UPDATE CHAT ") as updates:
        await send(anna, {"type": "status", "status": "available"})
        handed = [(await until(anna, "assigned"))["chat"]["id"] for _ in visitors]
        for ws in visitors:
            await until(ws, "assigned")
    assert len(updates) == 1
    assert len(set(handed)) == 3


@pytest.mark.parametrize("count", [1, 40])
async def test_every_start_of_a_burst_hears_its_own_queued(tmp_path: Path, count: int) -> None:
    async with running(tmp_path, waiting_per_address=0, chats_per_address=0) as service:
        await service.advisor("anna")
        sockets = [await service.visitor() for _ in range(count)]
        for ws in sockets:
            await send(ws, {"type": "start", "topic": "work", "language": "fi"})
        queued = [await until(ws, "queued") for ws in sockets]
        assert sorted(q["position"] for q in queued) == list(range(1, count + 1))
        by_chat = {q["chat"]: q["position"] for q in queued}
        assert [by_chat[chat.id] for chat in service.live.view.waiting()] == list(range(1, count + 1))


async def test_closes_sent_together_end_their_chats_in_one_transaction(service: Service) -> None:
    talks = [await service.chat("anna"), await service.chat("bertil", language="sv"),
             await service.chat("chloe", language="en")]
    await send(talks[0].visitor, {"type": "message", "id": "m1", "text": "Hei"})
    await until(talks[0].advisor, "message")
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(service.db.engine.sync_engine, "commit", count)
    try:
        with statements(service, "") as sent:
            await asyncio.gather(*(service.live.run(CloseChat(name, talk.chat, "answered"))
                                   for name, talk in zip(("anna", "bertil", "chloe"), talks, strict=True)))
    finally:
        event.remove(service.db.engine.sync_engine, "commit", count)
    assert len(commits) == 1
    # The chats' rows and their line counts are read once for the batch, not once a close, and
    # the chats are changed in one (executemany) update.
    kinds = [s.split()[0].upper() for s in sent]
    assert kinds.count("SELECT") == 2 and kinds.count("UPDATE") == 1
    for talk in talks:
        assert (await until(talk.visitor, "ended"))["by"] == "advisor"
    async with service.db.transaction() as session:
        ended = (await session.execute(select(Chat).where(Chat.status == "ended"))).scalars().all()
        assert sorted(chat.outcome or "" for chat in ended) == ["answered"] * 3
        records = {r.id: r for r in (await session.execute(select(ChatStatistic))).scalars().all()}
        lines = {chat.id: records[chat.statistic_id].message_count for chat in ended if chat.statistic_id}
    assert lines == {talks[0].chat: 1, talks[1].chat: 0, talks[2].chat: 0}


async def test_a_close_refused_in_a_batch_fails_alone(service: Service) -> None:
    anna, bertil = await service.chat("anna"), await service.chat("bertil", language="sv")
    answers = await asyncio.gather(
        service.live.run(CloseChat("anna", anna.chat, "answered")),
        service.live.run(CloseChat("anna", bertil.chat, "answered")),  # not hers
        service.live.run(CloseChat("anna", anna.chat, "answered")),  # the same chat again
        return_exceptions=True,
    )
    assert answers[0] is None
    assert isinstance(answers[1], NotYours) and isinstance(answers[2], ChatEnded)
    assert service.live.view.chat(bertil.chat) is not None  # Bertil's chat goes on

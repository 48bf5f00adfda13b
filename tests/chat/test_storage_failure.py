"""When storage refuses a write, the client hears `unavailable`, nothing is acked or delivered,
and the next line still gets the next seq: no gap, no loss."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from chat.live.commands import CloseChat, VisitorSays
from chat.wire.errors import ChatEnded
from storage.tables import Message
from tests.refusals import refuse_inserts
from tests.service import Service, send, until


async def test_a_refused_write_is_unavailable_and_the_next_one_takes_the_next_seq(service: Service) -> None:
    talk = await service.chat()
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "first"})
    assert (await until(talk.visitor, "ack"))["seq"] == 1
    # A real refusal by the real database: a trigger that aborts one particular insert.
    await refuse_inserts(service.db, "message", text_is="doomed")

    await send(talk.visitor, {"type": "message", "id": "v2", "text": "doomed"})
    error = await until(talk.visitor, "error")
    assert error["code"] == "unavailable"

    await send(talk.visitor, {"type": "message", "id": "v3", "text": "second"})
    assert await until(talk.visitor, "ack") == {"type": "ack", "id": "v3", "seq": 2}
    assert (await until(talk.advisor, "message"))["text"] == "first"
    assert (await until(talk.advisor, "message"))["text"] == "second"
    async with service.db.transaction() as session:
        stored = (await session.execute(select(Message.seq, Message.text).where(Message.chat_id == talk.chat))).all()
    assert [tuple(row) for row in stored] == [(1, "first"), (2, "second")]


async def test_a_line_that_was_still_queued_when_the_chat_ended_is_refused_not_stored(service: Service) -> None:
    talk = await service.chat()
    # Both commands at once: the close marks the chat ended before its transaction, so the
    # line, queued behind it in the writer, is refused.
    ending = asyncio.create_task(service.live.run(CloseChat("anna", talk.chat, "answered")))
    late = asyncio.create_task(service.live.run(VisitorSays(talk.chat, "late", "too late")))
    await ending
    with pytest.raises(ChatEnded):
        await late
    async with service.db.transaction() as session:
        stored = (await session.execute(select(Message).where(Message.chat_id == talk.chat))).scalars().all()
    assert stored == []

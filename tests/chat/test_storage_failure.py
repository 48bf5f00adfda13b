"""When storage refuses a write, the client hears `unavailable`, nothing is acked or delivered,
and the next line still gets the next seq: no gap, no loss."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from sqlmodel import select

from chat.live.commands import AdvisorSays, CloseChat, VisitorSays
from chat.wire.errors import ChatEnded, Unavailable
from storage.tables import DutyPeriod, Message
from tests.refusals import accept_inserts, refuse_inserts
from tests.service import FRAME_TIMEOUT, Service, receive, running, send, until
from tests.stored import stored_lines


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


async def test_a_refused_line_beside_a_stored_one_of_the_same_chat_fails_alone_and_the_writer_goes_on(
    service: Service,
) -> None:
    talk = await service.chat()
    await refuse_inserts(service.db, "message", text_is="doomed")
    # Both in one batch: it fails, each line is tried alone, the first is stored, the second not.
    stored = asyncio.create_task(service.live.run(VisitorSays(talk.chat, "v1", "fine")))
    refused = asyncio.create_task(service.live.run(AdvisorSays("anna", talk.chat, "a1", "doomed")))
    assert (await stored).seq == 1
    with pytest.raises(Unavailable):
        await refused
    await send(talk.visitor, {"type": "message", "id": "v2", "text": "still heard"})
    assert await until(talk.visitor, "ack") == {"type": "ack", "id": "v2", "seq": 2}
    assert await stored_lines(service.db, talk.chat) == [(1, "v1", "fine"), (2, "v2", "still heard")]


async def test_an_advisor_whose_sign_in_cannot_be_stored_is_told_to_reconnect_and_is_not_counted(
    service: Service,
) -> None:
    await refuse_inserts(service.db, "duty_period")  # the sign-in period of the duty log
    ws = await service.connect_advisor(await service.session_cookie("anna"))
    assert (await receive(ws))["code"] == "unavailable"
    await ws.wait_closed()
    assert ws.close_code == 1013  # try again later, not 1011
    # Not signed in after all: the service does not take chats on their account.
    assert service.live.view.advisor("anna") is None
    async with await service.http() as client:
        assert (await client.get("/api/service")).json()["accepting"] is False
    await accept_inserts(service.db, "duty_period")
    _, welcome = await service.advisor("anna")
    assert welcome["status"] == "away"
    async with service.db.transaction() as session:
        periods = (await session.execute(select(DutyPeriod.kind))).scalars().all()
    assert periods == ["signed_in"]


async def test_a_tick_that_storage_refuses_is_logged_by_its_type_alone_and_a_later_one_routes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    async with running(tmp_path, tick_s=0.05) as service:
        await service.advisor("anna")  # signed in but away: the chat waits
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
        queued = await until(visitor, "queued")
        await refuse_inserts(service.db, "chat_handler")  # so no assignment can be stored
        anna = await service.available("anna")
        async with asyncio.timeout(FRAME_TIMEOUT):
            while sum("storage failed" in r.getMessage() for r in caplog.records) < 3:  # noqa: ASYNC110
                await asyncio.sleep(0.01)  # the ticks of another task: each logs, none announces
        assert [r.getMessage() for r in caplog.records if r.exc_info] == []
        await accept_inserts(service.db, "chat_handler")
        assert (await until(anna, "assigned"))["chat"]["id"] == queued["chat"]

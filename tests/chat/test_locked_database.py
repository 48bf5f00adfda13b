"""Another process holds SQLite's write lock past the server's busy timeout (a CLI command, a
backup): what needs a write is refused as `unavailable` within about that timeout, the socket
stays open, and once the lock is gone the client's retry is stored once."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.faults import WriteLock, sqlite_file
from tests.service import PASSWORD, Service, receive, running, send, until, until_answer
from tests.stored import stored_lines

pytestmark = pytest.mark.skipif(os.environ.get("NEUVO_TEST_DATABASE") == "postgresql",
                                reason="SQLite's own lock; PostgreSQL has no file lock")
BUSY_S = 1.0


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    async with running(tmp_path, sqlite_busy_timeout_s=BUSY_S) as running_service:
        yield running_service


def write_lock(service: Service) -> WriteLock:
    return WriteLock(sqlite_file(service.settings.database_url))


async def test_a_line_sent_while_the_database_is_locked_is_unavailable_and_its_retry_is_stored_once(
    service: Service,
) -> None:
    talk = await service.chat()
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "before"})
    assert (await until_answer(talk.visitor))["seq"] == 1
    assert (await receive(talk.advisor))["text"] == "before"
    async with write_lock(service):
        await send(talk.visitor, {"type": "message", "id": "v2", "text": "while locked"})
        assert (await until_answer(talk.visitor))["code"] == "unavailable"
        await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a1", "text": "also locked"})
        # Its own refusal is the next frame the advisor gets: the visitor's line was not delivered.
        assert (await receive(talk.advisor))["code"] == "unavailable"
    await send(talk.visitor, {"type": "message", "id": "v2", "text": "while locked"})
    assert await until_answer(talk.visitor) == {"type": "ack", "id": "v2", "seq": 2}
    assert (await receive(talk.advisor))["seq"] == 2
    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a1", "text": "also locked"})
    assert await receive(talk.advisor) == {"type": "ack", "id": "a1", "seq": 3}
    assert (await until(talk.visitor, "message", seq=3))["text"] == "also locked"
    assert await stored_lines(service.db, talk.chat) == [(1, "v1", "before"), (2, "v2", "while locked"),
                                                        (3, "a1", "also locked")]


async def test_lines_sent_at_once_while_locked_are_all_refused_within_about_the_busy_timeout(
    service: Service,
) -> None:
    """One batch, one wait: a batch that failed because the database cannot write is not tried
    again line by line, each line waiting out the busy timeout once more."""
    advisors = [await service.available(username) for username in ("anna", "bertil")]
    visitors, chat_ids = [], []
    for _ in range(6):  # capacity 3 each
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
        chat_ids.append((await until(visitor, "queued"))["chat"])
        await until(visitor, "assigned")
        visitors.append(visitor)
    async with write_lock(service):
        started = time.monotonic()
        for n, visitor in enumerate(visitors):
            await send(visitor, {"type": "message", "id": f"v{n}", "text": f"line {n}"})
        answers = await asyncio.gather(*(until_answer(ws) for ws in visitors))
        waited = time.monotonic() - started
    assert [answer["code"] for answer in answers] == ["unavailable"] * 6
    # Two waits: the batch being written when the others arrived, then theirs (each line alone
    # would wait six).
    assert waited < 4 * BUSY_S, waited
    for chat_id in chat_ids:
        assert await stored_lines(service.db, chat_id) == []
    assert advisors


async def test_a_start_while_the_database_is_locked_is_unavailable_and_the_visitor_may_start_again(
    service: Service,
) -> None:
    anna = await service.available("anna")
    visitor = await service.visitor()
    async with write_lock(service):
        await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
        assert (await until_answer(visitor, "queued"))["code"] == "unavailable"
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    queued = await until(visitor, "queued")
    assert (await until(anna, "assigned"))["chat"]["id"] == queued["chat"]
    assert [chat.id for chat in service.live.view.chats()] == [queued["chat"]]


async def test_an_advisor_who_connects_while_locked_is_told_to_try_again_and_then_gets_in(
    service: Service,
) -> None:
    cookie = await service.session_cookie("anna")
    async with write_lock(service):
        ws = await service.connect_advisor(cookie)
        assert (await until_answer(ws, "welcome"))["code"] == "unavailable"
        await ws.wait_closed()
        assert ws.close_code == 1013
    _, welcome = await service.advisor("anna", cookie=cookie)
    assert welcome["status"] == "away"


async def test_a_sign_in_while_the_database_is_locked_is_503_unavailable_with_retry_after(service: Service) -> None:
    async with write_lock(service), await service.http() as client:
        response = await client.post("/api/session", json={"username": "anna", "password": PASSWORD})
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response.headers["retry-after"] == "5"
    assert (await service.session_cookie("anna")).startswith("neuvo_session=")


async def test_requests_queued_behind_the_lock_are_each_refused_within_about_twice_the_busy_timeout(
    service: Service,
) -> None:
    """Six tabs resume one chat at once while locked: a request waits for the file at most once,
    and for those ahead of it in the process at most as long again, not once per request ahead."""
    talk = await service.chat()
    tabs = [await service.visitor() for _ in range(6)]
    async with write_lock(service):
        started = time.monotonic()
        for tab in tabs:
            await send(tab, {"type": "resume", "chat": talk.chat, "token": talk.token, "after": 0})
        answers = await asyncio.gather(*(until_answer(tab, "assigned") for tab in tabs))
        waited = time.monotonic() - started
    assert [answer["code"] for answer in answers] == ["unavailable"] * 6
    assert waited < 3 * BUSY_S, waited

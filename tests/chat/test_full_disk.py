"""The disk under SQLite fills up (SQLITE_FULL, "database or disk is full"): a line that cannot be
stored is refused as `unavailable`, never acked nor delivered; when there is room again, the
client's retry with the same id is stored once, seqs stay gap-free and nothing acked is lost.

Each test runs twice: on a real full filesystem (a tmpfs of its own, shrunk to what it holds)
where this machine lets a test mount one, and on SQLite's page limit everywhere (tests/faults.py).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection

from tests.faults import FullDisk, FullFilesystem, PageLimit, small_filesystem
from tests.service import Service, receive, running, send, until, until_answer
from tests.stored import stored_lines

pytestmark = pytest.mark.skipif(os.environ.get("NEUVO_TEST_DATABASE") == "postgresql",
                                reason="SQLite's own file on a disk of the test's")
# The page limit lets writes in while the file's last pages have room: long lines fill them soon.
MOST_LINES_BEFORE_FULL = 20
PADDING = "x" * 1500
MOST_STARTS_BEFORE_FULL = 150
LIMITS_OFF = {"chats_per_address": 0, "waiting_per_address": 0}  # starts until one is refused, from one address


@pytest.fixture(params=["full filesystem", "page limit"])
async def full(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Service, FullDisk]]:
    if request.param == "page limit":
        async with running(tmp_path, **LIMITS_OFF) as service:
            yield service, PageLimit(service.db)
        return
    with small_filesystem() as filesystem:
        if filesystem is None:
            pytest.skip("this machine does not let a test mount a tmpfs; the page limit stands in")
        url = f"sqlite:///{filesystem.folder / 'neuvo.db'}"
        async with running(tmp_path, database_url=url, **LIMITS_OFF) as service:
            yield service, FullFilesystem(filesystem, service.db)


async def _send_until_refused(ws: ClientConnection, acked: list[tuple[str, str]]) -> tuple[str, str]:
    """Lines until one is refused (its id and text); those acked before it go into `acked`."""
    for n in range(MOST_LINES_BEFORE_FULL):
        line = (f"v{len(acked) + 1}", f"line {n} {PADDING}")
        await send(ws, {"type": "message", "id": line[0], "text": line[1]})
        answer = await until_answer(ws)
        if answer["type"] == "error":
            assert answer["code"] == "unavailable", answer
            return line
        assert answer == {"type": "ack", "id": line[0], "seq": len(acked) + 1}
        acked.append(line)
    raise AssertionError(f"{MOST_LINES_BEFORE_FULL} lines stored on a full disk")


async def test_a_line_sent_while_the_disk_is_full_is_unavailable_and_its_retry_is_stored_once(
    full: tuple[Service, FullDisk],
) -> None:
    service, disk = full
    talk = await service.chat()
    acked = [("v1", "before")]
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "before"})
    assert (await until_answer(talk.visitor))["seq"] == 1
    await disk.fill()
    refused = await _send_until_refused(talk.visitor, acked)
    for seq, (_, text) in enumerate(acked, start=1):
        assert await _line(talk.advisor) == (seq, text)
    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a1", "text": f"full here too {PADDING}"})
    # The advisor's next frame is its own refusal: the visitor's refused line never reached them.
    assert (await receive(talk.advisor))["code"] == "unavailable"
    # Reading needs no room: another tab resumes and gets every line acked so far, and no other.
    tab = await service.visitor()
    await send(tab, {"type": "resume", "chat": talk.chat, "token": talk.token, "after": 0})
    assert [await _line(tab) for _ in acked] == [(seq, text) for seq, (_, text) in enumerate(acked, start=1)]
    assert (await receive(tab))["type"] == "assigned"

    await disk.free()
    await send(talk.visitor, {"type": "message", "id": refused[0], "text": refused[1]})
    assert await until_answer(talk.visitor) == {"type": "ack", "id": refused[0], "seq": len(acked) + 1}
    assert await _line(talk.advisor) == (len(acked) + 1, refused[1])
    await send(talk.visitor, {"type": "message", "id": refused[0], "text": refused[1]})  # the retry, again
    assert await until_answer(talk.visitor) == {"type": "ack", "id": refused[0], "seq": len(acked) + 1}
    await send(talk.advisor, {"type": "message", "chat": talk.chat, "id": "a1", "text": f"full here too {PADDING}"})
    assert await receive(talk.advisor) == {"type": "ack", "id": "a1", "seq": len(acked) + 2}
    lines = [*acked, refused, ("a1", f"full here too {PADDING}")]
    assert await stored_lines(service.db, talk.chat) == [(seq, i, t) for seq, (i, t) in enumerate(lines, start=1)]


async def test_a_start_while_the_disk_is_full_is_unavailable_and_the_visitor_may_start_again(
    full: tuple[Service, FullDisk],
) -> None:
    service, disk = full
    await service.advisor("anna")  # signed in and on shift, away: chats are taken and wait
    await disk.fill()
    for _ in range(MOST_STARTS_BEFORE_FULL):
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
        answer = await until_answer(visitor, "queued")
        if answer["type"] == "error":
            break
    assert answer["code"] == "unavailable"
    await disk.free()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    queued = await until(visitor, "queued")
    assert service.live.view.chat(queued["chat"]) is not None


async def _line(ws: ClientConnection) -> tuple[int, str]:
    frame = await receive(ws)
    assert frame["type"] == "message", frame
    return frame["seq"], frame["text"]

"""New chats per address (NEUVO_CHATS_PER_ADDRESS): counted and checked in one step by the live
service, so starts sent all at once cannot slip past the limit together."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import select
from websockets.asyncio.client import ClientConnection

from storage.tables import RefusedAttempt
from tests.service import receive, running, send


async def test_starts_sent_at_once_from_one_address_stop_at_the_limit(tmp_path: Path) -> None:
    async with running(tmp_path, chats_per_address=3) as service:
        await service.advisor("anna")  # signed in, away: chats wait in the queue
        sockets = [await service.visitor() for _ in range(5)]
        for ws in sockets:
            await send(ws, {"type": "start", "topic": "work", "language": "fi"})
        answers = await asyncio.gather(*(_first_answer(ws) for ws in sockets))
    assert sorted(answers) == ["queued"] * 3 + ["rate_limited"] * 2


async def test_the_limit_admits_exactly_that_many_then_refuses_the_next(tmp_path: Path) -> None:
    async with running(tmp_path, chats_per_address=2) as service:
        await service.advisor("anna")
        answers = []
        for _ in range(3):
            ws = await service.visitor()
            await send(ws, {"type": "start", "topic": "work", "language": "fi"})
            answers.append(await _first_answer(ws))
        assert answers == ["queued", "queued", "rate_limited"]
        assert len(service.live.view.waiting()) == 2


async def _first_answer(ws: ClientConnection) -> str:
    """`queued`, or the error code the start got (positions and the like skipped)."""
    while True:
        frame = await receive(ws)
        if frame["type"] in ("queued", "error"):
            return "queued" if frame["type"] == "queued" else str(frame["code"])


async def test_one_address_may_have_only_so_many_chats_waiting_at_once(tmp_path: Path) -> None:
    async with running(tmp_path, waiting_per_address=2) as service:
        await service.advisor("anna")  # signed in, away: chats wait
        answers = []
        for _ in range(3):
            ws = await service.visitor()
            await send(ws, {"type": "start", "topic": "work", "language": "fi"})
            answers.append(await _first_answer(ws))
        assert answers == ["queued", "queued", "rate_limited"]
        first = service.sockets[1]
        await send(first, {"type": "end"})  # one of them gives up: room for another
        again = await service.visitor()
        await send(again, {"type": "start", "topic": "work", "language": "fi"})
        assert await _first_answer(again) == "queued"


async def test_refused_starts_count_against_the_address_too(tmp_path: Path) -> None:
    async with running(tmp_path, chats_per_address=2) as service:  # nobody signed in: unstaffed
        answers = []
        for _ in range(3):
            ws = await service.visitor()
            await send(ws, {"type": "start", "topic": "work", "language": "fi"})
            frame = await receive(ws)
            answers.append(frame["type"] if frame["type"] == "closed" else frame["code"])
        assert answers == ["closed", "closed", "rate_limited"]
        async with service.db.transaction() as session:
            refused = (await session.execute(select(RefusedAttempt))).scalars().all()
        assert len(refused) == 2  # the statistics hold the two refusals, not the flood

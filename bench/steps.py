"""Steps that every scenario's client processes take: open the parties, start chats, wait for
the server's answers, report what the book holds."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx
from websockets.exceptions import WebSocketException

from bench.parties import Advisor, Visitor
from bench.worker import Worker

SIGN_INS_AT_ONCE = 8  # per client process: each sign-in verifies an Argon2 hash on the server
CONNECT_TRIES = 3


async def gathered(jobs: Iterable[Callable[[], Awaitable[None]]], limit: int) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        async with gate:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


async def until_all(worker: Worker, events: list[asyncio.Event], limit_s: float) -> int:
    """Wait until every event is set or the limit passes, reporting progress; how many were set."""
    deadline = time.monotonic() + limit_s
    while (done := sum(e.is_set() for e in events)) < len(events) and time.monotonic() < deadline:
        worker.progress(done)
        waiting = [asyncio.create_task(e.wait()) for e in events if not e.is_set()]
        await asyncio.wait(waiting, timeout=min(0.25, max(0.0, deadline - time.monotonic())),
                           return_when=asyncio.ALL_COMPLETED)
        for task in waiting:
            task.cancel()
    worker.progress(done)
    return done


async def open_advisors(worker: Worker, *, names: list[str], ports: list[int], available: bool = True) -> None:
    """Sign in this process's share of the advisors, each on the port of its index, and make them
    available (or leave them away)."""
    mine = worker.share(list(enumerate(names)))
    worker.advisors = [Advisor(name, ports[n % len(ports)], worker.book) for n, name in mine]
    await gathered((functools.partial(_signed_in, a, available) for a in worker.advisors), SIGN_INS_AT_ONCE)
    if await until_all(worker, [a.available for a in worker.advisors], 60) < len(worker.advisors):
        raise RuntimeError("an advisor got no `status` answer within 60 s")


async def _signed_in(advisor: Advisor, available: bool) -> None:
    """Connect, trying again (up to CONNECT_TRIES) as the console would when the server dropped
    the socket before its `welcome`; each retry counts as an error in the figures."""
    for attempt in range(1, CONNECT_TRIES + 1):
        try:
            await advisor.connect(available=available)
            return
        except (OSError, WebSocketException, httpx.HTTPError) as error:
            advisor.book.errors[f"advisor connect failed ({type(error).__name__})"] += 1
            if attempt == CONNECT_TRIES:
                raise


def visitors_for(worker: Worker, *, first: int, count: int, ports: list[int]) -> list[Visitor]:
    """This process's share of visitors first .. first + count - 1, each on the port of its index."""
    return [Visitor(n, ports[n % len(ports)], worker.book) for n in worker.share(range(first, first + count))]


async def open_visitors(worker: Worker, *, count: int, ports: list[int], at_once: int) -> None:
    worker.visitors = visitors_for(worker, first=0, count=count, ports=ports)
    await gathered((v.connect for v in worker.visitors), at_once)


async def start_all(worker: Worker, *, at: float, limit_s: float) -> int:
    """Every visitor sends `start` at the moment `at` (all processes share the clock); returns
    how many were queued within the limit."""
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    await asyncio.gather(*(v.start() for v in worker.visitors))
    return await until_all(worker, [v.queued for v in worker.visitors], limit_s)


async def wait_assigned(worker: Worker, *, limit_s: float) -> int:
    return await until_all(worker, [v.assigned for v in worker.visitors], limit_s)


async def chats_held(worker: Worker) -> int:
    return sum(len(a.chats) for a in worker.advisors)


async def ready(worker: Worker) -> int:
    """Nothing: answering at all shows the process is up (spawned processes take seconds to import)."""
    return worker.index


async def reset(worker: Worker) -> None:
    await worker.reset()


async def export(worker: Worker) -> dict[str, Any]:
    return worker.book.export()


async def arrivals(worker: Worker) -> list[tuple[float, float | None, float | None]]:
    """(start sent, queued, assigned) of each visitor of this process."""
    return [(v.started_at, v.queued_at, v.assigned_at) for v in worker.visitors]

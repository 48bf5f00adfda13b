"""(a) Waiting visitors held by one process: how long it takes to queue them all, and the memory
each socket costs. One advisor is signed in but away, so the service accepts chats and every
chat waits."""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any

from websockets.exceptions import WebSocketException

from bench import steps
from bench.book import problems
from bench.harness import Harness
from bench.parties import Visitor
from bench.stats import spread
from bench.targets import Target
from bench.worker import Worker

FIGURES = ("queued", "not_queued", "all_queued_s", "start_to_queued", "rss_per_socket_kib", "server_cpu_s",
           "errors", "server_errors")


async def arrive_and_wait(worker: Worker, *, count: int, ports: list[int], at_once: int, limit_s: float) -> int:
    """Open, start and wait for `queued`, at most at_once visitors of this process at a time."""
    worker.visitors = steps.visitors_for(worker, first=0, count=count, ports=ports)
    deadline = time.monotonic() + limit_s
    queued = 0

    async def arrive(visitor: Visitor) -> None:
        nonlocal queued
        try:
            async with asyncio.timeout_at(deadline):  # the loop's clock is time.monotonic()
                await visitor.connect()
                await visitor.start()
                await visitor.queued.wait()
        except (TimeoutError, OSError, WebSocketException):
            return  # counted as not queued
        if visitor.queued_at is not None:
            queued += 1
            worker.progress(queued)

    await steps.gathered((functools.partial(arrive, v) for v in worker.visitors), at_once)
    return queued


async def measure(harness: Harness, target: Target) -> dict[str, Any]:
    plan, pool = harness.plan, harness.pool
    await pool.each(steps.open_advisors, names=target.usernames, ports=target.ports, available=False)
    rss_before = await harness.settled_rss(target)
    cpu_before = target.cpu_s()
    per_process = max(1, plan.waiting_at_once // plan.clients)
    queued = sum(await harness.step("queueing", target, pool.each(
        arrive_and_wait, count=plan.waiting, ports=target.ports, at_once=per_process, limit_s=plan.waiting_limit_s),
        plan.waiting))
    cpu = target.cpu_s() - cpu_before
    rss_after = await harness.settled_rss(target)
    times = [t for part in await pool.each(steps.arrivals) for t in part]
    books = await pool.each(steps.export)
    started = [s for s, _, _ in times if s]
    done = [q for _, q, _ in times if q is not None]
    figures = {
        "queued": queued, "not_queued": plan.waiting - queued,
        "all_queued_s": max(done) - min(started) if done else None,
        "start_to_queued": spread(q - s for s, q, _ in times if q is not None),
        "rss_per_socket_kib": (rss_after - rss_before) / max(1, queued),
        "server_cpu_s": cpu,
        "errors": problems(books),
    }
    figures["server_errors"] = len(await harness.hang_up(target))
    return figures


async def run(harness: Harness) -> dict[str, Any]:
    results = {}
    async with harness.relay(advisors=1, capacity=1) as relay:
        results["relay"] = await measure(harness, relay)
    async with harness.neuvo(advisors=1, capacity=1) as neuvo:
        results["neuvo"] = await measure(harness, neuvo)
    return results

"""(b) Active chats: every chat assigned, each party writing every 2 s (a `typing` frame, then the
line), some visitors dropping their socket and resuming, for a timed window after a warm-up.

Delivery is timed from the sender's send to the other party's receipt of the `message` frame,
both ways; the server stores a line before it delivers it, so the durable write is inside. The
sender's `ack` (sent once the line is stored) is timed too. Every line sent must reach the other
party exactly once and be acked once; lines sent during the warm-up count for loss, not for time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.exceptions import ConnectionClosed

from bench import steps
from bench.book import problems
from bench.harness import Harness, Window
from bench.plan import INTERVAL_S
from bench.stats import spread
from bench.targets import Backend, Target
from bench.worker import Worker

JITTER = 0.2
DRAIN_S = 15.0  # after the window, how long the lines still in flight may take
FIGURES = ("to_advisor", "to_visitor", "ack_visitor", "ack_advisor", "delivered_per_s", "server_cpu_pct",
           "client_cpu_pct", "rss_per_socket_kib", "rss_per_socket_open_kib", "sent", "lost", "duplicated",
           "recovered", "resent",
           "unacked", "acked_twice", "out_of_order", "reconnects", "replayed", "typing_sent", "typing_received",
           "errors", "server_errors")


async def _pace(say: Callable[[bool], Awaitable[None]], first: float, window: tuple[float, float]) -> None:
    """say(timed) every INTERVAL_S ± JITTER from the moment `first` until the window ends."""
    await asyncio.sleep(max(0.0, first - time.monotonic()))
    while (now := time.monotonic()) < window[1]:
        try:
            await say(window[0] <= now)
        except ConnectionClosed:
            return  # the reader counted it; a party whose socket the server closed stops writing
        gap = INTERVAL_S * random.uniform(1 - JITTER, 1 + JITTER)
        await asyncio.sleep(min(gap, max(0.0, window[1] - time.monotonic())))


async def _reconnect(visitor: Any, at: float) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    await visitor.reconnect()


async def converse(worker: Worker, *, start: float, window: tuple[float, float],
                   reconnects: dict[int, float]) -> None:
    """Write from start until the window ends, then wait for this process's lines to be acked."""
    random.seed(worker.index)
    tasks = [_pace(v.say, start + random.uniform(0, INTERVAL_S), window) for v in worker.visitors]
    for advisor in worker.advisors:
        for chat in advisor.chats:
            tasks.append(_pace(functools.partial(advisor.say, chat), start + random.uniform(0, INTERVAL_S), window))
    tasks += [_reconnect(v, reconnects[v.n]) for v in worker.visitors if v.n in reconnects]
    writing = asyncio.gather(*tasks)
    while not writing.done():
        worker.progress(len(worker.book.sent))
        await asyncio.wait([writing], timeout=0.25)
    await writing
    with contextlib.suppress(TimeoutError):  # what is still unacked then is counted, not waited for
        await asyncio.wait_for(worker.book.all_acked.wait(), DRAIN_S)


def _merge(books: list[dict[str, Any]]) -> dict[str, Any]:
    received: Counter[str] = Counter()
    acked: Counter[str] = Counter()
    resent: Counter[str] = Counter()
    for book in books:
        received.update(book["received"])
        acked.update(book["acked"])
        resent.update(book["resent"])
    sent = [i for book in books for i in book["sent"]]
    samples = {key: [s for book in books for s in book[key]]
               for key in ("to_advisor", "to_visitor", "ack_visitor", "ack_advisor")}
    return {
        "sent": len(sent), "timed": sum(len(b["measured"]) for b in books),
        "lost": sum(1 for i in sent if received[i] == 0),
        "duplicated": sum(1 for i in sent if received[i] > 1),
        "unacked": sum(1 for i in sent if acked[i] == 0),
        "acked_twice": sum(1 for i in sent if acked[i] > 1 + resent[i]),  # a line sent again is acked again
        "resent": sum(resent.values()),
        "unknown": len(set(received) - set(sent)),
        "samples": samples,
        **{key: sum(b[key] for b in books)
           for key in ("replayed", "recovered", "typing_sent", "typing_received", "out_of_order")},
        "errors": problems(books),
        "error_kinds": dict(sum((Counter(b["errors"]) + Counter(b["closed"]) for b in books), Counter())),
    }


async def _books_settled(harness: Harness) -> dict[str, Any]:
    """The merged books once every line sent has arrived, or after DRAIN_S (polled: a line's
    sender and receiver may be in different client processes)."""
    deadline = time.monotonic() + DRAIN_S
    while True:
        merged = _merge(await harness.pool.each(steps.export))
        if merged["lost"] == 0 or time.monotonic() > deadline:
            return merged
        await asyncio.sleep(0.5)


async def _open_chats(harness: Harness, target: Target, chats: int) -> int:
    """Every chat started and assigned; the target's memory once the sockets were open, before."""
    pool, limit = harness.pool, harness.plan.limit_s
    await harness.step("advisors signing in", target, pool.each(
        steps.open_advisors, names=target.usernames, ports=target.ports), len(target.usernames))
    await harness.step("visitors connecting", target, pool.each(
        steps.open_visitors, count=chats, ports=target.ports, at_once=50), chats)
    rss_open = await harness.settled_rss(target)
    await harness.step("chats starting", target, pool.each(
        steps.start_all, at=time.monotonic() + 0.2, limit_s=limit), chats)
    assigned = sum(await harness.step("chats assigned", target, pool.each(steps.wait_assigned, limit_s=limit), chats))
    deadline = time.monotonic() + limit
    # An advisor's `assigned` may come just after its visitor's, in another client process: polled.
    while (held := sum(await pool.each(steps.chats_held))) < chats and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    if assigned < chats or held < chats:
        raise RuntimeError(f"{target.label}: {assigned} of {chats} chats assigned, advisors hold {held}")
    return rss_open


async def measure(harness: Harness, target: Target, chats: int) -> dict[str, Any]:
    plan = harness.plan
    rss_idle = await harness.settled_rss(target)
    rss_open = await _open_chats(harness, target, chats)
    sockets = chats + len(target.usernames)
    rss_active = await harness.settled_rss(target)
    start = time.monotonic() + 0.5
    window = (start + plan.warmup, start + plan.warmup + plan.seconds)
    rng = random.Random(chats)
    chosen = rng.sample(range(chats), min(chats, math.ceil(plan.reconnects * chats)))
    reconnects = {n: rng.uniform(window[0], window[0] + 0.7 * plan.seconds) for n in chosen}
    readings = asyncio.create_task(Window(target, harness.pool).measure(*window))
    await harness.step(f"{chats} chats writing", target, harness.pool.each(
        converse, start=start, window=window, reconnects=reconnects))
    cpu = await readings
    merged = await _books_settled(harness)
    samples = merged.pop("samples")
    timed = len(samples["to_advisor"]) + len(samples["to_visitor"])
    figures = {
        **{key: spread(samples[key]) for key in ("to_advisor", "to_visitor", "ack_visitor", "ack_advisor")},
        "delivered_per_s": timed / cpu["elapsed_s"], **cpu,
        "rss_per_socket_kib": (rss_active - rss_idle) / sockets,
        "rss_per_socket_open_kib": (rss_open - rss_idle) / sockets, "reconnects": len(reconnects), **merged,
    }
    figures["server_errors"] = len(await harness.hang_up(target))
    return figures


async def run_at(harness: Harness, chats: int, backend: Backend | None = None,
                 with_relay: bool = True) -> dict[str, Any]:
    advisors = math.ceil(chats / harness.plan.capacity)
    result: dict[str, Any] = {"chats": chats}
    if with_relay:
        async with harness.relay(advisors=advisors, capacity=harness.plan.capacity) as relay:
            result["relay"] = await measure(harness, relay, chats)
    async with harness.neuvo(advisors=advisors, capacity=harness.plan.capacity, backend=backend) as neuvo:
        result["neuvo"] = await measure(harness, neuvo, chats)
    return result


async def run(harness: Harness) -> list[dict[str, Any]]:
    return [{"chats": chats, **await harness.attempt(f"{chats} chats", run_at(harness, chats))}
            for chats in harness.plan.chats]

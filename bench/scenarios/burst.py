"""(c) The campaign burst, in two parts.

Burst: visitors arrive evenly within burst_s (each opens its socket and starts at its moment)
while burst_advisors advisors of burst_capacity are available; nobody closes a chat during the
arrivals, so the first advisors × capacity visitors find room and the rest wait. Timed:
start → queued for all, start → assigned for those who found room. Then the queue settles and
every waiting visitor's last announced position is checked: together they must be exactly
1, 2, … W, and no visitor's position may ever have risen (one language, one topic: one queue).
Then each advisor closes `frees` chats one after another while the queue still waits: timed from
the advisor's `ended` (it is free) to its next `assigned`, and from its `close` sent. The
positions are checked again once the queue has settled.

At once: at_once visitors, connected beforehand, all send `start` at one moment, with room for
every one of them: start → queued, start → assigned, and how long until the last was assigned.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

from bench import steps
from bench.book import problems
from bench.harness import Harness
from bench.parties import Visitor
from bench.stats import spread
from bench.targets import Target
from bench.worker import Worker

FIGURES = ("start_to_queued", "all_queued_s", "start_to_assigned_with_room", "positions_exact", "positions_checked",
           "position_errors", "position_rises", "ended_to_assigned", "close_to_assigned", "not_queued", "errors",
           "server_errors")
AT_ONCE_FIGURES = ("start_to_queued", "start_to_assigned", "all_assigned_s", "assigned_per_s", "not_assigned",
                   "errors", "server_errors")


async def arrive(worker: Worker, *, count: int, ports: list[int], first_at: float, spacing_s: float,
                 limit_s: float) -> int:
    """Visitor n opens its socket and starts at first_at + n × spacing_s; how many were queued."""
    worker.visitors = steps.visitors_for(worker, first=0, count=count, ports=ports)

    async def one(visitor: Visitor) -> None:
        await asyncio.sleep(max(0.0, first_at + visitor.n * spacing_s - time.monotonic()))
        await visitor.connect()
        await visitor.start()

    await asyncio.gather(*(one(v) for v in worker.visitors))
    return await steps.until_all(worker, [v.queued for v in worker.visitors], limit_s)


async def quiet_since(worker: Worker) -> float:
    return max((v.last_frame_at for v in worker.visitors), default=0.0)


async def positions(worker: Worker) -> list[tuple[int, int]]:
    """(last announced position, rises) of each visitor of this process still waiting."""
    return [(v.positions[-1], v.position_rises) for v in worker.visitors
            if v.assigned_at is None and v.positions]


async def free_chats(worker: Worker, *, frees: int, limit_s: float) -> list[tuple[float, float, float]]:
    """Each advisor closes a chat and waits for the next, `frees` times; (close sent, ended, assigned)."""
    async def advisor_frees(advisor: Any) -> list[tuple[float, float, float]]:
        done = []
        for _ in range(frees):
            if advisor.chats:
                done.append(await asyncio.wait_for(advisor.free_one(), limit_s))
                worker.progress(len(done))
        return done

    return [t for part in await asyncio.gather(*(advisor_frees(a) for a in worker.advisors)) for t in part]


async def _settle(harness: Harness, limit_s: float) -> None:
    """Until no visitor got a frame for settle_s: silence announces itself by nothing, so polled."""
    deadline, quiet = time.monotonic() + limit_s, harness.plan.settle_s
    while time.monotonic() - max(await harness.pool.each(quiet_since)) < quiet and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)


async def _check_positions(harness: Harness) -> dict[str, Any]:
    await _settle(harness, harness.plan.limit_s)
    found = [p for part in await harness.pool.each(positions) for p in part]
    last = sorted(p for p, _ in found)
    return {"checked": len(found), "errors": sum(1 for n, p in enumerate(last, 1) if p != n),
            "rises": sum(r for _, r in found)}


async def measure_burst(harness: Harness, target: Target, *, with_positions: bool) -> dict[str, Any]:
    plan, pool = harness.plan, harness.pool
    await harness.step("advisors signing in", target, pool.each(
        steps.open_advisors, names=target.usernames, ports=target.ports), len(target.usernames))
    queued = sum(await harness.step(f"{plan.burst} arriving in {plan.burst_s:g} s", target, pool.each(
        arrive, count=plan.burst, ports=target.ports, first_at=time.monotonic() + 0.5,
        spacing_s=plan.burst_s / plan.burst, limit_s=plan.limit_s), plan.burst))
    room = [t for part in await pool.each(steps.arrivals) for t in part]
    first = await _check_positions(harness) if with_positions else None
    # Every close must find a visitor still waiting, or its advisor would wait for nobody.
    waiting = plan.burst - plan.burst_advisors * plan.burst_capacity
    each = max(0, min(plan.frees, waiting // plan.burst_advisors))
    frees = [t for part in await harness.step("advisors freeing", target, pool.each(
        free_chats, frees=each, limit_s=plan.limit_s), each * plan.burst_advisors) for t in part]
    second = await _check_positions(harness) if with_positions else None
    books = await pool.each(steps.export)
    figures: dict[str, Any] = {
        "start_to_queued": spread(q - s for s, q, _ in room if q is not None),
        "all_queued_s": max(q for _, q, _ in room if q is not None) - min(s for s, _, _ in room),
        "start_to_assigned_with_room": spread(a - s for s, _, a in room if a is not None),
        "positions_exact": None, "positions_checked": None, "position_errors": None, "position_rises": None,
        "ended_to_assigned": spread(assigned - ended for _, ended, assigned in frees),
        "close_to_assigned": spread(assigned - sent for sent, _, assigned in frees),
        "not_queued": plan.burst - queued,
        "errors": problems(books),
    }
    if first is not None and second is not None:
        figures.update(positions_checked=first["checked"] + second["checked"],
                       position_errors=first["errors"] + second["errors"], position_rises=second["rises"],
                       positions_exact=first["errors"] + second["errors"] + second["rises"] == 0)
    figures["server_errors"] = len(await harness.hang_up(target))
    return figures


async def measure_at_once(harness: Harness, target: Target) -> dict[str, Any]:
    plan, pool = harness.plan, harness.pool
    await harness.step("advisors signing in", target, pool.each(
        steps.open_advisors, names=target.usernames, ports=target.ports), len(target.usernames))
    await harness.step("visitors connecting", target, pool.each(
        steps.open_visitors, count=plan.at_once, ports=target.ports, at_once=50), plan.at_once)
    await harness.step(f"{plan.at_once} starting at once", target, pool.each(
        steps.start_all, at=time.monotonic() + 0.5, limit_s=plan.limit_s), plan.at_once)
    assigned = sum(await harness.step("assigned", target, pool.each(
        steps.wait_assigned, limit_s=plan.limit_s), plan.at_once))
    times = [t for part in await pool.each(steps.arrivals) for t in part]
    books = await pool.each(steps.export)
    began = min(s for s, _, _ in times)
    last = max((a for _, _, a in times if a is not None), default=None)
    figures = {
        "start_to_queued": spread(q - s for s, q, _ in times if q is not None),
        "start_to_assigned": spread(a - s for s, _, a in times if a is not None),
        "all_assigned_s": None if last is None else last - began,
        "assigned_per_s": None if last is None else assigned / max(1e-6, last - began),
        "not_assigned": plan.at_once - assigned,
        "errors": problems(books),
    }
    figures["server_errors"] = len(await harness.hang_up(target))
    return figures


async def run(harness: Harness) -> dict[str, Any]:
    plan = harness.plan
    result: dict[str, Any] = {"burst": {}, "at_once": {}}
    async with harness.relay(advisors=plan.burst_advisors, capacity=plan.burst_capacity) as relay:
        result["burst"]["relay"] = await measure_burst(harness, relay, with_positions=False)
    async with harness.neuvo(advisors=plan.burst_advisors, capacity=plan.burst_capacity) as neuvo:
        result["burst"]["neuvo"] = await measure_burst(harness, neuvo, with_positions=True)
    advisors = math.ceil(plan.at_once / plan.capacity)
    async with harness.relay(advisors=advisors, capacity=plan.capacity) as relay:
        result["at_once"]["relay"] = await measure_at_once(harness, relay)
    async with harness.neuvo(advisors=advisors, capacity=plan.capacity) as neuvo:
        result["at_once"]["neuvo"] = await measure_at_once(harness, neuvo)
    return result

"""What every scenario's parent side shares: the plan, the client processes, the progress line,
the folder for databases and logs, where Neuvo keeps its state, and the readings of a target's
processes while a step runs."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bench import procfs, steps, targets
from bench.plan import Plan
from bench.pool import Pool
from bench.progress import Progress
from bench.targets import Backend, Target

T = TypeVar("T")


@dataclass
class Harness:
    plan: Plan
    pool: Pool
    progress: Progress
    workdir: Path
    backend: Backend
    database_pids: list[int]
    failures: int = 0

    def relay(self, *, advisors: int, capacity: int) -> contextlib.AbstractAsyncContextManager[Target]:
        return targets.relay(self.workdir, advisors=advisors, capacity=capacity)

    def neuvo(self, *, advisors: int, capacity: int,
              backend: Backend | None = None) -> contextlib.AbstractAsyncContextManager[Target]:
        chosen = backend or self.backend
        return targets.neuvo(self.workdir, chosen, advisors=advisors, capacity=capacity,
                             database_pids=self.database_pids if chosen.database else [])

    async def step(self, label: str, target: Target, work: Awaitable[T], total: int | None = None) -> T:
        """Run work (usually pool.each(...)) under a progress line: what the clients report done,
        the target's CPU (share of one core since the last tick) and memory."""
        last = [time.monotonic(), target.cpu_s()]

        def detail() -> str:
            now, cpu = time.monotonic(), target.cpu_s()
            share = (cpu - last[1]) / max(1e-6, now - last[0])
            last[:] = [now, cpu]
            done = f"{self.pool.done:,}" + (f"/{total:,}" if total else "")
            return f"{done}  server CPU {100 * share:3.0f}%  RSS {target.rss_kib() / 1024:6.1f} MiB"

        async with self.progress.phase(f"{target.label}: {label}", detail):
            return await work

    async def attempt(self, label: str, work: Awaitable[T]) -> T | dict[str, str]:
        """The result of work, or {"failed": why} when it raised: one run that fails (a server
        that fell over, a step past its limit) is a finding, and the runs after it still run."""
        try:
            return await work
        except Exception as error:
            self.failures += 1
            await self.pool.each(steps.reset)
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
            self.progress.say(f"{label}: failed: {reason}")
            return {"failed": reason}

    async def settled_rss(self, target: Target) -> int:
        """The target's memory a moment after sockets opened or chats started (buffers, GC)."""
        await asyncio.sleep(self.plan.settle_s)
        return target.rss_kib()

    async def hang_up(self, target: Target) -> list[str]:
        """Close every client socket; the target's log lines that report errors."""
        await self.pool.each(steps.reset)
        return target.error_lines()


@dataclass
class Window:
    """CPU of the target (and of its database) over a timed window, read from /proc at its ends."""

    target: Target
    clients: Pool

    async def measure(self, start: float, end: float) -> dict[str, Any]:
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        began = (time.monotonic(), self.target.cpu_s(), self.target.database_cpu_s(),
                 procfs.total_cpu_s(self.clients.pids))
        await asyncio.sleep(max(0.0, end - time.monotonic()))
        ended = (time.monotonic(), self.target.cpu_s(), self.target.database_cpu_s(),
                 procfs.total_cpu_s(self.clients.pids))
        elapsed = ended[0] - began[0]
        return {
            "elapsed_s": elapsed,
            "server_cpu_pct": 100 * (ended[1] - began[1]) / elapsed,
            "database_cpu_pct": 100 * (ended[2] - began[2]) / elapsed if self.target.database_pids else None,
            "client_cpu_pct": 100 * (ended[3] - began[3]) / elapsed,
        }

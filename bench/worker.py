"""A client process: it holds its share of the visitors and advisors between steps and runs the
steps the parent sends (bench.pool), one at a time, each an async function of this Worker.

A step's result goes back to the parent pickled; while a step runs, `progress` sends the parent
a count for its progress line now and then.
"""

from __future__ import annotations

import asyncio
import importlib
import resource
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from bench.book import Book
from bench.parties import Advisor, Visitor

T = TypeVar("T")
Step = Callable[..., Awaitable[Any]]


@dataclass
class Worker:
    index: int
    count: int
    conn: Connection
    visitors: list[Visitor] = field(default_factory=list)
    advisors: list[Advisor] = field(default_factory=list)
    book: Book = field(default_factory=Book)
    reported_at: float = 0.0

    def share(self, items: Sequence[T]) -> list[T]:
        """This process's part of a list that all client processes split (every count-th item)."""
        return list(items[self.index::self.count])

    def progress(self, done: int) -> None:
        now = time.monotonic()
        if now - self.reported_at >= 0.2:
            self.reported_at = now
            self.conn.send(("progress", done))

    async def reset(self) -> None:
        """Hang up everything: the next run starts with a new target."""
        parties: list[Visitor | Advisor] = [*self.visitors, *self.advisors]
        await asyncio.gather(*(p.close() for p in parties), return_exceptions=True)
        self.visitors, self.advisors, self.book = [], [], Book()


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(conn: Connection, index: int, count: int, preload: Sequence[str]) -> None:
    """The client process's entry point (multiprocessing, spawned). The steps' modules (named
    by the parent) are imported first: unpickling a step would otherwise import its module (and
    storage, through the harness) in the middle of a timed run, stalling this process for
    seconds."""
    for module in preload:
        importlib.import_module(module)
    asyncio.run(_serve(Worker(index, count, conn)))


async def _serve(worker: Worker) -> None:
    while True:
        job: tuple[Step, dict[str, Any]] | None = await asyncio.to_thread(worker.conn.recv)
        if job is None:
            await worker.reset()
            return
        step, kwargs = job
        try:
            worker.conn.send(("done", await step(worker, **kwargs)))
        except Exception:
            worker.conn.send(("failed", traceback.format_exc()))

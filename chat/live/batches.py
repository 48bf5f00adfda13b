"""Group commit: one task takes every request that came in while the previous batch was being
handled and handles them together, so a burst costs one transaction per batch rather than one
per request, and a lone request waits for nobody.

The handler answers each request of its batch (`Pending.done`) once what it asked is durable;
whatever it leaves unanswered, by a bug or by being stopped, is answered `unavailable` here,
so no caller waits for good.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from chat.base.tasks import cancelled
from chat.wire.errors import Unavailable

log = logging.getLogger("neuvo.live")
T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Pending(Generic[T, R]):
    request: T
    done: asyncio.Future[R] = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    def answer(self, result: R) -> None:
        if not self.done.done():
            self.done.set_result(result)

    def fail(self, error: BaseException) -> None:
        if not self.done.done():
            self.done.set_exception(error)


class Batches(Generic[T, R]):
    def __init__(self, handle: Callable[[list[Pending[T, R]]], Awaitable[None]], *, max_batch: int) -> None:
        self._handle = handle
        self._max_batch = max_batch
        self._queue: asyncio.Queue[Pending[T, R]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        await cancelled(self._task)
        while not self._queue.empty():
            self._queue.get_nowait().fail(Unavailable("the service is stopping; please retry"))

    async def submit(self, request: T) -> R:
        pending: Pending[T, R] = Pending(request)
        self._queue.put_nowait(pending)
        return await pending.done

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._handle(batch)
            except Exception:
                log.exception("a batch failed")  # the task must live on for the next batch
            finally:
                # Cancelled (stopping) or failed: nobody is left waiting for an answer.
                for pending in batch:
                    pending.fail(Unavailable("the service could not do that now; please retry"))

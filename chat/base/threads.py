"""CPU work off the event loop, one piece at a time: `OneAtATime`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class OneAtATime:
    """Runs work in a thread of the loop's default executor, one piece at a time. Work waiting
    its turn waits on the event loop: it holds no thread, so the executor's threads stay free for
    the other work that shares them (password checks, mail) however many wait."""

    def __init__(self) -> None:
        self._turn = asyncio.Lock()

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` in a worker thread once no earlier work of this runs; its result or error.
        The turn passes on when the thread is done, not when the caller stops waiting: a caller
        cancelled meanwhile cannot stop the thread, and the next one must not start beside it."""
        await self._turn.acquire()
        running = asyncio.ensure_future(asyncio.to_thread(work))
        running.add_done_callback(lambda _: self._turn.release())
        return await asyncio.shield(running)

"""One staffing forecast at a time (`chat.base.threads.OneAtATime`): work waiting its turn holds
no worker thread, and the turn passes on when the running work's thread is done. Each test runs
on an event loop of its own whose default executor has two threads, so a thread held by waiting
work would show as other work finding none free."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chat.base.threads import OneAtATime


def on_own_loop(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """`main()` on a new event loop in a thread of its own (the suite's loop keeps its executor)."""
    async def with_two_threads() -> None:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=2))
        await main()

    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, with_two_threads()).result(timeout=30)


class Gate:
    """Work that runs until the test opens the gate; made on the loop that awaits its start."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.started, self.opened = asyncio.Event(), threading.Event()

    def work(self) -> str:
        self.loop.call_soon_threadsafe(self.started.set)
        assert self.opened.wait(timeout=10), "the test opens the gate"
        return "first"

    async def until_started(self) -> None:
        await asyncio.wait_for(self.started.wait(), timeout=10)


def test_work_waiting_its_turn_holds_no_worker_thread() -> None:
    async def main() -> None:
        turns, gate = OneAtATime(), Gate()
        first = asyncio.create_task(turns.run(gate.work))
        await gate.until_started()
        second = asyncio.create_task(turns.run(lambda: "second"))
        await asyncio.sleep(0)  # the second is waiting for its turn now
        # The first holds one thread; the other is free for work that shares the executor.
        assert await asyncio.wait_for(asyncio.to_thread(lambda: "other"), timeout=5) == "other"
        assert not second.done()
        gate.opened.set()
        assert (await first, await second) == ("first", "second")

    on_own_loop(main)


def test_the_turn_passes_on_when_the_thread_is_done_not_when_its_caller_gives_up() -> None:
    """A request cancelled while its forecast runs cannot stop the thread: the next forecast
    still waits for it, so two never run at once."""
    async def main() -> None:
        turns, gate, next_began = OneAtATime(), Gate(), threading.Event()
        first = asyncio.create_task(turns.run(gate.work))
        await gate.until_started()
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        second = asyncio.create_task(turns.run(next_began.set))
        await asyncio.sleep(0.05)
        assert not next_began.is_set()
        gate.opened.set()
        await asyncio.wait_for(second, timeout=5)
        assert next_began.is_set()

    on_own_loop(main)

"""Group commit's task (chat.live.batches): what comes in while a batch is handled forms the next
batch, and nobody is left waiting when a batch fails or the service stops."""

from __future__ import annotations

import asyncio

import pytest

from chat.live.batches import Batches, Pending
from chat.wire.errors import Unavailable


async def test_requests_made_while_a_batch_is_handled_form_the_next_batch() -> None:
    handled: list[list[int]] = []
    busy, release = asyncio.Event(), asyncio.Event()

    async def handle(batch: list[Pending[int, int]]) -> None:
        handled.append([p.request for p in batch])
        busy.set()
        await release.wait()
        for pending in batch:
            pending.answer(pending.request * 10)

    batches: Batches[int, int] = Batches(handle, max_batch=100)
    batches.start()
    first = asyncio.create_task(batches.submit(1))
    await busy.wait()
    later = [asyncio.create_task(batches.submit(n)) for n in (2, 3, 4)]
    release.set()
    assert await first == 10 and [await t for t in later] == [20, 30, 40]
    assert handled == [[1], [2, 3, 4]]
    await batches.stop()


async def test_a_batch_is_at_most_max_batch_long() -> None:
    sizes: list[int] = []

    async def handle(batch: list[Pending[int, int]]) -> None:
        sizes.append(len(batch))
        for pending in batch:
            pending.answer(0)

    batches: Batches[int, int] = Batches(handle, max_batch=4)
    batches.start()
    await asyncio.gather(*(batches.submit(n) for n in range(10)))
    assert sizes == [4, 4, 2]
    await batches.stop()


async def test_what_a_failed_batch_left_unanswered_is_unavailable() -> None:
    async def handle(batch: list[Pending[int, int]]) -> None:
        batch[0].answer(1)
        raise RuntimeError("a bug")

    batches: Batches[int, int] = Batches(handle, max_batch=10)
    batches.start()
    answers = await asyncio.gather(batches.submit(1), batches.submit(2), return_exceptions=True)
    assert answers[0] == 1 and isinstance(answers[1], Unavailable)
    assert await batches.submit(3) == 1  # the task lives on for the next batch
    await batches.stop()


async def test_stopping_answers_every_request_still_waiting() -> None:
    async def handle(batch: list[Pending[int, int]]) -> None:
        await asyncio.Event().wait()  # never done

    batches: Batches[int, int] = Batches(handle, max_batch=1)
    batches.start()
    waiting = [asyncio.create_task(batches.submit(n)) for n in range(3)]
    await asyncio.wait(waiting, timeout=0)  # each has made its request
    await batches.stop()
    for task in waiting:
        with pytest.raises(Unavailable):
            await task

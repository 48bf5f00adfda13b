"""Background tasks stopped the one way: cancelled, then waited for, so nothing of theirs runs on
after the caller goes on."""

from __future__ import annotations

import asyncio


async def cancelled(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

"""A subscriber to read a channel's frames from in a test: what a broker hands over, in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from chat.broker import Broker, follow, unfollow
from chat.wire.outgoing import OutFrame


class Lost(Exception):
    """The broker said frames may have been lost (`Subscriber.lost`)."""


class Inbox:
    def __init__(self) -> None:
        self._frames: asyncio.Queue[OutFrame | None] = asyncio.Queue()

    def put(self, frame: OutFrame) -> None:
        self._frames.put_nowait(frame)

    def lost(self) -> None:
        self._frames.put_nowait(None)

    async def get(self) -> OutFrame:
        frame = await self._frames.get()
        if frame is None:
            raise Lost
        return frame


@asynccontextmanager
async def subscribe(broker: Broker, channel: str) -> AsyncIterator[Inbox]:
    inbox = Inbox()
    await follow(broker, channel, inbox)
    try:
        yield inbox
    finally:
        await unfollow(broker, channel, inbox)

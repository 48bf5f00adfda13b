"""The broker interface, and the subscription bookkeeping every backend shares."""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from chat.wire.outgoing import OutFrame

Frame = OutFrame
SUBSCRIBER_BACKLOG = 1000


class SubscriberOverflow(Exception):
    """A subscriber fell too far behind; its socket should close so the client resumes."""


class Subscription:
    """One socket's inbox on one or more channels, in order, at most SUBSCRIBER_BACKLOG frames.

    Thousands of these wait at once, mostly empty: the frames' deque exists only while frames
    wait, and the future only while the socket waits for one (an asyncio.Queue would hold four
    deques for each socket all along)."""

    __slots__ = ("_frames", "_lost", "_waiter")

    def __init__(self) -> None:
        self._frames: deque[Frame] | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._lost = False

    def put(self, frame: Frame) -> None:
        if self._lost:
            return
        if self._frames is None:
            self._frames = deque()
        elif len(self._frames) >= SUBSCRIBER_BACKLOG:
            # Nothing is lost: every message is in the database and the client replays on
            # resume. Better one reconnect than unbounded memory for a stalled reader.
            self.lost()
            return
        self._frames.append(frame)
        self._wake()

    def lost(self) -> None:
        """Frames for this subscriber were lost (it fell behind, or the broker's connection
        dropped): its next `get` raises SubscriberOverflow, so its socket closes and the client
        resumes from storage."""
        self._frames, self._lost = None, True
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self) -> Frame:
        while not self._lost:
            if self._frames:
                frame = self._frames.popleft()
                if not self._frames:
                    self._frames = None
                return frame
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        raise SubscriberOverflow


class Fanout:
    """The local subscribers of this process, by channel."""

    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[Subscription]] = defaultdict(set)

    def deliver(self, channel: str, frame: Frame) -> None:
        for subscription in tuple(self._subscribers.get(channel, ())):
            subscription.put(frame)

    def channels(self) -> list[str]:
        return list(self._subscribers)

    def resync_all(self) -> None:
        """Every local subscriber may have missed frames: each resumes from storage."""
        for subscribers in tuple(self._subscribers.values()):
            for subscription in tuple(subscribers):
                subscription.lost()

    def add(self, channel: str, subscription: Subscription) -> bool:
        """Add a subscriber; True when it is the channel's first in this process."""
        first = channel not in self._subscribers
        self._subscribers[channel].add(subscription)
        return first

    def remove(self, channel: str, subscription: Subscription) -> bool:
        """Remove a subscriber; True when the channel has none left in this process."""
        subscribers = self._subscribers.get(channel)
        if subscribers is None:
            return False
        subscribers.discard(subscription)
        if subscribers:
            return False
        del self._subscribers[channel]
        return True


class Broker(Protocol):
    fanout: Fanout

    async def connect(self) -> None: ...

    async def disconnect(self) -> None: ...

    async def publish(self, channel: str, frame: Frame) -> None:
        """Deliver the frame to the channel's subscribers in every process, in the order
        published; it may still be on its way to other processes when this returns."""

    async def flushed(self) -> None:
        """Return once every frame published so far has gone out to the other processes."""

    async def listen(self, channel: str) -> None:
        """Start receiving the channel's frames in this process."""

    async def unlisten(self, channel: str) -> None:
        """Stop receiving the channel's frames in this process."""


@asynccontextmanager
async def subscribe(broker: Broker, *channels: str) -> AsyncIterator[Subscription]:
    """A subscription on the channels for the duration of the block."""
    subscription = Subscription()
    for channel in channels:
        if broker.fanout.add(channel, subscription):
            await broker.listen(channel)
    try:
        yield subscription
    finally:
        for channel in channels:
            if broker.fanout.remove(channel, subscription):
                await broker.unlisten(channel)

"""The broker interface, and the subscriber bookkeeping every backend shares."""

from __future__ import annotations

from typing import Protocol

from chat.wire.outgoing import OutFrame

Frame = OutFrame


class Subscriber(Protocol):
    """Whoever follows a channel: a socket (chat.web.sockets.connection).

    Frames are handed over as they are published here or received from another process, on the
    event loop and in order: a subscriber takes each at once, without waiting. A task per
    subscriber pulling from a queue cost each socket a task, a coroutine and a future, and every
    frame a loop turn (docs/benchmarks.md)."""

    def put(self, frame: Frame) -> None:
        """The channel's next frame."""

    def lost(self) -> None:
        """Frames for this subscriber may have been lost (the broker's connection dropped): it
        resumes from storage (a socket closes with 1013 and its client resumes)."""


class Fanout:
    """The local subscribers of this process, by channel.

    A channel's subscribers are a tuple, replaced on every change: a channel almost always has
    one (a chat's visitor, an advisor's console), and a one-tuple is 48 bytes where a set is
    216; delivering iterates the tuple it finds, so a subscriber that leaves while a frame is
    handed round changes nothing under the loop, and no copy is made per frame."""

    def __init__(self) -> None:
        self._subscribers: dict[str, tuple[Subscriber, ...]] = {}

    def deliver(self, channel: str, frame: Frame) -> None:
        for subscriber in self._subscribers.get(channel, ()):
            subscriber.put(frame)

    def channels(self) -> list[str]:
        return list(self._subscribers)

    def resync_all(self) -> None:
        """Every local subscriber may have missed frames: each resumes from storage."""
        for subscribers in tuple(self._subscribers.values()):
            for subscriber in subscribers:
                subscriber.lost()

    def add(self, channel: str, subscriber: Subscriber) -> bool:
        """Add a subscriber; True when it is the channel's first in this process."""
        subscribers = self._subscribers.get(channel, ())
        if subscriber not in subscribers:
            self._subscribers[channel] = (*subscribers, subscriber)
        return not subscribers

    def remove(self, channel: str, subscriber: Subscriber) -> bool:
        """Remove a subscriber; True when the channel has none left in this process."""
        subscribers = self._subscribers.get(channel)
        if subscribers is None:
            return False
        left = tuple(s for s in subscribers if s is not subscriber)
        if left:
            self._subscribers[channel] = left
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


async def follow(broker: Broker, channel: str, subscriber: Subscriber) -> None:
    """From now on, the channel's frames go to the subscriber too."""
    if broker.fanout.add(channel, subscriber):
        await broker.listen(channel)


async def unfollow(broker: Broker, channel: str, subscriber: Subscriber) -> None:
    """No more of the channel's frames for the subscriber (from the moment this is called)."""
    if broker.fanout.remove(channel, subscriber):
        await broker.unlisten(channel)

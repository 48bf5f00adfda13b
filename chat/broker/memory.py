"""The in-process broker: one process holds every socket, so publishing is delivering."""

from __future__ import annotations

from chat.broker.base import Fanout, Frame


class MemoryBroker:
    def __init__(self) -> None:
        self.fanout = Fanout()

    async def connect(self) -> None:
        return None

    async def disconnect(self) -> None:
        return None

    async def publish(self, channel: str, frame: Frame) -> None:
        self.fanout.deliver(channel, frame)

    async def flushed(self) -> None:
        return None

    async def listen(self, channel: str) -> None:
        return None

    async def unlisten(self, channel: str) -> None:
        return None

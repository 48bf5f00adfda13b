"""What the web edges see of the live service, whichever runs it: `LiveService` in one process,
`chat.cluster.ClusterLive` across several. Everything that changes or asks something goes
through `run(command)`."""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

from chat.base.metrics import Metrics
from chat.broker import Subscriber
from chat.live.commands import Command
from chat.live.config import ServiceConfig

R = TypeVar("R")


@runtime_checkable
class Live(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ticks(self) -> None:
        """Apply time-driven rules every NEUVO_TICK_S until cancelled."""

    async def run(self, command: Command[R]) -> R: ...

    async def healthy(self) -> bool:
        """Whether what the live service needs besides the database (Redis) answers."""

    def new_chat_id(self) -> str: ...

    async def follow(self, channel: str, subscriber: Subscriber) -> None:
        """From now on, the frames published on the channel go to the subscriber too."""

    async def unfollow(self, channel: str, subscriber: Subscriber) -> None:
        """No more of the channel's frames for the subscriber."""

    @property
    def config(self) -> ServiceConfig: ...

    @property
    def metrics(self) -> Metrics: ...

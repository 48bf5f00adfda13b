"""`ClusterLive`: the live service as one process of several sees it.

Every process keeps, in its tick loop: its own heartbeat key (`neuvo:alive:<process>`, expiring
after the lease time), the dispatcher lease (taken when free, renewed while held), and its own
copy of the configuration. The process that holds the lease runs the engine (`LiveService`,
rebuilt from storage when it takes over), answers the command queue, and ticks the engine (on a
loop of its own, so a slow tick never delays the lease's renewal). It
also remembers which process each counted socket lives on: when a process's heartbeat is gone
(kill -9), its sockets are counted gone, so the grace periods run for them as for any dropped
connection. When the lease changes hands, every process tells the new owner what its sockets
carry (`Rejoin`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat.base.clock import Clock
from chat.base.metrics import Metrics
from chat.base.settings import Settings
from chat.broker import Broker, Subscriber, follow, unfollow
from chat.cluster.commands import CommandClient, CommandServer
from chat.cluster.lease import Lease
from chat.live import commands as c
from chat.live.config import ServiceConfig, load_config
from chat.live.ids import ChatIds
from chat.live.service import LiveService
from chat.wire.errors import Unavailable
from chat.wire.outgoing import StatusOut, Welcome
from storage import service
from storage.database import Database
from storage.errors import STORAGE_FAILURES

log = logging.getLogger("neuvo.cluster")
R = TypeVar("R")
Key = tuple[str, str]  # ("advisor", username) or ("visitor", chat id)


def _alive(process: str) -> str:
    return f"neuvo:alive:{process}"


class LocalSockets:
    """What this process's sockets carry, counted as the live service counts them."""

    def __init__(self) -> None:
        self.count: Counter[Key] = Counter()
        self.status: dict[str, str] = {}

    def note(self, command: c.Command[Any], answer: Any) -> None:
        if isinstance(command, c.VisitorConnected):
            self._add(("visitor", command.chat_id), 1)
        elif isinstance(command, c.VisitorDisconnected):
            self._add(("visitor", command.chat_id), -1)
        elif isinstance(command, c.AdvisorConnected) and isinstance(answer, Welcome):
            self._add(("advisor", command.username), 1)
            self.status[command.username] = answer.status
        elif isinstance(command, c.AdvisorDisconnected):
            self._add(("advisor", command.username), -1)
        elif isinstance(command, c.SetStatus) and isinstance(answer, StatusOut):
            self.status[command.username] = answer.status

    def _add(self, key: Key, change: int) -> None:
        # Only the key touched is dropped at zero: `+counter` on every command copied all of
        # them, a fifth of a process's time at 1,000 chats.
        self.count[key] += change
        if self.count[key] <= 0:
            del self.count[key]

    def rejoin(self) -> c.Rejoin:
        return c.Rejoin(
            advisors=tuple((name, n, self.status.get(name, "away")) for (kind, name), n in self.count.items()
                           if kind == "advisor"),
            visitors=tuple((chat, n) for (kind, chat), n in self.count.items() if kind == "visitor"),
        )


class ClusterLive:
    def __init__(self, *, db: Database, broker: Broker, settings: Settings, clock: Clock) -> None:
        assert settings.redis_url, "several processes need NEUVO_REDIS_URL"
        self.db = db
        self.broker = broker
        self.settings = settings
        self.clock = clock
        self.process = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._redis: Redis = Redis.from_url(settings.redis_url)
        self._lease = Lease(self._redis, self.process, ttl_ms=int(settings.lease_s * 1000))
        self._client = CommandClient(self._redis, self.process, timeout_s=settings.command_timeout_s)
        self._metrics = Metrics()
        self._ids = ChatIds()
        self._local = LocalSockets()
        self._engine: LiveService | None = None
        self._serving: asyncio.Task[None] | None = None
        self._origins: dict[str, Counter[Key]] = {}  # on the owner: what each process's sockets are
        self._owner: str | None = None
        self._config: ServiceConfig | None = None

    # -- start and stop ------------------------------------------------------------------------

    async def start(self) -> None:
        await self._reload_config()
        self._client.start()
        await self._beat()  # take the lease at once when nobody holds it

    async def stop(self) -> None:
        await self._step_down()
        await self._client.stop()
        try:
            await self._lease.release()
            await self._redis.delete(_alive(self.process))
        except (RedisError, OSError):
            pass  # Redis gone: the keys expire by themselves
        await self._redis.aclose()

    async def healthy(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    # -- commands ------------------------------------------------------------------------------

    async def run(self, command: c.Command[R]) -> R:
        if isinstance(command, c.VisitorDisconnected | c.AdvisorDisconnected):
            self._local.note(command, None)  # gone here, whether or not the owner hears of it
        if self._engine is not None:
            answer = await self._as_owner(self.process, command)
        else:
            answer = await self._client.ask(command)
        if not isinstance(command, c.VisitorDisconnected | c.AdvisorDisconnected):
            self._local.note(command, answer)
        return cast(R, answer)

    async def _as_owner(self, origin: str, command: c.Command[Any]) -> Any:
        engine = self._engine
        if engine is None:  # the lease moved on while this waited
            raise Unavailable("the service is changing hands; please retry")
        answer = await engine.run(command)
        counted = self._origins.setdefault(origin, Counter())
        if isinstance(command, c.Rejoin):
            counted.clear()
            counted.update({("advisor", name): n for name, n, _ in command.advisors})
            counted.update({("visitor", chat): n for chat, n in command.visitors})
        elif isinstance(command, c.VisitorConnected | c.AdvisorConnected):
            counted[_key(command)] += 1
        elif isinstance(command, c.VisitorDisconnected | c.AdvisorDisconnected):
            counted[_key(command)] -= 1
        return answer

    def new_chat_id(self) -> str:
        return self._ids.new()

    async def follow(self, channel: str, subscriber: Subscriber) -> None:
        await follow(self.broker, channel, subscriber)

    async def unfollow(self, channel: str, subscriber: Subscriber) -> None:
        await unfollow(self.broker, channel, subscriber)

    @property
    def config(self) -> ServiceConfig:
        assert self._config is not None, "start() loads the configuration"
        return self._engine.config if self._engine is not None else self._config

    @property
    def metrics(self) -> Metrics:
        return self._metrics

    # -- the tick loop: heartbeat, lease, configuration, the engine's own tick --------------------

    async def ticks(self) -> None:
        """The heartbeat and the lease on one loop, the engine's own tick on another: an engine
        tick held up by a busy service must not let the lease lapse (it did, at 1,000 chats on
        two processes, and the lease went back and forth)."""
        await asyncio.gather(self._every_tick(self._beat), self._every_tick(self._tick_engine))

    async def _every_tick(self, step: Callable[[], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(self.settings.tick_s)
            try:
                await step()
            except Unavailable:
                continue  # logged where storage failed, without its trace: the next tick retries
            except Exception:
                log.exception("tick failed")  # a bug must not stop the heartbeat for good

    async def _tick_engine(self) -> None:
        if self._engine is not None:
            await self._engine.run(c.Tick())
            await self._forget_dead_processes()

    async def _beat(self) -> None:
        try:
            await self._redis.set(_alive(self.process), "1", px=int(self.settings.lease_s * 1000))
            holding = await self._lease.hold()
            owner = await self._lease.current_holder()
        except (RedisError, OSError) as error:
            log.error("Redis unreachable: %s", type(error).__name__)
            holding, owner = False, None
        if holding and self._engine is None:
            await self._take_over()
        elif not holding and self._engine is not None:
            await self._step_down()
        if owner is not None and owner != self._owner:
            self._owner = owner
            await self._rejoin()
        if self._engine is None:
            await self._refresh_config()

    async def _take_over(self) -> None:
        log.info("taking over the live service")
        engine = LiveService(db=self.db, broker=self.broker, settings=self.settings, clock=self.clock,
                             metrics=self._metrics)
        await engine.start()  # rebuilt from storage: nobody connected until they rejoin
        self._engine, self._origins = engine, {}
        self._serving = asyncio.create_task(CommandServer(self._redis, self._as_owner).serve())

    async def _step_down(self) -> None:
        if self._engine is None:
            return
        log.info("stepping down: the dispatcher lease is gone")
        engine, self._engine = self._engine, None
        if self._serving is not None:
            self._serving.cancel()
            await asyncio.gather(self._serving, return_exceptions=True)
        await engine.stop()

    async def _rejoin(self) -> None:
        try:
            await self.run(self._local.rejoin())
        except Exception as error:  # the next change of owner, or the next beat, tries again
            log.error("rejoining the live service failed: %s", type(error).__name__)
            self._owner = None

    async def _forget_dead_processes(self) -> None:
        for origin in [o for o in self._origins if o != self.process]:
            if await self._redis.exists(_alive(origin)):
                continue
            log.info("a process is gone: its sockets count as dropped")
            for key, n in self._origins.pop(origin).items():
                for _ in range(n):
                    await self._as_owner(self.process, _gone(key))

    async def _reload_config(self) -> None:
        async with self.db.transaction() as session:
            self._config = await load_config(session, now=self.clock.now(), tz=self.settings.tz)

    async def _refresh_config(self) -> None:
        try:
            async with self.db.transaction() as session:
                stale = self._config is None or await service.config_version(session) != self._config.version
            if stale:
                await self._reload_config()
        except STORAGE_FAILURES as error:
            log.error("configuration refresh failed: %s", type(error).__name__)


def _key(command: c.VisitorConnected | c.VisitorDisconnected | c.AdvisorConnected | c.AdvisorDisconnected) -> Key:
    if isinstance(command, c.VisitorConnected | c.VisitorDisconnected):
        return ("visitor", command.chat_id)
    return ("advisor", command.username)


def _gone(key: Key) -> c.Command[None]:
    kind, name = key
    return c.VisitorDisconnected(name) if kind == "visitor" else c.AdvisorDisconnected(name)

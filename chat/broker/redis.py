"""The Redis broker: frames published in any process reach the sockets of every process.

Redis pub/sub keeps nothing for a subscriber that is not there: a frame published while the
connection is down is gone. So the database stays the record, and whenever this process's
subscription connection was lost (Redis restarted, the network dropped) every local subscriber
is told so (`Subscriber.lost`): its socket closes with 1013 and the client resumes
from its last seq out of storage. A publish that fails is logged and dropped the same way; the
frame's subscribers, wherever they are, lost their connection too and resync when it returns.

redis-py's asyncio client does the protocol; this module only keeps the subscriptions of this
process alive across reconnects, and sends what is published through one ordered outbox
(chat.broker.outbox). Imported only when NEUVO_REDIS_URL is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from chat.base.tasks import cancelled
from chat.broker.base import Fanout, Frame
from chat.broker.outbox import Outbox
from chat.wire.outgoing import OutFrame
from chat.wire.packing import Kinds, pack, unpack

log = logging.getLogger("neuvo.broker")
FRAMES = Kinds(OutFrame)
RECONNECT_S = (0.1, 0.25, 0.5, 1.0, 2.0)  # then every 2 s


class RedisBroker:
    def __init__(self, url: str) -> None:
        self.fanout = Fanout()
        self._redis: Redis = Redis.from_url(url, health_check_interval=10)
        self._outbox = Outbox(self._redis, "publish")
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()  # set while the subscription connection is up

    async def connect(self) -> None:
        await self._redis.ping()  # fail at start, with a clear reason, when Redis is not there
        self._outbox.start()
        self._reader = asyncio.create_task(self._read_forever())
        await self._subscribed.wait()

    async def disconnect(self) -> None:
        await self._outbox.stop()
        await cancelled(self._reader)
        if self._pubsub is not None:
            await _close(self._pubsub)
        await self._redis.aclose()

    async def publish(self, channel: str, frame: Frame) -> None:
        # Queued, not awaited: frames go out in the order published, many in one round trip.
        self._outbox.put("PUBLISH", channel, pack(frame))

    async def flushed(self) -> None:
        await self._outbox.drained()

    async def listen(self, channel: str) -> None:
        # While the connection is down the channel is only remembered: the reader subscribes to
        # every channel of the fan-out when it reconnects. What this process published before
        # goes out first, so a new subscriber here does not hear it.
        if self._pubsub is not None and self._subscribed.is_set():
            try:
                await self._outbox.drained()
                await self._pubsub.subscribe(channel)
            except (RedisError, OSError) as error:
                log.error("subscribe failed: %s", type(error).__name__)

    async def unlisten(self, channel: str) -> None:
        if self._pubsub is not None and self._subscribed.is_set():
            try:
                await self._pubsub.unsubscribe(channel)
            except (RedisError, OSError) as error:
                log.error("unsubscribe failed: %s", type(error).__name__)

    @property
    def subscribed(self) -> asyncio.Event:
        """Set while this process's subscription connection is up (for /healthz and tests)."""
        return self._subscribed

    async def _read_forever(self) -> None:
        attempt = 0
        while True:
            try:
                await self._subscribe_all()
                attempt = 0
                await self._read()
            except (RedisError, OSError) as error:
                if self._subscribed.is_set():
                    log.error("lost the Redis subscription: %s", type(error).__name__)
                self._subscribed.clear()
                self.fanout.resync_all()  # what was published meanwhile is gone: replay from storage
                await asyncio.sleep(RECONNECT_S[min(attempt, len(RECONNECT_S) - 1)])
                attempt += 1

    async def _subscribe_all(self) -> None:
        if self._pubsub is not None:
            await _close(self._pubsub)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        channels = self.fanout.channels()
        # A pub/sub connection needs one subscription before it reads: a channel of our own.
        await self._pubsub.subscribe("neuvo:broker", *channels)
        self._subscribed.set()

    async def _read(self) -> None:
        assert self._pubsub is not None
        while True:
            message = await self._pubsub.get_message(timeout=None)
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
            try:
                frame = unpack(message["data"].decode() if isinstance(message["data"], bytes) else message["data"],
                               FRAMES)
            except (ValueError, KeyError, TypeError):
                log.error("dropped a frame that does not unpack on %s", channel.split(":")[0])
                continue
            self.fanout.deliver(channel, frame)


async def _close(pubsub: PubSub) -> None:
    with contextlib.suppress(RedisError, OSError):  # a connection already gone is closed enough
        await pubsub.aclose()

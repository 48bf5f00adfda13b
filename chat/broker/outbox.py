"""An ordered outbox for Redis: commands given one by one go out in the order given, all that
waited since the last round trip in one pipeline on one connection.

Awaiting each PUBLISH or RPUSH on its own costs a round trip each and, under load, a pooled
connection each: at a thousand chats that ran out of the pool's connections
(MaxConnectionsError) and put the line writer behind one round trip per frame. Here `put` only
appends (so what callers give in order stays in order: a socket's lines reach the owner in the
order it read them), and one task sends the lot.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat.base.tasks import cancelled

log = logging.getLogger("neuvo.broker")
MAX_PIPELINE = 1000  # commands a round trip, so a backlog goes out in pieces
MAX_PENDING = 100_000  # beyond this Redis is not keeping up (hung, not refusing): drop, not grow


class Outbox:
    def __init__(self, redis: Redis, what: str) -> None:
        self._redis = redis
        self._what = what  # what the log calls it: "publish", "asking the live service", "answering"
        self._pending: deque[tuple[tuple[Any, ...], asyncio.Future[None] | None]] = deque()
        self._wake = asyncio.Event()
        self._sending = False
        self._full = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        await cancelled(self._task)
        while self._pending:
            _, sent = self._pending.popleft()
            if sent is not None and not sent.done():
                sent.set_exception(ConnectionError("stopping"))

    def put(self, *command: Any) -> None:
        """Send the command soon; a failure is logged (and the command dropped)."""
        if self._room():
            self._enqueue(command, None)

    def put_tracked(self, *command: Any) -> asyncio.Future[None]:
        """Send the command soon; the future says when it went out, or why it could not."""
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._room():
            self._enqueue(command, sent)
        else:
            sent.set_exception(ConnectionError(f"{self._what}: Redis is not keeping up"))
        return sent

    def _enqueue(self, command: tuple[Any, ...], sent: asyncio.Future[None] | None) -> None:
        self._pending.append((command, sent))
        self._wake.set()

    def _room(self) -> bool:
        if len(self._pending) < MAX_PENDING:
            self._full = False
            return True
        if not self._full:  # once per spell, not once per command
            log.error("%s: %d commands wait for Redis; dropping more", self._what, len(self._pending))
            self._full = True
        return False

    async def drained(self) -> None:
        """Return once everything put so far has gone out (or failed: then raise why)."""
        if self._pending or self._sending:
            mark: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._enqueue(("PING",), mark)  # past the bound: it is what the bound waits for
            await mark

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch = [self._pending.popleft() for _ in range(min(len(self._pending), MAX_PIPELINE))]
                self._sending = True
                try:
                    await self._send(batch)
                finally:
                    self._sending = False

    async def _send(self, batch: list[tuple[tuple[Any, ...], asyncio.Future[None] | None]]) -> None:
        error: BaseException | None = None
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for command, _ in batch:
                    pipe.execute_command(*command)
                await pipe.execute()
        except (RedisError, OSError) as failed:
            log.error("%s failed: %s (%d dropped)", self._what, type(failed).__name__, len(batch))
            error = failed
        except Exception as failed:
            # A bug must not stop the outbox for good: everything after it would wait forever.
            log.exception("%s failed (%d dropped)", self._what, len(batch))
            error = failed
        for _, sent in batch:
            if sent is None or sent.done():
                continue
            if error is None:
                sent.set_result(None)
            else:
                sent.set_exception(error)

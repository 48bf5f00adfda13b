"""Commands for the live service, carried to whichever process owns it, and their answers back.

A request is pushed onto one Redis list (`QUEUE`) that the owner pops; its answer, or the
ProtocolError it raised, is pushed onto the asking process's own list. Lists, not pub/sub:
a request waits in Redis while the lease changes hands and the next owner takes it. A request
whose answer does not come within the timeout (the owner died with it, Redis went away) is
`unavailable` for the client, which tries again: lines are deduplicated by their client id,
so a retry never stores a line twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat.base.tasks import cancelled
from chat.broker.outbox import Outbox
from chat.live.commands import BlockView, Colleague, Command, NowView, ServiceStatus
from chat.wire.errors import ProtocolError, Unavailable
from chat.wire.outgoing import OutFrame
from chat.wire.packing import Kinds, pack, unpack

log = logging.getLogger("neuvo.cluster")
QUEUE = "neuvo:commands"
REPLY_TTL_S = 60  # a reply list whose process is gone does not stay in Redis
POP_MOST = 500
COMMANDS = Kinds(Command)
ANSWERS = Kinds(OutFrame, extra=(ServiceStatus, Colleague, NowView, BlockView))
Apply = Callable[[str, Command[Any]], Awaitable[Any]]


def replies_of(process: str) -> str:
    return f"neuvo:replies:{process}"


def _errors() -> dict[str, type[ProtocolError]]:
    found: dict[str, type[ProtocolError]] = {}
    stack: list[type[ProtocolError]] = [ProtocolError]
    while stack:
        kind = stack.pop()
        found[kind.__name__] = kind
        stack.extend(kind.__subclasses__())
    return found


class CommandClient:
    """Asks the owner of the live service, wherever it runs."""

    def __init__(self, redis: Redis, process: str, *, timeout_s: float) -> None:
        self.redis = redis
        self.process = process
        self.timeout_s = timeout_s
        self._waiting: dict[str, asyncio.Future[Any]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._outbox = Outbox(redis, "asking the live service")

    def start(self) -> None:
        self._outbox.start()
        self._reader = asyncio.create_task(self._read_replies())

    async def stop(self) -> None:
        await self._outbox.stop()
        await cancelled(self._reader)

    async def ask(self, command: Command[Any]) -> Any:
        request = secrets.token_hex(8)
        answer = asyncio.get_running_loop().create_future()
        self._waiting[request] = answer
        # Put in the outbox before the first await: a socket's commands reach the owner in the
        # order the socket gave them, even while several of them are on their way.
        sent = self._outbox.put_tracked("RPUSH", QUEUE, json.dumps(
            {"id": request, "origin": self.process, "command": pack(command)}))
        try:
            # The timeout covers the sending too: a Redis that hangs must not hold the caller.
            async with asyncio.timeout(self.timeout_s):
                await sent
                return await answer
        except (TimeoutError, RedisError, OSError) as error:
            log.error("no answer from the live service: %s", type(error).__name__)
            raise Unavailable("the service cannot answer now; nothing was done, please retry") from None
        finally:
            self._waiting.pop(request, None)

    async def _read_replies(self) -> None:
        key = replies_of(self.process)
        errors = _errors()
        while True:
            try:
                items = await pop_many(self.redis, key)
            except (RedisError, OSError) as error:
                log.error("reading answers failed: %s", type(error).__name__)
                await asyncio.sleep(0.5)
                continue
            for item in items:
                self._answered(json.loads(item), errors)

    def _answered(self, reply: dict[str, Any], errors: dict[str, type[ProtocolError]]) -> None:
        answer = self._waiting.get(reply["id"])
        if answer is None or answer.done():
            return  # asked too long ago: the client was told `unavailable` already
        if "error" in reply:
            answer.set_exception(errors.get(reply["error"], Unavailable)(reply["message"]))
        else:
            answer.set_result(unpack(reply["answer"], ANSWERS))


class CommandServer:
    """On the owner: takes commands off the queue, many a round trip, and answers each
    concurrently; each is started in queue order, which is the order each process gave them
    (CommandClient.ask), so a socket's lines are stored in the order it sent them."""

    def __init__(self, redis: Redis, apply: Apply) -> None:
        self.redis = redis
        self.apply = apply
        self._running: set[asyncio.Task[None]] = set()
        self._answers = Outbox(redis, "answering")

    async def serve(self) -> None:
        self._answers.start()
        try:
            while True:
                try:
                    items = await pop_many(self.redis, QUEUE)
                except (RedisError, OSError) as error:
                    log.error("taking commands failed: %s", type(error).__name__)
                    await asyncio.sleep(0.5)
                    continue
                for item in items:  # started in queue order: see CommandClient.ask
                    task = asyncio.create_task(self._answer(json.loads(item)))
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
        finally:
            for task in self._running:
                task.cancel()
            await self._answers.stop()

    async def _answer(self, request: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"id": request["id"]}
        try:
            answer = await self.apply(request["origin"], unpack(request["command"], COMMANDS))
            reply["answer"] = pack(answer)
        except ProtocolError as error:
            reply.update(error=type(error).__name__, message=error.message)
        except Exception:
            log.exception("a command failed")
            reply.update(error="Unavailable", message="the service could not do that now; please retry")
        key = replies_of(request["origin"])
        self._answers.put("RPUSH", key, json.dumps(reply))
        self._answers.put("EXPIRE", key, REPLY_TTL_S)


async def pop_many(redis: Redis, key: str) -> list[bytes]:
    """What waits on the list, up to POP_MOST, after waiting up to a second for the first: one
    round trip per item could not keep up with a thousand chats."""
    first = await redis.blpop([key], timeout=1)
    if first is None:
        return []
    more = await redis.lpop(key, POP_MOST - 1)
    return [first[1], *(more or [])]

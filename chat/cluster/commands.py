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

from chat.live.commands import BlockView, Colleague, Command, NowView, ServiceStatus
from chat.wire.errors import ProtocolError, Unavailable
from chat.wire.outgoing import OutFrame
from chat.wire.packing import Kinds, pack, unpack

log = logging.getLogger("neuvo.cluster")
QUEUE = "neuvo:commands"
REPLY_TTL_S = 60  # a reply list whose process is gone does not stay in Redis
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

    def start(self) -> None:
        self._reader = asyncio.create_task(self._read_replies())

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    async def ask(self, command: Command[Any]) -> Any:
        request = secrets.token_hex(8)
        answer = asyncio.get_running_loop().create_future()
        self._waiting[request] = answer
        try:
            await self.redis.rpush(QUEUE, json.dumps(
                {"id": request, "origin": self.process, "command": pack(command)}))
            return await asyncio.wait_for(answer, self.timeout_s)
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
                item = await self.redis.blpop([key], timeout=1)
            except (RedisError, OSError) as error:
                log.error("reading answers failed: %s", type(error).__name__)
                await asyncio.sleep(0.5)
                continue
            if item is None:
                continue
            reply = json.loads(item[1])
            answer = self._waiting.get(reply["id"])
            if answer is None or answer.done():
                continue  # asked too long ago: the client was told `unavailable` already
            if "error" in reply:
                answer.set_exception(errors.get(reply["error"], Unavailable)(reply["message"]))
            else:
                answer.set_result(unpack(reply["answer"], ANSWERS))


class CommandServer:
    """On the owner: takes commands off the queue and answers each (concurrently: a socket asks
    one thing at a time, so each socket's commands still come in order)."""

    def __init__(self, redis: Redis, apply: Apply) -> None:
        self.redis = redis
        self.apply = apply
        self._running: set[asyncio.Task[None]] = set()

    async def serve(self) -> None:
        try:
            while True:
                try:
                    item = await self.redis.blpop([QUEUE], timeout=1)
                except (RedisError, OSError) as error:
                    log.error("taking commands failed: %s", type(error).__name__)
                    await asyncio.sleep(0.5)
                    continue
                if item is not None:
                    task = asyncio.create_task(self._answer(json.loads(item[1])))
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
        finally:
            for task in self._running:
                task.cancel()

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
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.rpush(key, json.dumps(reply))
                pipe.expire(key, REPLY_TTL_S)
                await pipe.execute()
        except (RedisError, OSError) as error:
            log.error("answering failed: %s", type(error).__name__)

"""Sliding counters shared by every process of a service, in Redis: a sorted set per key whose
members are the events' times, trimmed to the window on every look and expiring with it. Kept
in Redis's memory only, like the one-process counters are in the process's: nothing of them is
written to the database, and an address is forgotten once its window has passed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import RedisError

from chat.base.ratelimit import Counting, CountingFactory, CountingUnavailable


class RedisCounting:
    def __init__(self, redis: Redis, name: str, *, limit: int, window: float) -> None:
        self.redis = redis
        self.name = name
        self.limit = limit
        self.window = window

    def _key(self, key: str) -> str:
        return f"neuvo:limit:{self.name}:{key}"

    async def exceeded(self, key: str, now: float) -> bool:
        if self.limit <= 0:
            return False

        def count(pipe: Pipeline) -> None:
            pipe.zremrangebyscore(self._key(key), "-inf", now - self.window)
            pipe.zcard(self._key(key))

        _, events = await self._run(count)
        return int(events) >= self.limit

    async def add(self, key: str, now: float) -> None:
        def add(pipe: Pipeline) -> None:
            pipe.zadd(self._key(key), {f"{now}:{secrets.token_hex(4)}": now})
            pipe.pexpire(self._key(key), int(self.window * 1000))

        await self._run(add)

    async def take(self, key: str, now: float) -> bool:
        """Add, then count, in one transaction; an event past the limit is removed again."""
        member = f"{now}:{secrets.token_hex(4)}"

        def take(pipe: Pipeline) -> None:
            pipe.zremrangebyscore(self._key(key), "-inf", now - self.window)
            pipe.zadd(self._key(key), {member: now})
            pipe.pexpire(self._key(key), int(self.window * 1000))
            pipe.zcard(self._key(key))

        *_, events = await self._run(take)
        if self.limit <= 0 or int(events) <= self.limit:
            return True
        await self._run(lambda pipe: pipe.zrem(self._key(key), member))
        return False

    async def take_back(self, key: str) -> None:
        await self._run(lambda pipe: pipe.zpopmax(self._key(key)))

    async def clear(self, key: str) -> None:
        await self._run(lambda pipe: pipe.delete(self._key(key)))

    async def _run(self, build: Callable[[Pipeline], object]) -> list[Any]:
        """The commands in one transaction; once more on a fresh connection when the pooled one
        was dropped (Redis restarted); CountingUnavailable when Redis cannot be reached."""
        for attempt in (1, 2):
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    build(pipe)
                    answers: list[Any] = await pipe.execute()
                    return answers
            except (RedisError, OSError) as error:
                if attempt == 2:
                    raise CountingUnavailable(type(error).__name__) from error
        raise AssertionError("unreachable")


def redis_counting(redis: Redis) -> CountingFactory:
    def make(name: str, limit: int, window: float) -> Counting:
        return RedisCounting(redis, name, limit=limit, window=window)

    return make

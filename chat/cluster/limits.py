"""Sliding counters shared by every process of a service, in Redis: a sorted set per key whose
members are the events' times, trimmed to the window on every look and expiring with it. Kept
in Redis's memory only, like the one-process counters are in the process's: nothing of them is
written to the database, and an address is forgotten once its window has passed."""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from chat.base.ratelimit import Counting, CountingFactory


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
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(self._key(key), "-inf", now - self.window)
            pipe.zcard(self._key(key))
            _, count = await pipe.execute()
        return int(count) >= self.limit

    async def add(self, key: str, now: float) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(self._key(key), {f"{now}:{secrets.token_hex(4)}": now})
            pipe.pexpire(self._key(key), int(self.window * 1000))
            await pipe.execute()

    async def take_back(self, key: str) -> None:
        await self.redis.zpopmax(self._key(key))

    async def clear(self, key: str) -> None:
        await self.redis.delete(self._key(key))


def redis_counting(redis: Redis) -> CountingFactory:
    def make(name: str, limit: int, window: float) -> Counting:
        return RedisCounting(redis, name, limit=limit, window=window)

    return make

"""The dispatcher lease: a Redis key that one process holds at a time, with an expiry it renews.

A holder that dies stops renewing, and after `ttl` another process takes the key. Renewing and
releasing check the holder first, in one Lua script each, so a process never extends or drops a
lease that has meanwhile passed to someone else (the pattern Redis documents for a single-
instance lock).
"""

from __future__ import annotations

from redis.asyncio import Redis

KEY = "neuvo:dispatcher"
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class Lease:
    def __init__(self, redis: Redis, holder: str, *, ttl_ms: int) -> None:
        self.redis = redis
        self.holder = holder
        self.ttl_ms = ttl_ms

    async def hold(self) -> bool:
        """Take the lease when it is free, or renew it when it is ours; whether we hold it now."""
        if await self.redis.set(KEY, self.holder, nx=True, px=self.ttl_ms):
            return True
        return bool(await self.redis.eval(_RENEW, 1, KEY, self.holder, str(self.ttl_ms)))

    async def release(self) -> None:
        await self.redis.eval(_RELEASE, 1, KEY, self.holder)

    async def current_holder(self) -> str | None:
        value = await self.redis.get(KEY)
        return value.decode() if isinstance(value, bytes) else value

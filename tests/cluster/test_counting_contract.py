"""One contract for the per-address counters, in this process's memory and shared through Redis:
`take` checks and counts in one step, so takes sent at once cannot all pass the limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from chat.base.ratelimit import CountingFactory, local_counting
from chat.cluster.limits import redis_counting
from tests.redis_server import RedisServer, redis_server


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(params=["memory", "redis"])
async def counting(request: pytest.FixtureRequest, redis: RedisServer) -> AsyncIterator[CountingFactory]:
    if request.param == "memory":
        yield local_counting
        return
    client = Redis.from_url(redis.url)
    await client.flushdb()
    yield redis_counting(client)
    await client.aclose()


async def test_takes_sent_at_once_pass_exactly_up_to_the_limit(counting: CountingFactory) -> None:
    counter = counting("contract", 5, 60)
    now = time.time()
    taken = await asyncio.gather(*(counter.take("203.0.113.9", now) for _ in range(100)))
    assert sum(taken) == 5
    assert await counter.take("198.51.100.1", now)  # another address has its own count


async def test_a_take_is_allowed_again_once_the_window_has_passed(counting: CountingFactory) -> None:
    counter = counting("window", 2, 10)
    now = time.time()
    assert [await counter.take("a", now) for _ in range(3)] == [True, True, False]
    assert await counter.take("a", now + 10.5)


async def test_limit_0_turns_the_counter_off(counting: CountingFactory) -> None:
    counter = counting("off", 0, 10)
    assert all([await counter.take("a", time.time()) for _ in range(20)])

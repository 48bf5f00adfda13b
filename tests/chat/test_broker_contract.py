"""The broker contract, run against every backend: frames published on a channel reach that
channel's subscribers (in another process too, for Redis), in order, and nobody else's; a
subscriber that may have missed frames is told so and resumes from storage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack

import pytest

from chat.broker import Broker
from chat.broker.memory import MemoryBroker
from chat.broker.redis import RedisBroker
from chat.wire.outgoing import MessageOut, SignedOut
from tests.broker_inbox import Lost, subscribe
from tests.redis_server import RedisServer, redis_server

WAIT = 5.0


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(params=["memory", "redis"])
async def brokers(request: pytest.FixtureRequest, redis: RedisServer) -> AsyncIterator[tuple[Broker, Broker]]:
    """A publishing and a subscribing broker: for Redis two, as two processes would have."""
    async with AsyncExitStack() as stack:
        if request.param == "memory":
            memory = MemoryBroker()
            yield memory, memory
            return
        pair = (RedisBroker(redis.url), RedisBroker(redis.url))
        for broker in pair:
            await broker.connect()
            stack.push_async_callback(broker.disconnect)
        yield pair


def line(seq: int) -> MessageOut:
    return MessageOut(seq=seq, sender="visitor", text=f"line {seq} päivää", at="2026-11-24T10:00:00+02:00")


async def test_a_frame_reaches_its_channels_subscribers_in_order_and_no_one_else(
    brokers: tuple[Broker, Broker],
) -> None:
    publisher, subscriber = brokers
    async with subscribe(subscriber, "visitor:a") as mine, subscribe(subscriber, "visitor:b") as other:
        for seq in range(1, 21):
            await publisher.publish("visitor:a", line(seq))
        await publisher.publish("advisor:x", SignedOut())
        got = [await asyncio.wait_for(mine.get(), WAIT) for _ in range(20)]
        assert got == [line(seq) for seq in range(1, 21)]
        await publisher.publish("visitor:b", line(99))
        assert await asyncio.wait_for(other.get(), WAIT) == line(99)  # b got nothing before this


async def test_every_subscriber_of_a_channel_gets_each_frame(brokers: tuple[Broker, Broker]) -> None:
    publisher, subscriber = brokers
    async with subscribe(subscriber, "visitor:a") as first, subscribe(publisher, "visitor:a") as second:
        await publisher.publish("visitor:a", line(1))
        assert await asyncio.wait_for(first.get(), WAIT) == line(1)
        assert await asyncio.wait_for(second.get(), WAIT) == line(1)


async def test_after_the_last_subscriber_leaves_frames_go_nowhere_and_a_new_one_gets_only_new_ones(
    brokers: tuple[Broker, Broker],
) -> None:
    publisher, subscriber = brokers
    async with subscribe(subscriber, "visitor:a") as gone:
        await publisher.publish("visitor:a", line(1))
        assert await asyncio.wait_for(gone.get(), WAIT) == line(1)
    await publisher.publish("visitor:a", line(2))
    await publisher.flushed()  # gone out before the new subscriber listens
    async with subscribe(subscriber, "visitor:a") as fresh:
        await publisher.publish("visitor:a", line(3))
        assert await asyncio.wait_for(fresh.get(), WAIT) == line(3)


async def test_a_redis_restart_tells_subscribers_to_resync_and_delivery_resumes(redis: RedisServer) -> None:
    publisher, subscriber = RedisBroker(redis.url), RedisBroker(redis.url)
    await publisher.connect()
    await subscriber.connect()
    try:
        async with subscribe(subscriber, "visitor:a") as before:
            redis.kill()
            with pytest.raises(Lost):  # frames may have been lost: resume from storage
                await asyncio.wait_for(before.get(), WAIT)
            await publisher.publish("visitor:a", line(1))  # Redis is down: logged, not raised
            redis.start()  # empty, on the same port
            await asyncio.wait_for(subscriber.subscribed.wait(), WAIT)
            async with subscribe(subscriber, "visitor:a") as after:
                await publisher.publish("visitor:a", line(2))
                assert await asyncio.wait_for(after.get(), WAIT) == line(2)
    finally:
        await publisher.disconnect()
        await subscriber.disconnect()

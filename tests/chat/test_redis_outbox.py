"""The ordered Redis outbox (chat.broker.outbox) against a real redis-server: what is put goes
out once, in the order put; a caller that waits for its command hears when Redis cannot take
it; and a backlog Redis does not take is bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat.broker import outbox
from chat.broker.outbox import Outbox
from tests.redis_server import RedisServer, redis_server


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture
async def client(redis: RedisServer) -> AsyncIterator[Redis]:
    connection = Redis.from_url(redis.url)
    yield connection
    await connection.aclose()


async def test_commands_put_one_by_one_arrive_once_each_in_the_order_put(client: Redis) -> None:
    box = Outbox(client, "test")
    box.start()
    try:
        for n in range(2500):
            box.put("RPUSH", "outbox:order", n)
        await box.drained()
        assert [int(v) for v in await client.lrange("outbox:order", 0, -1)] == list(range(2500))
        stats = await client.info("commandstats")
        assert stats["cmdstat_rpush"]["calls"] == 2500  # each once
    finally:
        await box.stop()


async def test_a_waiting_caller_hears_that_redis_is_gone_and_others_are_only_logged(
        client: Redis, redis: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    box = Outbox(client, "test")
    box.start()
    try:
        redis.kill()
        box.put("PUBLISH", "visitor:a", "dropped")  # nobody waits for it: logged
        with pytest.raises((RedisError, OSError)):
            await box.put_tracked("RPUSH", "outbox:gone", 1)
        assert any("test failed" in record.getMessage() for record in caplog.records)
        redis.start()
        await box.put_tracked("RPUSH", "outbox:back", 1)  # the next batch goes out again
        assert await client.lrange("outbox:back", 0, -1) == [b"1"]
    finally:
        await box.stop()


async def test_beyond_its_bound_the_outbox_refuses_instead_of_growing(
        client: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox, "MAX_PENDING", 3)
    box = Outbox(client, "test")  # not started: nothing leaves, as when Redis hangs
    for n in range(3):
        box.put("RPUSH", "outbox:bound", n)
    with pytest.raises(ConnectionError, match="not keeping up"):
        await box.put_tracked("RPUSH", "outbox:bound", 3)
    box.start()
    await box.drained()
    assert [int(v) for v in await client.lrange("outbox:bound", 0, -1)] == [0, 1, 2]
    await box.stop()

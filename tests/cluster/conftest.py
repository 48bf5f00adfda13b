"""Several real `neuvo serve` processes on one real PostgreSQL and one real redis-server."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from chat.base.clock import SystemClock
from chat.base.settings import Settings
from chat.ops.demo import seed
from storage.database import Database
from storage.setup import prepare
from tests.postgres import new_database, postgres_server
from tests.processes import Server
from tests.redis_server import RedisServer, redis_server


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with postgres_server() as base_url:
        yield base_url


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@dataclass
class Cluster:
    env: dict[str, str]
    logs: Path
    servers: list[Server] = field(default_factory=list)

    async def add(self) -> Server:
        server = Server(self.env, self.logs / f"serve-{len(self.servers)}.log")
        self.servers.append(server)
        await server.ready()
        return server


@pytest.fixture
async def cluster(postgres: str, redis: RedisServer, tmp_path: Path) -> AsyncIterator[Cluster]:
    """The demo service (open now, anna fi+en, bertil sv+fi, chloe en on shift) on a fresh
    database; processes are added by the test."""
    url = new_database(postgres)
    db = Database(url)
    await prepare(db)
    await seed(db, Settings.from_env({}, database_url=url), SystemClock().now())
    await db.close()
    env = {"NEUVO_DATABASE_URL": url, "NEUVO_REDIS_URL": redis.url, "NEUVO_SECRET_KEY": secrets.token_hex(16),
           "NEUVO_LEASE_S": "2", "NEUVO_TICK_S": "0.25"}
    running = Cluster(env=env, logs=tmp_path)
    try:
        yield running
    finally:
        for server in running.servers:
            server.kill()

"""(d) The active chats of (b) at its top load on PostgreSQL + Redis, on 1 and on 2 `neuvo serve`
processes (clients spread over their ports), beside the same relay. The PostgreSQL server and
redis-server are started here (as the tests start them: PostgreSQL with fsync off, i.e. durable
against a crashed process like SQLite's synchronous=NORMAL, not against a power cut) unless
--database and --redis name servers of their own."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bench import procfs
from bench.harness import Harness
from bench.scenarios import active
from bench.targets import Backend
from tests.postgres import postgres_server
from tests.redis_server import redis_server


@contextlib.asynccontextmanager
async def _servers(harness: Harness) -> AsyncIterator[tuple[str, str]]:
    if harness.backend.database and harness.backend.redis:
        yield harness.backend.database, harness.backend.redis
        return
    with postgres_server() as database, redis_server() as redis:
        # Their processes, for the database's CPU figure: the postmaster (its backends are its
        # children) and redis-server, found by the ports they were given.
        harness.database_pids = [*procfs.pids_with(f"port={database.rsplit(':', 1)[1]}"),
                                 *procfs.pids_with("redis-server", f":{redis.port}")]
        try:
            yield database, redis.url
        finally:
            harness.database_pids = []


async def run(harness: Harness) -> list[dict[str, Any]]:
    chats = max(harness.plan.chats)
    results = []
    async with _servers(harness) as (database, redis):
        for n, processes in enumerate(harness.plan.cluster_processes):
            backend = Backend(database=database, redis=redis, processes=processes)
            result = await harness.attempt(f"{processes} processes", active.run_at(harness, chats, backend,
                                                                                    with_relay=n == 0))
            results.append({"processes": processes, "chats": chats, **result})
    return results

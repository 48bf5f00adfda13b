"""A real redis-server for tests, on a free loopback port, nothing written to disk; it can be
killed and started again empty on the same port (a Redis restart)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self._process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:  # redis-server says nothing when it is ready: its port answering is the sign
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.02)

    def kill(self) -> None:
        """kill -9: whatever Redis held is gone."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


async def lease_holder(url: str, *, not_pid: int | None = None) -> str:
    """Return once a process (other than `not_pid`) holds the dispatcher lease, woken by Redis's
    own keyspace notifications of the lease key rather than by polling."""
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        await redis.config_set("notify-keyspace-events", "Kgx$")
        async with redis.pubsub() as pubsub:
            await pubsub.subscribe("__keyspace@0__:neuvo:dispatcher")
            while True:
                holder = await redis.get("neuvo:dispatcher")
                if holder is not None and (not_pid is None or f":{not_pid}:" not in holder.decode()):
                    return str(holder.decode())
                await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
    finally:
        await redis.aclose()

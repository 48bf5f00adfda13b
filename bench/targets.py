"""What a run measures, started fresh for every run and stopped after it: Neuvo (one process on
SQLite in a temporary folder, or N `neuvo serve` processes on PostgreSQL and Redis) or the bare
relay. Clients spread over the target's ports; CPU and memory are read from its processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import httpx
from redis.asyncio import Redis

from bench import procfs
from bench.seed import seed, usernames
from tests.redis_server import lease_holder

# Every simulated visitor comes from 127.0.0.1 and writes faster than a person: the per-address
# and per-socket limits would measure themselves, not the service.
UNLIMITED = {
    "NEUVO_VISITOR_RATE": "1000",
    "NEUVO_ADVISOR_RATE": "100000",
    "NEUVO_CHAT_RATE": "1000",
    "NEUVO_CHATS_PER_ADDRESS": "0",
    "NEUVO_WAITING_PER_ADDRESS": "0",
    "NEUVO_CONNECTIONS_PER_ADDRESS": "0",
    "NEUVO_LOGIN_FAILURES": "100000",
    "NEUVO_FIRST_FRAME_S": "600",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Backend:
    """Where Neuvo keeps its state: SQLite (database None) or a PostgreSQL server (a URL without
    a database name; each run gets a database of its own there) with Redis."""

    database: str | None = None
    redis: str | None = None
    processes: int = 1

    @property
    def label(self) -> str:
        if self.database is None:
            return "Neuvo, SQLite, 1 process"
        return f"Neuvo, PostgreSQL + Redis, {self.processes} process{'es' if self.processes > 1 else ''}"


@dataclass
class Process:
    """One server process on a free loopback port, its output in a log file."""

    command: list[str]
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=_free_port)
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("w") as out:
            self.popen = subprocess.Popen([*self.command, "--port", str(self.port)], env={**os.environ, **self.env},
                                          stdout=out, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    async def ready(self) -> None:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}") as client:
            for _ in range(1200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/healthz")).status_code == 200:
                        return
                if self.popen is None or self.popen.poll() is not None:
                    break
                await asyncio.sleep(0.05)  # a process coming up announces it to nobody
        raise RuntimeError(f"{self.command} did not come up:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def error_lines(self) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines()
                if "Traceback" in line or "ERROR" in line]


@dataclass
class Target:
    label: str
    processes: list[Process]
    usernames: list[str]
    database_pids: list[int] = field(default_factory=list)  # a PostgreSQL's postmaster, redis-server

    @property
    def ports(self) -> list[int]:
        return [p.port for p in self.processes]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def cpu_s(self) -> float:
        return procfs.total_cpu_s(self.pids)

    def database_cpu_s(self) -> float:
        pids = [*self.database_pids, *(c for p in self.database_pids for c in procfs.children(p))]
        return procfs.total_cpu_s(pids)

    def rss_kib(self) -> int:
        return sum(procfs.rss_kib(pid) for pid in self.pids)

    def error_lines(self) -> list[str]:
        return [line for p in self.processes for line in p.error_lines()]


@contextlib.asynccontextmanager
async def _running(target: Target) -> AsyncIterator[Target]:
    try:
        for process in target.processes:
            process.start()
        await asyncio.gather(*(p.ready() for p in target.processes))
        yield target
    finally:
        for process in target.processes:
            process.stop()


@contextlib.asynccontextmanager
async def relay(workdir: Path, *, advisors: int, capacity: int) -> AsyncIterator[Target]:
    log = workdir / f"relay-{secrets.token_hex(4)}.log"
    process = Process([sys.executable, "-m", "bench.relay", "--capacity", str(capacity)], {}, log)
    async with _running(Target("bare relay", [process], usernames(advisors))) as target:
        yield target


@contextlib.asynccontextmanager
async def neuvo(workdir: Path, backend: Backend, *, advisors: int, capacity: int,
                database_pids: list[int] | None = None) -> AsyncIterator[Target]:
    run = secrets.token_hex(4)
    if backend.database is None:
        url = f"sqlite:///{workdir / f'neuvo-{run}.db'}"
    else:
        url = await _new_database(backend.database, f"neuvo_bench_{run}")
    names = await seed(url, advisors=advisors, capacity=capacity)
    env = {**UNLIMITED, "NEUVO_DATABASE_URL": url, "NEUVO_SECRET_KEY": secrets.token_hex(16)}
    if backend.redis is not None:
        env["NEUVO_REDIS_URL"] = backend.redis
        await _empty(backend.redis)
    processes = [Process([sys.executable, "-m", "chat", "serve"], env, workdir / f"serve-{run}-{n}.log")
                 for n in range(backend.processes)]
    async with _running(Target(backend.label, processes, names, database_pids or [])) as target:
        if backend.redis is not None:
            await asyncio.wait_for(lease_holder(backend.redis), 60)  # routing runs once a process holds it
        yield target


async def _new_database(server: str, name: str) -> str:
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{server}/{name}"


async def _empty(url: str) -> None:
    """The lease and counters of an earlier run would hold this one up (--redis says so)."""
    redis = Redis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()

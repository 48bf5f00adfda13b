"""Engine, transactions and migrations for the one database Neuvo keeps its record in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from storage.direct_sqlite import DirectSQLite
from storage.sqlite_tuning import sqlite_tuning

MIGRATIONS = Path(__file__).with_name("migrations")
# The session type callers hold inside `Database.transaction()`; repositories take it.
Session = AsyncSession


def async_url(url: str) -> str:
    """Map the operator-facing URL to the async driver Neuvo uses for it."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    if url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        return url
    raise ValueError(f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:/// or postgresql://")


def _begin_immediate(connection: sa.Connection) -> None:
    # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when
    # another connection wrote in between; taking the write lock at BEGIN makes it wait instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and a way to run one unit of work in one transaction."""

    def __init__(self, url: str, *, busy_timeout_s: float = 10.0) -> None:
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        options: dict[str, Any] = {}
        if not self.is_sqlite:
            options = {"pool_size": 20, "max_overflow": 20, "pool_pre_ping": True}
        # hide_parameters: an error's message must not carry what a visitor wrote into the logs.
        self.engine: AsyncEngine = create_async_engine(self.url, hide_parameters=True, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", sqlite_tuning(busy_timeout_s))
            event.listen(self.engine.sync_engine, "begin", _begin_immediate)
        # SQLite has one writer at a time anyway; queueing here is fairer and cheaper than
        # connections polling the file lock.
        self._sqlite_writer = asyncio.Lock() if self.is_sqlite else None
        self.busy_timeout_s = busy_timeout_s
        self._direct: DirectSQLite | None = None

    @property
    def direct(self) -> DirectSQLite:
        """SQLite: the same file through the standard library's driver, for `in_one_trip`; made
        at first use."""
        if self._direct is None:
            self._direct = DirectSQLite(self.url.split(":///", 1)[1], busy_timeout_s=self.busy_timeout_s)
        return self._direct

    async def in_one_trip(self, work: Callable[[DBAPIConnection], None]) -> None:
        """SQLite: `work` on the driver's connection in one transaction: committed at once on
        the event loop's thread when nothing else holds the write lock, otherwise in one trip to
        a worker thread that waits for it (see storage.direct_sqlite). The process's writer
        lock is held throughout the trip, as by `transaction`, and to the end of the thread's
        work even if the caller is cancelled meanwhile."""
        assert self._sqlite_writer is not None, "SQLite only"
        if not self._sqlite_writer.locked() and self.direct.commit_now(work):
            return  # nothing of this process's could run meanwhile: no lock to take
        async with asyncio.timeout(self.busy_timeout_s):
            await self._sqlite_writer.acquire()
        try:
            await _to_the_end(self.direct.in_one_trip(work))
        finally:
            self._sqlite_writer.release()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits when the block ends and rolls back if it raises. On
        SQLite a transaction waits for this process's writer lock at most the busy timeout, then
        fails with TimeoutError (a storage failure): when another process holds the file, each
        one ahead in the queue waits that long for it, and a queue of them must not add up.

        The end (commit or rollback, and the connection back to the pool) is carried through
        even when the task is cancelled meanwhile, and the cancellation goes on after it: see
        `_to_the_end`."""
        async with AsyncExitStack() as stack:
            if self._sqlite_writer is not None:
                async with asyncio.timeout(self.busy_timeout_s):
                    await self._sqlite_writer.acquire()
                stack.callback(self._sqlite_writer.release)
            session = AsyncSession(self.engine, expire_on_commit=False)
            try:
                yield session
            except BaseException:
                await _to_the_end(session.close())  # rolls back what the block began
                raise
            await _to_the_end(_commit_and_close(session))

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        """One of the engine's connections, outside `transaction`; back to the pool to the end,
        as there."""
        connection = await self.engine.connect()
        try:
            yield connection
        finally:
            await _to_the_end(connection.close())

    async def migrate(self) -> None:
        """Bring the schema to the newest migration (an empty database included)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file and truncate it, so pages of
        deleted rows written earlier do not stay in the WAL (after a purge). Nothing elsewhere."""
        if not self.is_sqlite:
            return
        async with AsyncExitStack() as stack:
            if self._sqlite_writer is not None:
                await stack.enter_async_context(self._sqlite_writer)
            connection = await stack.enter_async_context(self._connection())
            # On the driver's own connection: SQLAlchemy would wrap it in BEGIN IMMEDIATE, and
            # SQLite does not checkpoint inside a transaction.
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None, "an open connection has its driver's"
            await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def ping(self) -> bool:
        try:
            async with self._connection() as connection:
                await connection.execute(sa.text("SELECT 1"))
        except (OSError, sa.exc.SQLAlchemyError):
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()
        if self._direct is not None:
            await self._direct.close()
            self._direct = None


async def _commit_and_close(session: AsyncSession) -> None:
    try:
        await session.commit()
    finally:
        await session.close()  # after a failed commit, the rollback


async def _to_the_end(work: Awaitable[None]) -> None:
    """Await `work` to its end even if this task is cancelled meanwhile; then let the
    cancellation go on.

    Ending a transaction (commit or rollback, then the connection back to its pool) is one step
    that must not be cut short. SQLAlchemy, cancelled while it resets a connection coming back
    to its pool (the rollback it sends on the way), logs "Exception during reset or similar"
    with the whole traceback and closes the connection. A stopping server cancels its tasks
    wherever they are (the tick, the line writer, the dispatcher, the purge): now and then at
    that moment."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while not task.done():
        try:
            await asyncio.wait((task,))
        except asyncio.CancelledError:
            cancelled = True
    if cancelled:
        if not task.cancelled():
            task.exception()  # retrieved: what goes on is the cancellation
        raise asyncio.CancelledError
    task.result()


def _upgrade(connection: sa.Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")

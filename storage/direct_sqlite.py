"""SQLite through the standard library's driver, past the async one, for the line writer's
batches: committed on the event loop's own thread when the write lock is free at once, otherwise
in one trip to a worker thread that waits for it.

The async driver crosses to its thread and back for every statement, BEGIN and COMMIT included,
and that crossing was most of what a small write cost (measured for issue 15: about 1 ms of the
event loop per transaction, 40 µs in one trip). The trip itself then was most of what was left
of a line's delivery: a wake-up of the worker, the GIL handed over and back while the loop is
busy, a wake-up of the loop (0.44 ms of the p50 at 1,000 chats, measured for issue 15). In WAL
mode with synchronous=NORMAL a commit writes the log and does not fsync, so a batch's commit on
the loop costs what its statements cost; what could make it wait is kept off the loop: another
process's write lock (the lock is tried once, without a busy timeout, and a busy file sends the
batch to the worker, which waits as before), and checkpoints (the loop's connection does none;
the worker does one every CHECKPOINT_EVERY commits).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection

from storage.sqlite_tuning import sqlite_tuning

log = logging.getLogger("neuvo.storage")
CHECKPOINT_EVERY = 200  # commits on the loop between checkpoints (SQLite's own: about 1,000 pages)

Work = Callable[[DBAPIConnection], None]


class DirectSQLite:
    def __init__(self, path: str, *, busy_timeout_s: float) -> None:
        url = "sqlite:///" + path
        self.in_thread = sa.create_engine(url, hide_parameters=True)
        event.listen(self.in_thread, "connect", sqlite_tuning(busy_timeout_s))
        self.on_loop = sa.create_engine(url, hide_parameters=True, pool_size=1, max_overflow=0)
        event.listen(self.on_loop, "connect", sqlite_tuning(0.0, autocheckpoint=False))
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neuvo-sqlite")
        self._since_checkpoint = 0
        self._checkpoint: asyncio.Future[None] | None = None

    @property
    def engines(self) -> tuple[sa.Engine, sa.Engine]:
        return self.in_thread, self.on_loop

    def commit_now(self, work: Work) -> bool:
        """`work` in one transaction on this thread, if the file's write lock is free at once;
        False (nothing committed) if another connection holds it. What `work` raises rolls back."""
        try:
            _in_transaction(self.on_loop, work)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                return False  # rolled back: the worker's trip does it all again
            raise
        self._since_checkpoint += 1
        if self._since_checkpoint >= CHECKPOINT_EVERY and self._checkpoint is None:
            self._since_checkpoint = 0
            self._checkpoint = asyncio.get_running_loop().run_in_executor(self.thread, self._checkpoint_log)
            self._checkpoint.add_done_callback(self._checkpointed)
        return True

    async def in_one_trip(self, work: Work) -> None:
        """`work` in one transaction in the worker thread, which waits for the write lock up to
        the busy timeout."""
        await asyncio.get_running_loop().run_in_executor(self.thread, _in_transaction, self.in_thread, work)

    def _checkpoint_log(self) -> None:
        with self.in_thread.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None, "an open connection has its driver's"
            # PASSIVE: whatever can be copied without waiting for readers or writers.
            driver.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _checkpointed(self, done: asyncio.Future[None]) -> None:
        self._checkpoint = None
        if not done.cancelled() and done.exception() is not None:
            # The log is copied by the next one (or by any other connection's autocheckpoint).
            log.error("checkpointing the write-ahead log failed: %s", type(done.exception()).__name__)

    async def checkpoints_done(self) -> None:
        """Return once no checkpoint is running."""
        if self._checkpoint is not None:
            await asyncio.wait((self._checkpoint,))

    async def close(self) -> None:
        await self.checkpoints_done()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.thread, self.in_thread.dispose)
        self.on_loop.dispose()
        self.thread.shutdown()


def _in_transaction(engine: sa.Engine, work: Work) -> None:
    """A pooled connection, BEGIN IMMEDIATE (the write lock up front, as the async engine's
    transactions), the work, COMMIT. If anything raised, the pool's reset of the returned
    connection rolls back."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None, "an open connection has its driver's"
        driver.execute("BEGIN IMMEDIATE")
        work(driver)
        driver.execute("COMMIT")

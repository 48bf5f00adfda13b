"""A task cancelled while its transaction ends: a stopping server cancels its tasks wherever they
are (the tick, the line writer, the dispatcher, the purge), and now and then that is while
SQLAlchemy resets a connection coming back to its pool. Cut there, SQLAlchemy logged "Exception
during reset or similar" with a CancelledError traceback (on SQLite; the soak's server log had
one) and closed the connection. Now the end of the transaction is carried through, then the task
is cancelled. The moment is made exact with the pool's own reset event."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import select

from storage.audit import audit
from storage.database import Database
from storage.tables import AuditEntry, Setting

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


@contextmanager
def on_pool_reset(db: Database, act: Callable[[], None]) -> Iterator[None]:
    """`act` whenever the pool resets a connection coming back to it (before its rollback)."""
    pool = db.engine.sync_engine.pool

    def reset(*_: object) -> None:
        act()

    event.listen(pool, "reset", reset)
    try:
        yield
    finally:
        event.remove(pool, "reset", reset)


async def details(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = await session.execute(select(AuditEntry.detail).where(AuditEntry.action == "cancel test"))
        return list(rows.scalars().all())


@pytest.mark.parametrize("fails", [False, True], ids=["committed", "rolled back"])
async def test_a_task_cancelled_while_its_connection_goes_back_to_the_pool_ends_the_transaction_quietly(
    seeded: Database, caplog: pytest.LogCaptureFixture, fails: bool,
) -> None:
    async def write() -> None:
        async with seeded.transaction() as session:
            await audit(session, actor="test", action="cancel test", detail="kept", now=NOW)
            await session.flush()  # the connection is in use: it goes back to the pool at the end
            if fails:
                raise LookupError("the block fails: rolled back")

    writer = asyncio.create_task(write())
    with on_pool_reset(seeded, lambda: writer.cancel() if not writer.done() else None), \
            pytest.raises(asyncio.CancelledError):
        await writer
    assert writer.cancelled()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert seeded.engine.sync_engine.pool.checkedout() == 0
    assert await details(seeded) == ([] if fails else ["kept"])  # and the next transaction runs


async def test_a_caller_cancelled_during_its_trip_to_the_sqlite_thread_waits_for_the_trip_and_it_commits(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'trip.db'}")
    await db.migrate()
    inside, go_on, finished = threading.Event(), threading.Event(), threading.Event()

    def work(driver: Any) -> None:  # in the worker thread, inside BEGIN IMMEDIATE ... COMMIT
        driver.execute("INSERT INTO setting (key, value) VALUES (?, ?)", ("trip", "kept"))
        inside.set()
        go_on.wait(10)
        finished.set()

    # While a transaction of the process's own holds the writer lock, the line writer's work
    # cannot be committed on the loop at once: it waits for the lock and goes to the thread.
    holding, let_go = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with db.transaction():
            holding.set()
            await let_go.wait()

    holder = asyncio.create_task(hold())
    await holding.wait()
    trip = asyncio.create_task(db.in_one_trip(work))
    await asyncio.sleep(0)  # the trip is waiting for the lock
    let_go.set()
    await holder
    await asyncio.get_running_loop().run_in_executor(None, inside.wait)
    trip.cancel()
    # Cancelled, the caller still waits for the thread (and holds the writer lock meanwhile):
    # a caller that let go here would leave a transaction running under the next one's feet.
    await asyncio.wait({trip}, timeout=0.2)
    assert not trip.done()
    go_on.set()
    with pytest.raises(asyncio.CancelledError):
        await trip
    assert finished.is_set()
    async with db.transaction() as session:  # the lock is free again, and the trip committed
        stored = await session.get(Setting, "trip")
    assert stored is not None and stored.value == "kept"
    await db.close()

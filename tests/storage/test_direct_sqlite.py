"""The line writer's SQLite path (storage.direct_sqlite): a batch is committed on the event
loop's own thread when the file's write lock is free, goes to the worker thread when another
process holds it (and is committed there once the lock is let go, exactly once), and the log the
loop writes is copied into the database file by the worker's checkpoints."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from storage.database import Database
from storage.direct_sqlite import CHECKPOINT_EVERY
from tests.faults import WriteLock


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'direct.db'}", busy_timeout_s=10.0)
    await database.migrate()
    yield database
    await database.close()


def setting(key: str, threads: list[str]) -> Any:
    def work(driver: Any) -> None:
        threads.append(threading.current_thread().name)
        driver.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (key, "kept"))

    return work


def stored_keys(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [key for (key,) in connection.execute("SELECT key FROM setting ORDER BY key")]


async def test_with_the_write_lock_free_the_work_is_committed_on_the_loops_own_thread(
    db: Database, tmp_path: Path
) -> None:
    threads: list[str] = []
    await db.in_one_trip(setting("one", threads))
    assert threads == [threading.current_thread().name]
    assert stored_keys(tmp_path / "direct.db") == ["one"]


async def test_with_another_process_holding_the_lock_the_work_waits_in_the_worker_and_commits_once(
    db: Database, tmp_path: Path
) -> None:
    threads: list[str] = []
    async with WriteLock(tmp_path / "direct.db"):
        trip = asyncio.create_task(db.in_one_trip(setting("later", threads)))
        done, _ = await asyncio.wait({trip}, timeout=0.3)
        assert not done  # waiting in the worker for the lock; the loop is not held
    await trip
    assert len(threads) == 1 and threads[0].startswith("neuvo-sqlite")
    assert stored_keys(tmp_path / "direct.db") == ["later"]


async def test_what_the_loop_commits_is_copied_from_the_log_into_the_database_file(
    db: Database, tmp_path: Path
) -> None:
    threads: list[str] = []
    for n in range(CHECKPOINT_EVERY):
        await db.in_one_trip(setting(f"k{n:04d}", threads))
    await db.direct.checkpoints_done()
    # The database file alone, without its write-ahead log, holds every row: a checkpoint ran.
    shutil.copy(tmp_path / "direct.db", tmp_path / "copy.db")
    assert len(stored_keys(tmp_path / "copy.db")) == CHECKPOINT_EVERY
    assert set(threads) == {threading.current_thread().name}

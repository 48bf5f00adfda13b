"""Real storage faults on SQLite, for tests of what the service does under them: another process
holding the database's write lock, and a full disk.

A full disk is a small tmpfs that the test mounts and fills with a ballast file, where this
machine lets a test mount one (root with CAP_SYS_ADMIN); everywhere, SQLite's own page limit on
the server's connections, which refuses any write that would grow the file with SQLITE_FULL
("database or disk is full"), the very error a full disk gives.
"""

from __future__ import annotations

import asyncio
import errno
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy import event

from storage.database import Database

# Holds BEGIN EXCLUSIVE until its stdin closes; says "locked" once it holds it.
_LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""
SQLITE_MAX_PAGES = 4294967294  # SQLite's own ceiling for max_page_count (it clamps to it)


def sqlite_file(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite:///"))


class WriteLock:
    """Another process holding the SQLite file's write lock (BEGIN EXCLUSIVE), as a CLI command or
    a backup would, from entering the block until leaving it."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> WriteLock:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _LOCKER, str(self.database),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        assert self.process.stdout is not None
        assert await self.process.stdout.readline() == b"locked\n"
        return self

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.close()
        assert await self.process.wait() == 0


class FullDisk(Protocol):
    async def fill(self) -> None:
        """From now on, a write that needs more room fails as on a full disk."""

    async def free(self) -> None:
        """Room again."""


@contextmanager
def small_filesystem(size: str = "16m") -> Iterator[Path | None]:
    """A tmpfs of its own mounted on a fresh folder, or None where this machine refuses the mount."""
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        folder.rmdir()
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


class FilledFilesystem:
    """The database's own filesystem, filled up to the last block by a ballast file."""

    def __init__(self, folder: Path, db: Database) -> None:
        self.ballast = folder / "ballast"
        self.db = db

    async def fill(self) -> None:
        # The write-ahead log emptied first, so the next commit must grow it; otherwise SQLite
        # would go on rewriting the log's old frames in place for a while, needing no new block.
        await self.db.checkpoint()
        descriptor = os.open(self.ballast, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(descriptor, bytes(65536))
        except OSError as full:
            assert full.errno == errno.ENOSPC, full
        try:
            while True:  # the last blocks, smaller than the chunks above
                os.write(descriptor, bytes(512))
        except OSError as full:
            assert full.errno == errno.ENOSPC, full
        finally:
            os.close(descriptor)

    async def free(self) -> None:
        self.ballast.unlink()


class PageLimit:
    """SQLite's max_page_count on every connection the server takes from its pool: while full,
    the file may not grow past the pages it has, and a write that would fails with SQLITE_FULL.
    (A pragma is per connection, so it is set as each one is checked out.)"""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.limit = SQLITE_MAX_PAGES
        event.listen(db.engine.sync_engine, "checkout", self._apply)

    def _apply(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={self.limit:d}")
        cursor.close()

    async def fill(self) -> None:
        async with self.db.engine.connect() as connection:
            self.limit = int((await connection.exec_driver_sql("PRAGMA page_count")).scalar_one())

    async def free(self) -> None:
        self.limit = SQLITE_MAX_PAGES

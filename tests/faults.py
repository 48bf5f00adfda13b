"""Real storage faults on SQLite, for tests of what the service does under them: another process
holding the database's write lock, and a full disk.

A full disk is a tmpfs that the test mounts and then shrinks to what it holds, where this machine
lets a test mount one (root with CAP_SYS_ADMIN); everywhere, SQLite's own page limit on the
server's connections, which refuses any write that would grow the file with SQLITE_FULL
("database or disk is full"), the very error a full disk gives.
"""

from __future__ import annotations

import asyncio
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


class SmallFilesystem:
    """A tmpfs of its own: full when shrunk to exactly what it holds (a remount, so no ballast
    has to be written), free again when grown back."""

    def __init__(self, folder: Path, size: int) -> None:
        self.folder = folder
        self.size = size

    def fill(self) -> None:
        while True:
            stats = os.statvfs(self.folder)
            used = (stats.f_blocks - stats.f_bfree) * stats.f_frsize
            # Fails when a write got in between and the files outgrew `used`: measure again.
            if _remount(self.folder, used):
                return

    def free(self) -> None:
        assert _remount(self.folder, self.size), "growing a tmpfs back is always allowed"


@contextmanager
def small_filesystem(size: int = 256 * 1024 * 1024) -> Iterator[SmallFilesystem | None]:
    """A tmpfs mounted on a fresh folder for the block, or None where this machine refuses the
    mount (no root, no CAP_SYS_ADMIN). Its size is a ceiling: tmpfs takes memory as it fills."""
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        folder.rmdir()
        yield None
        return
    try:
        yield SmallFilesystem(folder, size)
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def _remount(folder: Path, size: int) -> bool:
    done = subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], capture_output=True, check=False)
    return done.returncode == 0


class FullFilesystem:
    """The database's own filesystem, made full (FullDisk)."""

    def __init__(self, filesystem: SmallFilesystem, db: Database) -> None:
        self.filesystem = filesystem
        self.db = db

    async def fill(self) -> None:
        # The write-ahead log emptied first, so the next commit must grow it; otherwise SQLite
        # would go on rewriting the log's old frames in place for a while, needing no new block.
        await self.db.checkpoint()
        self.filesystem.fill()

    async def free(self) -> None:
        self.filesystem.free()


class PageLimit:
    """SQLite's max_page_count on every connection the server takes from its pools (the async
    engine's, and the two direct ones the line writer uses): while full, the file may not grow past
    the pages it has, and a write that would fails with SQLITE_FULL. (A pragma is per
    connection, so it is set as each one is checked out.)"""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.limit = SQLITE_MAX_PAGES
        for engine in (db.engine.sync_engine, *db.direct.engines):
            event.listen(engine, "checkout", self._apply)

    def _apply(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={self.limit:d}")
        cursor.close()

    async def fill(self) -> None:
        async with self.db.engine.connect() as connection:
            self.limit = int((await connection.exec_driver_sql("PRAGMA page_count")).scalar_one())

    async def free(self) -> None:
        self.limit = SQLITE_MAX_PAGES

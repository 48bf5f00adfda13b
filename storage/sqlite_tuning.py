"""How every SQLite connection Neuvo opens is set up: the async engine's and the direct ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def sqlite_tuning(busy_timeout_s: float, *, autocheckpoint: bool = True) -> Callable[[Any, Any], None]:
    """A "connect" listener. `autocheckpoint=False` leaves checkpointing to someone else: the
    commit that crosses SQLite's threshold would otherwise copy the log into the file, fsyncs
    included, inside the commit, and a commit on the event loop must not wait for a disk."""

    def tune(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets the CLI write while the server reads; busy_timeout makes a writer wait that
        # long for another process's write lock before it fails with "database is locked" (a
        # storage failure: the client hears `unavailable` and retries). The driver's own BEGIN is
        # switched off so that BEGIN IMMEDIATE can take the write lock up front (see
        # storage.database).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout_s * 1000):d}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not just unlinked: a purged transcript leaves no bytes in
        # free pages (see `Database.checkpoint` for the WAL).
        cursor.execute("PRAGMA secure_delete=ON")
        if not autocheckpoint:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    return tune

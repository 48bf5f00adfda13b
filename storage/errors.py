"""Storage failures as the server sees them, so that nothing outside `storage` imports SQLAlchemy.

`STORAGE_FAILURES` is what a caller catches when the database cannot take a write or answer a
read now (lost connection, locked file, disk full, a refused constraint); `Duplicate` is the one
refusal a caller may want to tell apart (a unique key already taken). `is_outage` tells a failure
of the database as a whole from the refusal of one statement.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

Duplicate = IntegrityError
# sqlite3's own: the line writer's statements on SQLite go to the driver directly (storage.messages).
STORAGE_FAILURES: tuple[type[Exception], ...] = (SQLAlchemyError, sqlite3.Error, OSError)


def is_outage(error: BaseException) -> bool:
    """Whether the database as a whole cannot work now (SQLite locked by another process past the
    busy timeout or its disk full, a connection lost, the pool exhausted), so that the same work
    tried again at once, or piece by piece, would fail the same way; not a refused statement."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | OSError | sqlite3.OperationalError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated

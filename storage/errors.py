"""Storage failures as the server sees them, so that nothing outside `storage` imports SQLAlchemy.

`STORAGE_FAILURES` is what a caller catches when the database cannot take a write or answer a
read now (lost connection, locked file, disk full, a refused constraint); `Duplicate` is the one
refusal a caller may want to tell apart (a unique key already taken).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

Duplicate = IntegrityError
STORAGE_FAILURES: tuple[type[Exception], ...] = (SQLAlchemyError, OSError)

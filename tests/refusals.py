"""Real refusals by the real database, for tests of what a failed write does: a trigger that
aborts inserts into a table (those whose `text` is a given value, or all), on SQLite or
PostgreSQL alike."""

from __future__ import annotations

import sqlalchemy as sa

from storage.database import Database


async def refuse_inserts(db: Database, table: str, *, text_is: str | None = None) -> None:
    condition = f"NEW.text = '{text_is}'" if text_is is not None else "true"
    async with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            when = f"WHEN {condition} " if text_is is not None else ""
            await connection.execute(sa.text(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} {when}"
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
            return
        await connection.execute(sa.text(
            f"CREATE FUNCTION refuse_{table}() RETURNS trigger AS $$ BEGIN IF {condition} THEN "
            "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
        await connection.execute(sa.text(
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_{table}()"))


async def accept_inserts(db: Database, table: str) -> None:
    async with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            await connection.execute(sa.text(f"DROP TRIGGER refuse_{table}"))
        else:
            await connection.execute(sa.text(f"DROP TRIGGER refuse_{table} ON {table}"))

"""Make any database ready for use: migrated to the newest schema, with a new service's defaults."""

from __future__ import annotations

import secrets

from storage import service
from storage.database import Database

SECRET_KEY = "secret_key"


async def prepare(db: Database) -> None:
    await db.migrate()
    async with db.transaction() as session:
        await service.seed_defaults(session)
        if await service.get_setting(session, key=SECRET_KEY) is None:
            # Kept in the database so that signed values survive a restart when the operator
            # set no NEUVO_SECRET_KEY.
            await service.set_setting(session, key=SECRET_KEY, value=secrets.token_urlsafe(48))


async def stored_secret_key(db: Database) -> str:
    async with db.transaction() as session:
        value = await service.get_setting(session, key=SECRET_KEY)
    assert value is not None, "prepare() stores a key"
    return value

"""The one way a change to a service's administration is made, by the CLI and the pages alike:
one transaction holding the change and its audit entry, then whoever runs the live service is
told (`changed`: reload the configuration and route again).

A process that runs no live service (the CLI) passes a `changed` that does nothing: the
servers notice the change on their next tick (see chat.live.deadlines).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from chat.base.clock import Clock
from storage import audit
from storage.database import Database, Session

Changed = Callable[[], Awaitable[None]]


async def nobody_to_tell() -> None:
    return None


class Administration:
    def __init__(self, *, db: Database, clock: Clock, tz: ZoneInfo, changed: Changed = nobody_to_tell) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.changed = changed

    @asynccontextmanager
    async def change(self, *, actor: str, action: str, detail: str) -> AsyncIterator[Session]:
        """A transaction for one change; its audit entry is written in the same transaction, and
        the live service is told once it has committed."""
        async with self.db.transaction() as session:
            yield session
            await audit.audit(session, actor=actor, action=action, detail=detail, now=self.clock.now())
        await self.changed()

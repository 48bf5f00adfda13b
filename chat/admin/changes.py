"""The one way a change to a service's administration is made, by the CLI and the pages alike:
one transaction holding the change, its audit entry and a raised configuration version, then
whoever runs the live service is told (`changed`: reload the configuration and route again).

A process that runs no live service (the CLI) passes no `changed`: the servers notice the raised
configuration version (`storage.service.config_version`) on their next look.

The operations themselves are functions by concept beside this module (organisations and
people, hours, roster, settings), each taking the `Administration` and the actor's name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from chat.base.clock import Clock
from storage import audit, service
from storage.database import Database, Session

Changed = Callable[[], Awaitable[None]]


async def nobody_to_tell() -> None:
    return None


@dataclass
class Change:
    """The transaction of one change; `detail` is what its audit entry says, which the change
    may complete once it knows (how many shifts were added, say)."""

    session: Session
    detail: str


class Administration:
    def __init__(self, *, db: Database, clock: Clock, tz: ZoneInfo, changed: Changed = nobody_to_tell) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.changed = changed

    def today(self) -> date:
        """The service's date now: changes of hours apply from it on."""
        return self.clock.now().astimezone(self.tz).date()

    @asynccontextmanager
    async def change(self, *, actor: str, action: str, detail: str = "") -> AsyncIterator[Change]:
        """A transaction for one change; its audit entry and the configuration version's bump
        are written in the same transaction, and the live service is told once it has committed.
        An exception leaves nothing: no change, no audit entry, nobody told."""
        async with self.db.transaction() as session:
            change = Change(session=session, detail=detail)
            yield change
            await audit.audit(session, actor=actor, action=action, detail=change.detail, now=self.clock.now())
            await service.bump_config_version(session)
        await self.changed()

"""A week of the roster with something to warn of, put straight into storage: the seed's
Tuesday 24.11.2026 (08–17 for Anna, Bertil and Chloe; the clock stands at 10:00), and

- Monday 23.11.: Dora's 9–13, over, and Dora deactivated since;
- Wednesday 25.11.: Anna 9–13 and 12–16, overlapping;
- Thursday 26.11.: Bertil 9–16, nothing to warn of;
- Friday 27.11.: closed by an exception date, and Chloe 9–13 on it;
- Saturday 28.11.: no opening hours, and Chloe 10–14."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from chat.live.commands import Reconfigure
from storage import people, roster
from storage import service as stored
from storage.tables import User
from tests.service import PASSWORD_HASH, Service

TZ = ZoneInfo("Europe/Helsinki")
WEEK = "2026-11-23"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=TZ)


async def warned_week(service: Service) -> None:
    async with service.db.transaction() as session:
        kotka = await people.organisation_by_slug(session, slug="kotka")
        assert kotka is not None and kotka.id is not None
        dora = await people.add_user(session, user=User(
            username="dora", name="Dora", organisation_id=kotka.id, role="advisor",
            password_hash=PASSWORD_HASH, languages="fi", active=False))
        ids = {u.username: u.id or 0 for u in await people.all_users(session)}
        await roster.add_shifts(session, shifts=[
            (dora.id or 0, at(23, 9), at(23, 13)),
            (ids["anna"], at(25, 9), at(25, 13)), (ids["anna"], at(25, 12), at(25, 16)),
            (ids["bertil"], at(26, 9), at(26, 16)),
            (ids["chloe"], at(27, 9), at(27, 13)), (ids["chloe"], at(28, 10), at(28, 14)),
        ])
        await stored.set_opening_exception(session, day=date(2026, 11, 27), start=None, end=None)
    await service.live.run(Reconfigure())

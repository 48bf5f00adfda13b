"""A service ready for the benchmark, written straight through storage (the CLI's `user add`
hashes a password per run and takes over a second a command): organisations of up to 20
advisors, every advisor on shift now, open round the clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from bench.parties import LANGUAGE, PASSWORD
from chat.admin.passwords import hash_password
from storage import people, roster, service
from storage.database import Database
from storage.setup import prepare
from storage.tables import User, WeeklyOpeningRow

ADVISORS_PER_ORGANISATION = 20


def usernames(advisors: int) -> list[str]:
    return [f"adv{n:04}" for n in range(advisors)]


async def seed(url: str, *, advisors: int, capacity: int) -> list[str]:
    """Returns the advisors' usernames; they all share PASSWORD."""
    db = Database(url)
    try:
        await prepare(db)
        password_hash = hash_password(PASSWORD)  # once: the same for everybody
        now = datetime.now(UTC)
        names = usernames(advisors)
        async with db.transaction() as session:
            organisations = []
            for n in range(math.ceil(advisors / ADVISORS_PER_ORGANISATION)):
                organisation = await people.add_organisation(session, slug=f"org-{n:02}", name=f"Organisation {n}")
                organisations.append(organisation.id or 0)
            users = [await people.add_user(session, user=User(
                username=username, name=f"Advisor {n}", role="advisor", password_hash=password_hash,
                organisation_id=organisations[n // ADVISORS_PER_ORGANISATION], languages=LANGUAGE, capacity=capacity,
            )) for n, username in enumerate(names)]
            shift = (now - timedelta(hours=12), now + timedelta(hours=36))
            await roster.add_shifts(session, shifts=[(user.id or 0, *shift) for user in users])
            await service.replace_weekly_opening(
                session, rows=[WeeklyOpeningRow(weekday=day, start="00:00", end="24:00") for day in range(7)])
        return names
    finally:
        await db.close()

"""The known case of each organisation's share: today is Tuesday 2026-11-24 10:00 in Helsinki.
Anna (Kotka), Bertil (Kaakko) and Chloe (TE) are each rostered 08:00-17:00 today; Anna also on
Tuesday 2026-10-06 09:00-13:00. The duty log: Anna signed in 08:00-10:00 today and available
08:30-09:30 (1 h on shift), and on 6 October signed in and available 09:00-12:00 (3 h); Bertil
signed in and available 09:00-09:30 today (0.5 h). Kotka's advisors served 4 chats in November
(topic work, Finnish, a 30 s wait), Kaakko's 2."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from storage import people, roster
from storage.tables import ChatStatistic, DutyPeriod
from tests.chat.coordinator_fixtures import csrf_of
from tests.service import Service

TZ = ZoneInfo("Europe/Helsinki")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


async def known_roster_and_duty_log(service: Service) -> dict[str, int]:
    """The known case above; the organisations' ids by slug."""
    async with service.db.transaction() as session:
        users = {u.username: u.id or 0 for u in await people.all_users(session)}
        orgs = {o.slug: o.id or 0 for o in await people.organisations(session)}
        await roster.add_shifts(session, shifts=[(users["anna"], local("2026-10-06T09:00"), local("2026-10-06T13:00"))])
        for who, kind, start, end in (
            ("anna", "signed_in", "2026-11-24T08:00", "2026-11-24T10:00"),
            ("anna", "available", "2026-11-24T08:30", "2026-11-24T09:30"),
            ("anna", "signed_in", "2026-10-06T09:00", "2026-10-06T12:00"),
            ("anna", "available", "2026-10-06T09:00", "2026-10-06T12:00"),
            ("bertil", "signed_in", "2026-11-24T09:00", "2026-11-24T09:30"),
            ("bertil", "available", "2026-11-24T09:00", "2026-11-24T09:30"),
        ):
            session.add(DutyPeriod(user_id=users[who], kind=kind, started_at=local(start), ended_at=local(end)))
        for slug, count in (("kotka", 4), ("kaakko", 2)):
            for n in range(count):
                session.add(ChatStatistic(
                    hour_bucket=local("2026-11-10T10:00") + timedelta(hours=n), local_hour=10 + n, weekday=1,
                    topic="work", language="fi", status="ended", wait_s=30, duration_s=600,
                    organisation_id=orgs[slug], outcome="answered"))
    return orgs


async def promise(client: httpx.AsyncClient, organisation_id: int, hours: str) -> httpx.Response:
    path = f"/coordinator/people/organisations/{organisation_id}"
    csrf = await csrf_of(client, path)
    return await client.post(f"{path}/promise", data={"csrf": csrf, "promise": hours})

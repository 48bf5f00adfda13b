"""The forecast pages' seeded past: Tuesdays' chats, and a draft week that lacks a language."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage import people, roster, rostering
from storage.tables import ChatStatistic
from tests.service import Service

TZ = ZoneInfo("Europe/Helsinki")


async def add_history(service: Service, *, per_hour: int, language: str = "sv", hour: int = 14,
                      weeks: int = 4) -> None:
    """Each of the `weeks` Tuesdays before the 24th: `per_hour` chats at `hour` and the next
    hour, 10 minutes each."""
    async with service.db.transaction() as session:
        for week in range(1, weeks + 1):
            for local_hour in (hour, hour + 1):
                at = datetime(2026, 11, 24, local_hour, tzinfo=TZ) - timedelta(weeks=week)
                for _ in range(per_hour):
                    session.add(ChatStatistic(hour_bucket=at, local_hour=local_hour, weekday=1, topic="work",
                                              language=language, status="ended", wait_s=10, duration_s=600))


async def only_anna_on_tuesday_afternoon(service: Service) -> None:
    """The week of the 24th: every seeded shift cancelled, and Anna (Finnish and English, no
    Swedish) on shift Tuesday 14-16."""
    async with service.db.transaction() as session:
        shifts = await rostering.shifts_with_users(session, start=datetime(2026, 11, 23, tzinfo=TZ),
                                                   end=datetime(2026, 11, 30, tzinfo=TZ))
        for row, _ in shifts:
            row.cancelled_at = datetime(2026, 11, 20, tzinfo=TZ)
        anna = await people.user_by_username(session, username="anna")
        assert anna is not None and anna.id is not None
        await roster.add_shifts(session, shifts=[(anna.id, datetime(2026, 11, 24, 14, tzinfo=TZ),
                                                  datetime(2026, 11, 24, 16, tzinfo=TZ))])

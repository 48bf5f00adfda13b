"""What the forecast reads from storage: past chats as `PastChat`s, a week's draft as a `Plan`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from routing.arrivals import PastChat
from routing.forecast import Staff
from storage import forecasting
from storage.database import Database
from storage.tables import ChatStatistic, RefusedAttempt
from tests.service import TUESDAY_10, seed

TZ = ZoneInfo("Europe/Helsinki")
MONDAY = datetime(2026, 11, 23, tzinfo=TZ)


async def test_past_chats_and_the_draft_of_a_week(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'forecast.db'}")
    await seed(db)
    async with db.transaction() as session:
        for local, status, wait, duration in (("2026-11-24T10:20", "ended", 30, 600),
                                              ("2026-11-24T14:05", "abandoned", 200, None),
                                              ("2026-11-25T15:55", "expired", 900, None),
                                              ("2026-11-30T10:00", "ended", 5, 5)):  # the week after
            at = datetime.fromisoformat(local).replace(tzinfo=TZ)
            session.add(ChatStatistic(hour_bucket=at.replace(minute=0), local_hour=at.hour, weekday=at.weekday(),
                                      topic="work", language="sv", status=status, wait_s=wait, duration_s=duration))
        for local, reason in (("2026-11-26T09:40", "unstaffed"), ("2026-11-26T20:10", "closed")):
            at = datetime.fromisoformat(local).replace(tzinfo=TZ)
            session.add(RefusedAttempt(hour_bucket=at.replace(minute=0).astimezone(UTC), reason=reason, topic="work",
                                       language="fi"))
    week = MONDAY + timedelta(days=7)
    async with db.transaction() as session:
        chats = await forecasting.past_chats(session, start=MONDAY, end=week, tz=TZ)
        plan = await forecasting.draft(session, start=MONDAY, end=week, tz=TZ, closing_grace_s=600)
    await db.close()
    # Abandoned is the visitor leaving; the expired wait was ended by the closing. The visitor
    # refused on Thursday at 9 (nobody on shift) is demand; the one refused as closed is not.
    assert chats == [PastChat(1, 10, "work", "sv", 30.0, 600.0, False),
                     PastChat(1, 14, "work", "sv", 200.0, None, True),
                     PastChat(2, 15, "work", "sv", 900.0, None, False),
                     PastChat(3, 9, "work", "fi", None, None, False, refused=True)]
    # The seed's three advisors, each on shift 08:00-17:00 on Tuesday the 24th.
    assert sorted(plan.staff) == ["anna", "bertil", "chloe"]
    assert plan.staff["bertil"] == Staff("bertil", "kaakko", frozenset({"sv", "fi"}), None, 3)
    assert {(s.advisor, s.start, s.end) for s in plan.shifts} == {
        (name, TUESDAY_10.replace(hour=8), TUESDAY_10.replace(hour=17)) for name in ("anna", "bertil", "chloe")}
    assert plan.hours.is_open(TUESDAY_10) and not plan.hours.is_open(TUESDAY_10.replace(hour=17))
    assert plan.closing_grace_s == 600

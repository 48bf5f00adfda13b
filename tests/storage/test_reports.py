"""Statistics of a seeded month, every number worked out by hand in the comments."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storage import people, reports
from storage.database import Database
from storage.reports import Figure, Row, percentile, suppressed
from storage.tables import ChatStatistic, OfflineMessage, RefusedAttempt
from tests.service import seed

TZ = ZoneInfo("Europe/Helsinki")
UTC = ZoneInfo("UTC")


def hour(text: str) -> datetime:
    """The UTC hour bucket of a local Helsinki time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC).replace(minute=0)


def test_percentiles_use_the_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    assert percentile([300, 10, 60, 90, 30], 50) == 60  # rank ceil(2.5) = 3
    assert percentile([300, 10, 60, 90, 30], 90) == 300  # rank ceil(4.5) = 5
    assert percentile([1, 2, 3, 4], 50) == 2  # rank 2


def test_one_or_two_chats_are_written_less_than_three() -> None:
    assert [suppressed(n) for n in (0, 1, 2, 3, 17)] == ["0", "<3", "<3", "3", "17"]


async def test_a_seeded_month(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'reports.db'}")
    await seed(db)
    async with db.transaction() as session:
        org = {o.slug: o.id for o in await people.organisations(session)}

        def chat(local: str, topic: str, language: str, status: str, wait: int, duration: int | None = None,
                 organisation: str | None = None, outcome: str | None = None, rating: int | None = None) -> None:
            at = datetime.fromisoformat(local).replace(tzinfo=TZ)
            session.add(ChatStatistic(
                hour_bucket=hour(local), local_hour=at.hour, weekday=at.weekday(), topic=topic, language=language,
                status=status, wait_s=wait, duration_s=duration, outcome=outcome, rating=rating,
                organisation_id=org[organisation] if organisation else None,
            ))

        chat("2026-11-02T10:10", "work", "fi", "ended", 30, 600, "kotka", "answered", 5)          # 1 Mon
        chat("2026-11-02T10:40", "education", "fi", "ended", 90, 1200, "kotka", "referred", 4)    # 2 Mon
        chat("2026-11-03T14:05", "work", "sv", "ended", 10, 300, "kaakko", "answered")            # 3 Tue
        chat("2026-11-03T14:50", "work", "en", "ended", 300, 900, "te", "answered", 2)            # 4 Tue
        chat("2026-11-04T09:15", "wellbeing", "fi", "abandoned", 120)                             # 5 Wed
        chat("2026-11-05T11:00", "education", "sv", "ended", 45)  # 6 Thu: visitor left the queue
        chat("2026-11-27T15:55", "work", "fi", "expired", 800)                                    # 7 Fri
        chat("2026-11-01T00:30", "work", "fi", "ended", 60, 60, "kotka", "answered", 5)           # 8 Sun, first hour
        chat("2026-10-31T23:30", "work", "fi", "ended", 5, 5, "kotka", "answered", 1)             # October
        chat("2026-12-01T00:30", "work", "fi", "ended", 5, 5, "kotka", "answered", 1)             # December
        for local, reason in (("2026-11-07T12:00", "closed"), ("2026-11-08T12:00", "closed"),
                              ("2026-11-30T23:00", "closed"), ("2026-11-10T12:00", "unstaffed"),
                              ("2026-12-01T08:00", "closed")):
            session.add(RefusedAttempt(hour_bucket=hour(local), reason=reason, topic="work", language="fi"))
        for local in ("2026-11-07T12:00", "2026-11-29T18:00", "2026-10-30T12:00"):
            at = datetime.fromisoformat(local).replace(tzinfo=TZ)
            session.add(OfflineMessage(topic="work", language="fi", text="hello", created_at=at))

    start = datetime(2026, 11, 1, tzinfo=TZ)
    end = datetime(2026, 12, 1, tzinfo=TZ)
    async with db.transaction() as session:
        month = await reports.report(session, start=start, end=end)
    await db.close()

    # Chats 1-8 arrived in November; 1-4 and 8 were served, 5 and 6 left the queue, 7 expired.
    assert (month.chats, month.served, month.abandoned, month.expired) == (8, 5, 2, 1)
    assert (month.refused_closed, month.refused_unstaffed, month.offline_messages) == (3, 1, 2)
    # Served waits 10, 30, 60, 90, 300; durations 60, 300, 600, 900, 1200.
    assert (month.wait_p50_s, month.wait_p90_s, month.duration_p50_s) == (Figure(60, 5), Figure(300, 5), Figure(600, 5))
    assert [r for r in month.by_hour if r.chats] == [
        Row("00", 1, 1), Row("09", 1, 0), Row("10", 2, 2), Row("11", 1, 0), Row("14", 2, 2), Row("15", 1, 0)]
    assert len(month.by_hour) == 24
    assert month.by_weekday == [Row("0", 2, 2), Row("1", 2, 2), Row("2", 1, 0), Row("3", 1, 0), Row("4", 1, 0),
                                Row("5", 0, 0), Row("6", 1, 1)]
    assert month.by_topic == [Row("education", 2, 1), Row("wellbeing", 1, 0), Row("work", 5, 4)]
    assert month.by_language == [Row("en", 1, 1), Row("fi", 5, 3), Row("sv", 2, 1)]
    assert month.by_organisation == [Row("kaakko", 1, 1), Row("kotka", 3, 3), Row("te", 1, 1)]
    assert month.by_outcome == [Row("answered", 4, 4), Row("referred", 1, 1)]
    assert [(r.key, r.chats) for r in month.ratings] == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 2)]
    assert month.rating_mean == Figure(4.0, 4)  # (5 + 4 + 2 + 5) / 4


async def test_measures_of_fewer_than_three_chats_are_withheld(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'reports.db'}")
    await seed(db)
    async with db.transaction() as session:
        for wait, duration, rating in ((30, 600, 5), (90, 1200, 4), (120, None, None), (40, None, 2)):
            session.add(ChatStatistic(
                hour_bucket=hour("2026-11-02T10:00"), local_hour=10, weekday=0, topic="work", language="fi",
                status="ended" if duration else "abandoned", wait_s=wait, duration_s=duration, rating=rating))
    async with db.transaction() as session:
        month = await reports.report(session, start=datetime(2026, 11, 1, tzinfo=TZ),
                                     end=datetime(2026, 12, 1, tzinfo=TZ))
    await db.close()
    # Two served chats: their waits and durations are withheld; three ratings (one of a chat that
    # was left unserved, rated from the queue) give a mean.
    assert (month.chats, month.served) == (4, 2)
    assert month.wait_p50_s == Figure(None, 2) and month.wait_p50_s.shown() == "<3"
    assert month.wait_p90_s.withheld and month.duration_p50_s.withheld
    assert month.rating_mean == Figure(11 / 3, 3) and not month.rating_mean.withheld
    assert Figure(None, 0).shown() == "" and Figure(20, 5).shown() == "20"

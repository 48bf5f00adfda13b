"""What was in force when, as stored, on SQLite and on PostgreSQL: weekly hours end and begin
on a date instead of being replaced, and a cancelled shift is planned until it was cancelled."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage import coverage, roster, rostering, service
from storage.database import Database
from storage.tables import WeeklyOpeningRow

TZ = ZoneInfo("Europe/Helsinki")
TODAY = date(2026, 11, 25)  # a Wednesday


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


async def test_weekly_hours_set_from_a_date_keep_the_earlier_ones_for_earlier_dates(seeded: Database) -> None:
    async with seeded.transaction() as session:  # mon-fri 09-16 since always
        await service.replace_weekly_opening(session, since=TODAY, rows=[
            WeeklyOpeningRow(weekday=d, start="10:00", end="14:00") for d in range(6)])
    async with seeded.transaction() as session:
        now = [(r.weekday, r.start, r.since, r.until) for r in await service.weekly_opening(session)]
        last_week = await service.weekly_opening_between(session, first=date(2026, 11, 16), last=date(2026, 11, 22))
        hours = await coverage.opening_hours(session, start=local("2026-11-23T00:00"), end=local("2026-11-30T00:00"),
                                             tz=TZ)
    assert now == [(d, "10:00", TODAY, None) for d in range(6)]
    assert [(r.start, r.since, r.until) for r in last_week] == [("09:00", None, TODAY)] * 5
    opened = [(i.start.isoformat(), i.end.isoformat()) for i in hours.intervals(local("2026-11-24T00:00"),
                                                                                  local("2026-11-26T00:00"))]
    assert opened == [("2026-11-24T09:00:00+02:00", "2026-11-24T16:00:00+02:00"),
                      ("2026-11-25T10:00:00+02:00", "2026-11-25T14:00:00+02:00")]
    async with seeded.transaction() as session:  # set again the same day: today's first try was never in force
        await service.replace_weekly_opening(session, since=TODAY, rows=[WeeklyOpeningRow(weekday=0, start="08:00",
                                                                                          end="12:00")])
    async with seeded.transaction() as session:
        rows = await service.weekly_opening_between(session, first=date(2000, 1, 1), last=date(2100, 1, 1))
    assert sorted((r.weekday, r.start, r.since, r.until) for r in rows) == [
        (0, "08:00", TODAY, None), *((d, "09:00", None, TODAY) for d in range(5))]


async def test_a_cancelled_shift_is_planned_until_it_was_cancelled(seeded: Database) -> None:
    async with seeded.transaction() as session:  # everyone 08-17 on Tuesday 2026-11-24
        shifts = {u.username: s for s, u in await rostering.shifts_with_users(
            session, start=local("2026-11-24T00:00"), end=local("2026-11-25T00:00"))}
        await rostering.cancel_shift(session, shift_id=shifts["anna"].id or 0, now=local("2026-11-24T10:00"))
        await rostering.cancel_shift(session, shift_id=shifts["bertil"].id or 0, now=local("2026-11-23T10:00"))
        await rostering.cancel_shift(session, shift_id=shifts["chloe"].id or 0, now=local("2026-11-25T10:00"))
    async with seeded.transaction() as session:
        planned = await roster.planned_between(session, start=local("2026-11-24T00:00"), end=local("2026-11-25T00:00"))
    assert [(name, end - start) for name, start, end in planned] == [
        ("anna", timedelta(hours=2)), ("chloe", timedelta(hours=9))]

"""Coverage arithmetic against weeks computed by hand: an ordinary week, a holiday week, and the
week the clocks go back (2026-10-25 in Helsinki)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from routing.hours import DateException, OpeningHours, WeeklyOpening
from routing.roster import Shift
from routing.types import Interval
from storage import coverage, duty, people, roster
from storage.coverage import DutySpan, measure, promised_over
from storage.database import Database
from storage.tables import ChatStatistic
from tests.service import seed

TZ = ZoneInfo("Europe/Helsinki")
UTC = ZoneInfo("UTC")
ORGS = {"anna": ("kotka", "Kotka College"), "bertil": ("kaakko", "Kaakko UAS"), "chloe": ("te", "TE Office")}


def local(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


def at_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def weekdays(start: str, end: str) -> tuple[WeeklyOpening, ...]:
    return tuple(WeeklyOpening(d, time.fromisoformat(start), time.fromisoformat(end)) for d in range(5))


def shift(advisor: str, day: str, start: str, end: str) -> Shift:
    return Shift(advisor, local(day, start), local(day, end))


def spans(intervals: list[Interval]) -> list[tuple[str, str]]:
    return [(i.start.isoformat(), i.end.isoformat()) for i in intervals]


def week(monday: str) -> tuple[datetime, datetime]:
    first = date.fromisoformat(monday)
    return (datetime.combine(first, time(0), TZ), datetime.combine(first + timedelta(days=7), time(0), TZ))


def test_ordinary_week_planned_actual_gaps_and_shares() -> None:
    # Open mon-fri 09-16 (35 h). Anna 09-12 every weekday (15 h); Bertil 12-16, but 12-14 on
    # Wednesday (18 h): Wednesday 14-16 is unrostered. On Monday Anna was available 09:30-12 and
    # Bertil 12-13 and 14-16 (signed in all along): 5.5 h actual; the rest of the 33 rostered
    # open hours (27.5 h) is unstaffed.
    start, end = week("2026-11-23")
    days = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    shifts = [shift("anna", d, "09:00", "12:00") for d in days] + [
        shift("bertil", d, "12:00", "14:00" if d == "2026-11-25" else "16:00") for d in days
    ]
    monday = "2026-11-23"
    log = [
        DutySpan("anna", "signed_in", local(monday, "08:50"), local(monday, "12:10")),
        DutySpan("anna", "available", local(monday, "09:30"), local(monday, "12:05")),
        DutySpan("bertil", "signed_in", local(monday, "11:55"), local(monday, "16:30")),
        DutySpan("bertil", "available", local(monday, "11:55"), local(monday, "13:00")),
        DutySpan("bertil", "available", local(monday, "14:00"), local(monday, "16:30")),
        # Available without being signed in is not possible in practice, and does not count.
        DutySpan("chloe", "available", local(monday, "09:00"), local(monday, "16:00")),
    ]
    result = measure(start=start, end=end, hours_=OpeningHours(weekly=weekdays("09:00", "16:00"), tz=TZ),
                     shifts=shifts, duty=log, organisation_of=ORGS,
                     chats_by_organisation={"kotka": 3, "kaakko": 1})

    assert result.open_hours == 35
    assert result.planned_hours == 33
    assert result.actual_hours == 5.5
    assert spans(result.unrostered) == [("2026-11-25T14:00:00+02:00", "2026-11-25T16:00:00+02:00")]
    assert spans(result.unstaffed)[:3] == [
        ("2026-11-23T09:00:00+02:00", "2026-11-23T09:30:00+02:00"),
        ("2026-11-23T13:00:00+02:00", "2026-11-23T14:00:00+02:00"),
        ("2026-11-24T09:00:00+02:00", "2026-11-24T16:00:00+02:00"),
    ]
    assert sum(g.seconds for g in result.unstaffed) / 3600 == 27.5
    assert [kind for kind, _ in result.gaps].count("unrostered") == 1
    shares = {o.slug: o for o in result.organisations}
    assert (shares["kotka"].rostered_hours, shares["kotka"].actual_hours, shares["kotka"].chats) == (15, 2.5, 3)
    assert (shares["kaakko"].rostered_hours, shares["kaakko"].actual_hours, shares["kaakko"].chats) == (18, 3, 1)
    assert (shares["te"].rostered_hours, shares["te"].chats) == (0, 0)
    assert shares["kotka"].share_of_hours == 15 / 33 and shares["kotka"].share_of_chats == 0.75
    assert shares["kaakko"].share_of_hours == 18 / 33 and shares["kaakko"].share_of_chats == 0.25


def test_holiday_and_short_day_change_the_open_hours_not_the_shifts() -> None:
    # Christmas week: Wednesday 23rd open 10-14 only, Thursday 24th closed. Open 7+7+4+0+7 = 25 h.
    # Anna works 09-16 every day but Tuesday: Tuesday is unrostered, and her hours on the
    # holiday still count as rostered (35 - 7 = 28 h), though only 7 + 4 + 7 = 18 h are open.
    start, end = week("2026-12-21")
    hours = OpeningHours(
        weekly=weekdays("09:00", "16:00"),
        exceptions=(DateException(date(2026, 12, 23), ((time(10), time(14)),)), DateException(date(2026, 12, 24), ())),
        tz=TZ,
    )
    shifts = [shift("anna", d, "09:00", "16:00") for d in ("2026-12-21", "2026-12-23", "2026-12-24", "2026-12-25")]
    result = measure(start=start, end=end, hours_=hours, shifts=shifts, duty=[], organisation_of=ORGS,
                     chats_by_organisation={})

    assert result.open_hours == 25
    assert spans(result.open)[2:] == [
        ("2026-12-23T10:00:00+02:00", "2026-12-23T14:00:00+02:00"),
        ("2026-12-25T09:00:00+02:00", "2026-12-25T16:00:00+02:00"),
    ]
    assert result.planned_hours == 28
    assert result.planned_open_hours == 7 + 4 + 7
    assert spans(result.unrostered) == [("2026-12-22T09:00:00+02:00", "2026-12-22T16:00:00+02:00")]
    assert result.actual_hours == 0
    assert sum(g.seconds for g in result.unstaffed) / 3600 == 18
    assert {o.slug: o.rostered_hours for o in result.organisations}["kotka"] == 28
    assert all(o.share_of_chats == 0 for o in result.organisations)


def test_the_week_the_clocks_go_back_has_a_25_hour_sunday() -> None:
    # Helsinki 2026-10-25: 04:00 summer time becomes 03:00 winter time. The week is 169 hours.
    # Open mon-fri 09-16 (35 h) and all Sunday (25 h). Chloe works Saturday 22:00 to Sunday
    # 06:00, which is 9 hours (19:00-04:00 UTC), 7 of them on open Sunday. She was available all
    # along but for 00:30-01:30 UTC, the hour from 03:30 summer time to 03:30 winter time.
    start, end = week("2026-10-19")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=169)
    weekly = (*weekdays("09:00", "16:00"), WeeklyOpening(6, time(0), None))
    chloe = Shift("chloe", local("2026-10-24", "22:00"), local("2026-10-25", "06:00"))
    log = [
        DutySpan("chloe", "signed_in", at_utc("2026-10-24T19:00"), at_utc("2026-10-25T04:00")),
        DutySpan("chloe", "available", at_utc("2026-10-24T19:00"), at_utc("2026-10-25T00:30")),
        DutySpan("chloe", "available", at_utc("2026-10-25T01:30"), at_utc("2026-10-25T04:00")),
    ]
    result = measure(start=start, end=end, hours_=OpeningHours(weekly=weekly, tz=TZ), shifts=[chloe], duty=log,
                     organisation_of=ORGS, chats_by_organisation={"te": 2})

    assert result.open_hours == 35 + 25
    assert result.planned_hours == 9
    assert result.planned_open_hours == 7
    assert result.actual_hours == 8
    assert result.actual_open_hours == 6
    assert [(g.start.astimezone(UTC), g.seconds) for g in result.unstaffed] == [(at_utc("2026-10-25T00:30"), 3600)]
    gap = result.unstaffed[0]
    assert (gap.start.strftime("%H:%M %Z"), gap.end.strftime("%H:%M %Z")) == ("03:30 EEST", "03:30 EET")
    assert sum(g.seconds for g in result.unrostered) / 3600 == 35 + 18
    assert {o.slug: (o.rostered_hours, o.actual_hours, o.share_of_chats) for o in result.organisations}["te"] == (
        9, 8, 1.0)


async def test_coverage_reads_shifts_duty_log_and_statistics(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'coverage.db'}")
    await seed(db)  # anna, bertil and chloe on shift 08-17 on Tuesday 2026-11-24
    tuesday = "2026-11-24"
    async with db.transaction() as session:
        anna = await people.user_by_username(session, username="anna")
        assert anna is not None and anna.id is not None
        await duty.open_period(session, user_id=anna.id, kind="signed_in", now=local(tuesday, "09:00"))
        await duty.open_period(session, user_id=anna.id, kind="available", now=local(tuesday, "10:00"))
        for _ in range(2):
            session.add(ChatStatistic(
                hour_bucket=local(tuesday, "10:00").astimezone(UTC), local_hour=10, weekday=1, topic="work",
                language="fi", status="ended", organisation_id=anna.organisation_id,
            ))
    start, end = week("2026-11-23")
    async with db.transaction() as session:
        assert len(await roster.shifts_between(session, start=start, end=end)) == 3
        result = await coverage.coverage(session, start=start, end=end, now=local(tuesday, "12:30"), tz=TZ)
    await db.close()
    assert result.planned_hours == 9
    assert result.actual_hours == 2.5  # anna, still signed in and available at "now"
    assert {o.slug: (o.rostered_hours, o.chats) for o in result.organisations} == {
        "kotka": (9, 2), "kaakko": (9, 0), "te": (9, 0)}


def test_a_promise_is_prorated_over_the_months_a_period_covers() -> None:
    """A month is its promise, a half-year six (March and October, with their clock changes,
    counted whole), any other period each month's part of it by the month's length."""
    def at(*day: int) -> datetime:
        return datetime(*day, tzinfo=TZ)
    assert promised_over(40, at(2026, 1, 1), at(2026, 7, 1), TZ) == pytest.approx(240)
    assert promised_over(40, at(2026, 7, 1), at(2027, 1, 1), TZ) == pytest.approx(240)
    assert promised_over(40, at(2026, 3, 1), at(2026, 4, 1), TZ) == pytest.approx(40)
    assert promised_over(31, at(2026, 1, 1), at(2026, 1, 16), TZ) == pytest.approx(15)
    # Monday 30 November to Sunday 6 December: one day of November's promise, six of December's.
    assert promised_over(30, at(2026, 11, 30), at(2026, 12, 7), TZ) == pytest.approx(1 + 30 * 6 / 31)
    assert promised_over(40, at(2026, 5, 1), at(2026, 5, 1), TZ) == 0

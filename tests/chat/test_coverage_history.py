"""The coverage of a past period is measured against what was in force then: the weekly hours
of each date (a change applies from today on) and the shifts as they were planned (a cancelled
shift counts until it was cancelled). Today is Tuesday 2026-11-24, 10:00."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import select

from storage import rostering
from storage.tables import WeeklyOpeningRow
from tests.chat.coordinator_fixtures import coordinating, csrf_of, rows_of

TZ = ZoneInfo("Europe/Helsinki")
HOURS = "/coordinator/hours"


async def coverage_of(client: httpx.AsyncClient, week: str, table: str = "summary") -> dict[str, list[str]]:
    response = await client.get("/coordinator/coverage", params={"week": week, "format": "csv", "table": table})
    assert response.status_code == 200
    return {row[0]: row[1:] for row in rows_of(response.text)[1:]}


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def week(**days: str) -> dict[str, str]:
    """The hours page's table as it posts: "sat": "10:00-14:00" puts those hours in Saturday's first slot."""
    return {"slots": "2", **{f"{day}-1-{bound}": time for day, hours in days.items()
                             for bound, time in zip(("start", "end"), hours.split("-"), strict=True)}}


async def test_changing_the_weekly_hours_keeps_the_hours_of_past_dates(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)
        assert (await coverage_of(client, "2026-11-16"))["open"] == ["35"]  # mon-fri 09-16
        # From today on: Saturdays 10-14, and no Mondays.
        weekdays = {day: "09:00-16:00" for day in ("tue", "wed", "thu", "fri")}
        saved = await client.post(f"{HOURS}/week", data={"csrf": csrf, **week(**weekdays, sat="10:00-14:00")})
        assert saved.status_code == 303

        assert (await coverage_of(client, "2026-11-16"))["open"] == ["35"]  # last week as it was
        assert (await coverage_of(client, "2026-11-23"))["open"] == ["39"]  # Monday the 23rd was open
        assert (await coverage_of(client, "2026-11-30"))["open"] == ["32"]
        assert not service.live.config.hours.is_open(local("2026-11-30T10:00"))
        assert service.live.config.hours.is_open(local("2026-11-28T11:00"))
        page = await client.get(HOURS)
        assert 'name="mon-1-start" value=""' in page.text and 'name="sat-1-start" value="10:00"' in page.text

        # Hours added and deleted on the same day were never in force: nothing is kept of them.
        await client.post(f"{HOURS}/week", data={"csrf": csrf, **week(**weekdays, sat="10:00-14:00",
                                                                       sun="10:00-12:00")})
        await client.post(f"{HOURS}/week", data={"csrf": csrf, **week(**weekdays, sat="10:00-14:00")})
        async with service.db.transaction() as session:
            rows = (await session.execute(select(WeeklyOpeningRow))).scalars().all()
        assert [row.weekday for row in rows if row.weekday == 6] == []
        assert [(row.since, row.until) for row in rows if row.weekday == 0] == [
            (None, datetime(2026, 11, 24).date())]


async def test_a_shift_cancelled_while_it_runs_counts_as_planned_until_then(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, "/coordinator/roster")
        async with service.db.transaction() as session:
            shifts = await rostering.shifts_with_users(session, start=local("2026-11-24T00:00"),
                                                       end=local("2026-11-25T00:00"))
        [anna] = [shift.id for shift, user in shifts if user.username == "anna"]  # 08-17 today
        cancelled = await client.post(f"/coordinator/roster/shifts/{anna}/cancel",
                                      data={"csrf": csrf, "week": "2026-11-23"})
        assert cancelled.status_code == 303
        assert "anna" not in service.live.config.roster.on_shift(local("2026-11-24T10:30"))
        organisations = await coverage_of(client, "2026-11-23", "organisations")
        assert organisations["kotka"][0] == "2"  # anna's 08:00-10:00, before it was cancelled
        assert organisations["kaakko"][0] == "9"

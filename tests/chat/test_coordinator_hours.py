"""The hours page: weekly intervals and exception dates, checked as routing checks them, and in
effect for routing as soon as they are saved."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from storage import service as stored
from storage.tables import AuditEntry, OpeningException
from tests.chat.coordinator_fixtures import coordinating, csrf_of
from tests.service import Service

TZ = ZoneInfo("Europe/Helsinki")
HOURS = "/coordinator/hours"


def is_open(service: Service, when: str) -> bool:
    return service.live.config.hours.is_open(datetime.fromisoformat(when).replace(tzinfo=TZ))


async def test_weekly_hours_are_checked_added_and_deleted_and_routing_sees_them(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)
        assert not is_open(service, "2026-11-28T11:00")  # a Saturday
        added = await client.post(f"{HOURS}/weekly", data={"csrf": csrf, "weekday": "sat", "start": "10:00",
                                                            "end": "24:00"})
        assert added.status_code == 303
        assert is_open(service, "2026-11-28T11:00") and is_open(service, "2026-11-28T23:59")
        for start, end, field in (("24:00", "12:00", "weekly-start"), ("9", "12:00", "weekly-start"),
                                  ("10:00", "25:00", "weekly-end"), ("10:00", "09:30", "weekly-end"),
                                  ("10:00", "10:00", "weekly-end")):
            bad = await client.post(f"{HOURS}/weekly", data={"csrf": csrf, "weekday": "sun", "start": start,
                                                              "end": end})
            assert bad.status_code == 400 and f'href="#{field}"' in bad.text, (start, end)
        order = await client.post(f"{HOURS}/weekly", data={"csrf": csrf, "weekday": "nope", "start": "12:00",
                                                            "end": "11:00"})
        assert "The end must be after the start" in order.text and 'href="#weekly-weekday"' in order.text
        assert 'value="11:00"' in order.text
        async with service.db.transaction() as session:
            [saturday] = [row for row in await stored.weekly_opening(session) if row.weekday == 5]
        assert (saturday.start, saturday.end) == ("10:00", "24:00")
        page = await client.get(HOURS)
        assert "Sat</td><td>10:00–24:00" in page.text
        assert (await client.post(f"{HOURS}/weekly/{saturday.id}/delete", data={"csrf": csrf})).status_code == 303
        assert not is_open(service, "2026-11-28T11:00")


async def test_exception_dates_close_a_day_or_give_it_other_hours_and_are_deleted(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)
        assert is_open(service, "2026-11-25T10:00")  # a Wednesday
        closed = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "2026-11-25", "kind": "closed",
                                                                 "start": "", "end": ""})
        assert closed.status_code == 303
        assert not is_open(service, "2026-11-25T10:00") and is_open(service, "2026-11-26T10:00")
        other = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "2026-11-25", "kind": "hours",
                                                                "start": "12:00", "end": "14:00"})
        assert other.status_code == 303  # replaces the earlier exception for that date
        assert not is_open(service, "2026-11-25T10:00") and is_open(service, "2026-11-25T13:00")
        page = await client.get(HOURS)
        assert "25 Nov 2026</td><td>12:00–14:00" in page.text  # upcoming only: past dates are refused

        bad = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "someday", "kind": "hours",
                                                              "start": "14:00", "end": "12:00"})
        assert bad.status_code == 400 and 'href="#exception-day"' in bad.text and 'href="#exception-end"' in bad.text
        no_kind = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "2026-12-24"})
        assert no_kind.status_code == 400 and 'href="#exception-kind"' in no_kind.text

        async with service.db.transaction() as session:
            rows = (await session.execute(select(OpeningException))).scalars().all()
        [wednesday] = [row for row in rows if row.day.isoformat() == "2026-11-25"]
        deleted = await client.post(f"{HOURS}/exceptions/{wednesday.id}/delete", data={"csrf": csrf})
        assert deleted.status_code == 303 and is_open(service, "2026-11-25T10:00")
        async with service.db.transaction() as session:
            actions = [e.action for e in (await session.execute(select(AuditEntry))).scalars().all()]
        assert actions.count("exception_set") == 2 and actions.count("exception_delete") == 1


async def test_an_exception_date_in_the_past_is_refused_in_the_pages_language(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)  # today is Tuesday 2026-11-24
        texts = {"en": "The date has passed: choose today or a later date",
                 "fi": "Päivä on jo mennyt: valitse tämä päivä tai myöhempi",
                 "sv": "Dagen har redan varit: välj i dag eller en senare dag"}
        for language, text in texts.items():
            past = await client.post(f"{HOURS}/exceptions", params={"lang": language},
                                     data={"csrf": csrf, "day": "2026-11-23", "kind": "closed"})
            assert past.status_code == 400 and 'href="#exception-day"' in past.text and text in past.text
            assert 'value="2026-11-23"' in past.text  # what was typed, kept
        today = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "2026-11-24", "kind": "closed"})
        assert today.status_code == 303 and not is_open(service, "2026-11-24T15:00")
        async with service.db.transaction() as session:
            days = [row.day.isoformat() for row in (await session.execute(select(OpeningException))).scalars()]
        assert days == ["2026-11-24"]

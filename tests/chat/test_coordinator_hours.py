"""The hours page: the week's hours as a table edited in place and saved at once, exception dates
for one date or a range of dates in one entry (a Christmas week closed), all checked as routing
checks them and in effect for routing as soon as they are saved; past dates refused."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from storage import service as stored
from storage.tables import AuditEntry, OpeningException
from tests.chat.coordinator_fixtures import COORDINATOR, client_of, coordinating, csrf_of
from tests.service import Service

TZ = ZoneInfo("Europe/Helsinki")
HOURS = "/coordinator/hours"
# The seed's week: mon-fri 09:00-16:00, as the table posts it back (two slots a day).
WEEK = {f"{day}-1-{bound}": time for day in ("mon", "tue", "wed", "thu", "fri")
        for bound, time in (("start", "09:00"), ("end", "16:00"))}


def is_open(service: Service, when: str) -> bool:
    return service.live.config.hours.is_open(datetime.fromisoformat(when).replace(tzinfo=TZ))


async def actions(service: Service) -> list[str]:
    async with service.db.transaction() as session:
        return [e.action for e in (await session.execute(select(AuditEntry))).scalars().all()]


def inputs(page: str) -> dict[str, str]:
    """The week table's inputs that hold a time: name -> value."""
    return {name: value for name, value in re.findall(r'name="(\w{3}-\d-(?:start|end))" value="([^"]*)"', page)
            if value}


async def test_the_week_is_a_table_of_inputs_saved_at_once_and_routing_sees_it(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        page = await client.get(HOURS)
        assert inputs(page.text) == WEEK and '<input type="hidden" name="slots" value="2">' in page.text
        assert '<label for="week-sat-2-end" class="visually-hidden">Saturday, opening 2: closes</label>' in page.text
        csrf = await csrf_of(client, HOURS)
        # Friday shorter, a lunch break on Monday, Saturday open: one post.
        week = {**WEEK, "fri-1-end": "14:00", "mon-1-end": "12:00", "mon-2-start": "13:00", "mon-2-end": "16:00",
                "sat-1-start": "10:00", "sat-1-end": "24:00"}
        saved = await client.post(f"{HOURS}/week", data={"csrf": csrf, "slots": "2", **week})
        assert saved.status_code == 303 and "done=week_saved" in saved.headers["location"]
        assert is_open(service, "2026-11-28T23:59") and not is_open(service, "2026-11-27T15:00")
        assert not is_open(service, "2026-11-30T12:30") and is_open(service, "2026-11-30T13:30")
        page = await client.get(HOURS)
        assert inputs(page.text) == week and 'name="slots" value="3"' in page.text  # Monday's two, and one more
        assert (await actions(service)).count("hours_set") == 1
        # The same table again changes nothing, and says so.
        again = await client.post(f"{HOURS}/week", data={"csrf": csrf, "slots": "3", **week})
        assert "done=week_unchanged" in again.headers["location"] and (await actions(service)).count("hours_set") == 1
        # Emptying both times of an opening removes it.
        emptied = {**week, "sat-1-start": "", "sat-1-end": ""}
        assert (await client.post(f"{HOURS}/week", data={"csrf": csrf, "slots": "3", **emptied})).status_code == 303
        assert not is_open(service, "2026-11-28T11:00")


async def test_a_wrong_time_in_the_week_is_named_at_its_input_and_nothing_is_saved(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)
        bad = {**WEEK, "tue-1-end": "08:00", "wed-2-start": "9", "sun-1-end": "17:00"}
        refused = await client.post(f"{HOURS}/week", data={"csrf": csrf, "slots": "2", **bad})
        assert refused.status_code == 400
        for field, text in (("week-tue-1-end", "Tuesday, opening 1: closes: The end must be after the start"),
                            ("week-wed-2-start", "Wednesday, opening 2: opens: "),
                            ("week-sun-1-start", "Sunday, opening 1: opens: ")):
            assert f'<a href="#{field}">{text}' in refused.text, field
        assert 'aria-describedby="week-hint week-tue-1-end-error" aria-invalid="true"' in refused.text
        assert inputs(refused.text)["wed-2-start"] == "9"  # what was typed, kept
        assert is_open(service, "2026-11-24T15:00")  # nothing saved
        # A post that is not the table (no count of its slots) would empty the week: refused.
        assert (await client.post(f"{HOURS}/week", data={"csrf": csrf})).status_code == 400
        async with service.db.transaction() as session:
            assert len(await stored.weekly_opening(session)) == 5


async def test_a_christmas_week_is_closed_in_one_entry_and_deleted_as_one(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)
        closed = await client.post(f"{HOURS}/exceptions", data={
            "csrf": csrf, "day": "2026-12-23", "until": "2027-01-01", "kind": "closed"})
        assert closed.status_code == 303 and "count=10" in closed.headers["location"]
        assert not is_open(service, "2026-12-23T10:00") and not is_open(service, "2026-12-31T10:00")
        assert not is_open(service, "2027-01-01T10:00") and is_open(service, "2026-12-22T10:00")
        assert is_open(service, "2027-01-04T10:00")
        # Shorter hours on two days of it, in one entry again: the range splits where they differ.
        shorter = await client.post(f"{HOURS}/exceptions", data={
            "csrf": csrf, "day": "2026-12-28", "until": "2026-12-29", "kind": "hours", "start": "10:00",
            "end": "14:00"})
        assert shorter.status_code == 303
        assert is_open(service, "2026-12-28T11:00") and not is_open(service, "2026-12-28T15:00")
        page = (await client.get(HOURS)).text
        # Babel writes CLDR's ranges with thin spaces around the dash; read them as spaces.
        rows = [(when.replace("\u2009", " "), hours) for when, hours in re.findall(
            r"<tr><td>([^<]+)</td><td>([^<]+)</td>", page)]
        assert rows == [("Wed, 23 Dec – Sun, 27 Dec 2026", "Closed all day"),
                        ("Mon, 28 Dec – Tue, 29 Dec 2026", "10:00–14:00"),
                        ("Wed, 30 Dec 2026 – Fri, 1 Jan 2027", "Closed all day")]
        assert (await actions(service)).count("exception_set") == 2  # one entry, one change
        deleted = await client.post(f"{HOURS}/exceptions/delete", data={
            "csrf": csrf, "day": "2026-12-23", "until": "2026-12-27"})
        assert "done=exceptions_deleted&count=5" in deleted.headers["location"]
        assert is_open(service, "2026-12-23T10:00") and not is_open(service, "2026-12-30T10:00")
        async with service.db.transaction() as session:
            days = sorted(row.day for row in (await session.execute(select(OpeningException))).scalars())
        assert days[0] == date(2026, 12, 28) and len(days) == 5


async def test_a_range_is_checked_whole_and_one_in_the_past_is_refused_in_the_pages_language(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, HOURS)  # today is Tuesday 2026-11-24
        texts = {"en": "The date has passed: choose today or a later date",
                 "fi": "Päivä on jo mennyt: valitse tämä päivä tai myöhempi",
                 "sv": "Dagen har redan varit: välj i dag eller en senare dag"}
        for language, text in texts.items():
            past = await client.post(f"{HOURS}/exceptions", params={"lang": language}, data={
                "csrf": csrf, "day": "2026-11-23", "until": "2026-11-25", "kind": "closed"})
            assert past.status_code == 400 and 'href="#exception-day"' in past.text and text in past.text
            assert 'value="2026-11-23"' in past.text and 'value="2026-11-25"' in past.text  # what was typed, kept
        backwards = await client.post(f"{HOURS}/exceptions", data={
            "csrf": csrf, "day": "2026-12-24", "until": "2026-12-20", "kind": "closed"})
        assert '<a href="#exception-until">The last date cannot be before the first</a>' in backwards.text
        too_long = await client.post(f"{HOURS}/exceptions", data={
            "csrf": csrf, "day": "2026-12-24", "until": "2027-12-25", "kind": "closed"})  # 367 dates
        assert '<a href="#exception-until">At most 366 days in one entry</a>' in too_long.text
        bad = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "someday", "kind": "hours",
                                                              "start": "14:00", "end": "12:00"})
        assert bad.status_code == 400 and 'href="#exception-day"' in bad.text and 'href="#exception-end"' in bad.text
        no_kind = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "2026-12-24"})
        assert no_kind.status_code == 400 and 'href="#exception-kind"' in no_kind.text
        today = await client.post(f"{HOURS}/exceptions", data={"csrf": csrf, "day": "2026-11-24", "kind": "closed"})
        assert today.status_code == 303 and not is_open(service, "2026-11-24T15:00")
        async with service.db.transaction() as session:
            days = [row.day.isoformat() for row in (await session.execute(select(OpeningException))).scalars()]
        assert days == ["2026-11-24"]
        # A past date's exception is history: deleting from the past is refused, and kept.
        await service.tick(24 * 3600)
        async with client_of(service, COORDINATOR) as tomorrow:  # a day later: signed in again
            kept = await tomorrow.post(f"{HOURS}/exceptions/delete", data={
                "csrf": await csrf_of(tomorrow, HOURS), "day": "2026-11-24"})
        assert "count=0" in kept.headers["location"]
        async with service.db.transaction() as session:
            assert len((await session.execute(select(OpeningException))).scalars().all()) == 1

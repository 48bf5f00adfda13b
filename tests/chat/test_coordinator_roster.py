"""The roster pages: templates applied to a week, one-off changes, CSV import with a per-row
report, and each advisor's shifts as an iCalendar feed parsed back with `icalendar`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from sqlmodel import select

from chat.web.ical import feed_path
from storage import people, roster, rostering
from storage.tables import AuditEntry
from tests.chat.coordinator_fixtures import coordinating, csrf_of
from tests.chat.roster_page import blocks
from tests.service import Service

TZ = ZoneInfo("Europe/Helsinki")
ROSTER = "/coordinator/roster"


async def shifts_of(service: Service, username: str) -> list[tuple[datetime, datetime]]:
    """The advisor's shifts from December 2026 on (the seed puts everyone on shift in November)."""
    async with service.db.transaction() as session:
        user = await people.user_by_username(session, username=username)
        assert user is not None and user.id is not None
        rows = await roster.shifts_of_user(session, user_id=user.id, start=datetime(2026, 12, 1, tzinfo=TZ),
                                           end=datetime(2027, 12, 31, tzinfo=UTC))
    return [(r.start.astimezone(TZ), r.end.astimezone(TZ)) for r in rows]


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


async def test_templates_become_the_weeks_shifts_and_one_off_changes_act_on_them(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        week = {"csrf": csrf, "week": "2026-12-07"}
        for weekday, start, end in (("mon", "09:00", "13:00"), ("wed", "22:00", "02:00")):
            response = await client.post(f"{ROSTER}/templates", data={**week, "advisor": "chloe", "weekday": weekday,
                                                                         "start": start, "end": end})
            assert response.status_code == 303
        bad = await client.post(f"{ROSTER}/templates", data={**week, "advisor": "nobody", "weekday": "mon",
                                                             "start": "9", "end": "13:00"})
        assert bad.status_code == 400 and 'href="#tpl-advisor"' in bad.text and 'href="#tpl-start"' in bad.text
        assert 'aria-describedby="tpl-start-hint tpl-start-error"' in bad.text
        assert (await client.post(f"{ROSTER}/apply", data=week)).status_code == 303
        assert (await client.post(f"{ROSTER}/apply", data=week)).status_code == 303  # twice: nothing doubles
        assert await shifts_of(service, "chloe") == [
            (local("2026-12-07T09:00"), local("2026-12-07T13:00")),
            (local("2026-12-09T22:00"), local("2026-12-10T02:00")),
        ]
        # An extra shift, then the Monday one swapped to Anna and the Wednesday one cancelled.
        extra = await client.post(f"{ROSTER}/shifts", data={**week, "advisor": "chloe", "day": "2026-12-11",
                                                             "start": "12:00", "end": "24:00"})
        assert extra.status_code == 303
        page = await client.get(ROSTER, params={"week": "2026-12-07"})
        assert "The shift was" not in page.text
        async with service.db.transaction() as session:
            week_shifts = await rostering.shifts_with_users(
                session, start=local("2026-12-07T00:00"), end=local("2026-12-14T00:00"))
        ids = {(u.username, s.start.astimezone(TZ).day): s.id for s, u in week_shifts}
        assert (await client.post(f"{ROSTER}/shifts/{ids['chloe', 7]}/move", data={
            **week, "advisor": "anna", "day": "2026-12-07", "start": "09:00", "end": "13:00"})).status_code == 303
        assert (await client.post(f"{ROSTER}/shifts/{ids['chloe', 9]}/cancel", data=week)).status_code == 303
        assert await shifts_of(service, "chloe") == [(local("2026-12-11T12:00"), local("2026-12-12T00:00"))]
        assert (local("2026-12-07T09:00"), local("2026-12-07T13:00")) in await shifts_of(service, "anna")
        page = await client.get(ROSTER, params={"week": "2026-12-07"})
        assert {"Anna, Mon 7 Dec 09:00–13:00", "Chloe, Fri 11 Dec 12:00–24:00"} <= set(blocks(page.text))
        async with service.db.transaction() as session:
            actions = [e.action for e in (await session.execute(select(AuditEntry))).scalars().all()]
        assert {"template_add", "roster_apply", "shift_add", "shift_move", "shift_cancel"} <= set(actions)


async def test_csv_import_reports_every_bad_row_and_imports_nothing_then_everything(tmp_path: Path) -> None:
    mixed = (
        "username,date,start,end\n"
        "anna,2026-12-01,09:00,13:00\n"
        "nobody,2026-12-01,09:00,13:00\n"
        "bertil,2026-12-32,09:00,13:00\n"
        "chloe,2026-12-02,9am,13:00\n"
        "anna,2026-12-02,13:00\n"
        "bertil,2026-12-02,13:00,17:00\n"
    )
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        before = await shifts_of(service, "anna")
        response = await client.post(f"{ROSTER}/import", data={"csrf": csrf},
                                     files={"file": ("december.csv", mixed.encode(), "text/csv")})
        assert response.status_code == 400
        assert "The file has 4 rows that are wrong" in response.text
        for line in ('december.csv:3: unknown user &#34;nobody&#34;', "december.csv:4: bad date",
                     "december.csv:5: bad start time", "december.csv:6: expected 4 columns, found 3"):
            assert line in response.text
        assert "december.csv:2" not in response.text and "december.csv:7" not in response.text
        assert await shifts_of(service, "anna") == before  # nothing imported
        good = "\n".join(line for n, line in enumerate(mixed.splitlines()) if n in (0, 1, 6)) + "\n"
        response = await client.post(f"{ROSTER}/import", data={"csrf": csrf},
                                     files={"file": ("december.csv", good.encode(), "text/csv")})
        assert response.status_code == 200 and "Imported 2 shifts (2 in the file)." in response.text
        assert (local("2026-12-01T09:00"), local("2026-12-01T13:00")) in await shifts_of(service, "anna")


async def test_the_calendar_feed_lists_the_advisors_shifts_and_needs_the_token(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        async with service.db.transaction() as session:
            chloe = await people.user_by_username(session, username="chloe")
            assert chloe is not None and chloe.id is not None
            # Across the spring change too: 2027-03-28 in Helsinki.
            await roster.add_shifts(session, shifts=[
                (chloe.id, local("2026-11-26T12:00"), local("2026-11-26T16:00")),
                (chloe.id, local("2027-03-27T22:00"), local("2027-03-28T06:00")),
            ])
        page = await client.get(ROSTER)
        secret = service.settings.secret_key
        async with await service.http() as anonymous:
            path = next(p for p in page.text.split('"') if p.startswith("/calendar/chloe.ics?token="))
            if secret:
                assert path == feed_path(secret, chloe)
            feed = await anonymous.get(path.replace("&amp;", "&"))
            assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
            assert (await anonymous.get("/calendar/chloe.ics?token=" + "0" * 32)).status_code == 404
            assert (await anonymous.get("/calendar/anna.ics?" + path.split("?")[1])).status_code == 404
        calendar = icalendar.Calendar.from_ical(feed.content)
        events = sorted((e.decoded("dtstart"), e.decoded("dtend")) for e in calendar.walk("VEVENT"))
        assert events == [
            (local("2026-11-24T08:00").astimezone(UTC), local("2026-11-24T17:00").astimezone(UTC)),
            (local("2026-11-26T12:00").astimezone(UTC), local("2026-11-26T16:00").astimezone(UTC)),
            (local("2027-03-27T22:00").astimezone(UTC), local("2027-03-28T06:00").astimezone(UTC)),
        ]
        assert events[2][1] - events[2][0] == timedelta(hours=7)  # the night the clocks go forward
        assert all(str(e["uid"]) for e in calendar.walk("VEVENT"))


async def test_applying_the_templates_again_keeps_the_weeks_one_off_changes(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        week = {"csrf": csrf, "week": "2026-12-07"}
        for weekday in ("mon", "tue", "wed"):
            response = await client.post(f"{ROSTER}/templates", data={**week, "advisor": "chloe", "weekday": weekday,
                                                                         "start": "09:00", "end": "13:00"})
            assert response.status_code == 303
        assert (await client.post(f"{ROSTER}/apply", data=week)).status_code == 303
        async with service.db.transaction() as session:
            week_shifts = await rostering.shifts_with_users(
                session, start=local("2026-12-07T00:00"), end=local("2026-12-14T00:00"))
        ids = {s.start.astimezone(TZ).day: s.id for s, _ in week_shifts}
        # Monday's shift goes to Anna, Tuesday's is cancelled; then the templates once more.
        swapped = await client.post(f"{ROSTER}/shifts/{ids[7]}/move", data={
            **week, "advisor": "anna", "day": "2026-12-07", "start": "09:00", "end": "13:00"})
        assert swapped.status_code == 303
        assert (await client.post(f"{ROSTER}/shifts/{ids[8]}/cancel", data=week)).status_code == 303
        assert (await client.post(f"{ROSTER}/apply", data=week)).status_code == 303

        assert await shifts_of(service, "chloe") == [(local("2026-12-09T09:00"), local("2026-12-09T13:00"))]
        assert await shifts_of(service, "anna") == [(local("2026-12-07T09:00"), local("2026-12-07T13:00"))]
        page = await client.get(ROSTER, params={"week": "2026-12-07"})
        assert set(blocks(page.text)) == {"Anna, Mon 7 Dec 09:00–13:00", "Chloe, Wed 9 Dec 09:00–13:00"}
        # The next week is a week of its own: the templates make all three shifts there.
        assert (await client.post(f"{ROSTER}/apply", data={**week, "week": "2026-12-14"})).status_code == 303
        assert len(await shifts_of(service, "chloe")) == 4


async def test_the_past_of_the_roster_stays_as_it_was(tmp_path: Path) -> None:
    """A shift cannot be added in the past, nor one that has begun given to someone else, so
    coverage of a past period keeps telling what was planned then (the clock: Tue 24.11. 10:00)."""
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        week = {"csrf": csrf, "week": "2026-11-23"}
        past = await client.post(f"{ROSTER}/shifts", data={**week, "advisor": "anna", "day": "2026-11-23",
                                                          "start": "09:00", "end": "12:00"}, params={"lang": "en"})
        assert past.status_code == 400 and "A shift cannot start in the past." in past.text
        async with service.db.transaction() as session:
            anna = await people.user_by_username(session, username="anna")
            assert anna is not None and anna.id is not None
            [today] = await roster.shifts_of_user(session, user_id=anna.id, start=local("2026-11-24T00:00"),
                                                  end=local("2026-11-25T00:00"))
            assert len(await roster.shifts_of_user(session, user_id=anna.id, start=local("2026-11-23T00:00"),
                                                   end=local("2026-11-24T00:00"))) == 0
        begun = await client.post(f"{ROSTER}/shifts/{today.id}/move", params={"lang": "en"}, data={
            **week, "advisor": "bertil", "day": "2026-11-24", "start": "08:00", "end": "17:00"})
        assert begun.status_code == 400 and "A shift that has begun cannot be moved" in begun.text
        async with service.db.transaction() as session:
            shift = await rostering.shift_by_id(session, shift_id=today.id or 0)
        assert shift is not None and shift.user_id == anna.id and shift.cancelled_at is None
        ahead = await client.post(f"{ROSTER}/shifts", data={**week, "advisor": "anna", "day": "2026-11-24",
                                                           "start": "18:00", "end": "20:00"})
        assert ahead.status_code == 303  # later today is fine

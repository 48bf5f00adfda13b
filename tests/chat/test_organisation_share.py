"""Each organisation's share: what it promised (hours a month, set on its page and audited)
against its advisors' rostered hours, the hours they were actually signed in and available and
the chats they served, for a week, a month and a half-year, on the page and as CSV; the known
case is tests/chat/share_fixtures.py's."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlmodel import select

from storage import people
from storage.tables import AuditEntry
from tests.chat.coordinator_fixtures import coordinating, csrf_of, rows_of
from tests.chat.share_fixtures import known_roster_and_duty_log, promise


async def shares(client: httpx.AsyncClient, table: str = "organisations", **period: str) -> list[list[str]]:
    answer = await client.get("/coordinator/coverage", params={**period, "format": "csv", "table": table})
    assert answer.status_code == 200
    return rows_of(answer.text)


async def test_promises_against_rostered_actual_hours_and_chats_per_month_and_half_year(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        orgs = await known_roster_and_duty_log(service)
        assert (await promise(client, orgs["kotka"], "40")).status_code == 303
        saved = await promise(client, orgs["kaakko"], "37,5")  # a decimal comma, as Finns write it
        assert saved.status_code == 303 and saved.headers["location"].endswith("?done=promise_set#promise")

        november = await shares(client, month="2026-11")
        assert november[0] == ["organisation", "rostered_hours", "actual_hours", "chats", "share_of_hours",
                               "share_of_chats", "promised_hours", "rostered_of_promised", "actual_of_promised"]
        assert {row[0]: row for row in november[1:]} == {
            "kaakko": ["kaakko", "9", "0.5", "<3", "0.333", "<3", "37.5", "0.24", "0.013"],
            "kotka": ["kotka", "9", "1", "4", "0.333", "0.667", "40", "0.225", "0.025"],
            "te": ["te", "9", "0", "0", "0.333", "0", "", "", ""],
        }
        # The half-year July-December: six months' promise; Anna's October shift counts in it.
        half = {row[0]: row for row in (await shares(client, half="2026-H2"))[1:]}
        assert half["kotka"][1:4] == ["13", "4", "4"] and half["kotka"][6:] == ["240", "0.054", "0.017"]
        assert half["kaakko"][6] == "225"
        months = [row for row in (await shares(client, "months", half="2026-H2"))[1:] if row[1] == "kotka"]
        assert [(row[0], row[2], row[3], row[7]) for row in months] == [
            ("2026-07", "0", "0", "40"), ("2026-08", "0", "0", "40"), ("2026-09", "0", "0", "40"),
            ("2026-10", "4", "3", "40"), ("2026-11", "9", "1", "40"), ("2026-12", "0", "0", "40")]
        # A week is its days' part of the month's promise: 7/30 of 40 hours.
        week = {row[0]: row for row in (await shares(client, week="2026-11-24"))[1:]}
        assert week["kotka"][6] == "9.3"

        page = await client.get("/coordinator/coverage", params={"half": "2026-H2"})
        assert page.status_code == 200
        assert 'id="chart-shares"' in page.text and "Promised hours" in page.text
        assert "<title id=\"chart-shares-title\">" in page.text
        kaakko = page.text[page.text.index('<th scope="row">Kaakko UAS</th>'):]
        assert '<td class="num">&lt;3</td>' in kaakko[:kaakko.index("</tr>")]  # 2 chats: too few to show
        assert "Organisations&#39; shares by month" in page.text
        assert 'href="?half=2026-H1"' in page.text and 'href="?half=2027-H1"' in page.text

        finnish = rows_of((await client.get("/coordinator/coverage", params={
            "month": "2026-11", "format": "csv", "table": "organisations", "lang": "fi"})).text)
        assert next(row for row in finnish if row[0] == "kaakko")[6:8] == ["37,5", "0,24"]

        async with service.db.transaction() as session:
            audited = (await session.execute(
                select(AuditEntry).where(AuditEntry.action == "organisation_promise"))).scalars().all()
        assert [(entry.actor, entry.detail) for entry in audited] == [
            ("cora", "kotka: None to 40.0 hours a month"), ("cora", "kaakko: None to 37.5 hours a month")]


async def test_a_promise_that_is_not_a_number_is_refused_and_an_empty_one_clears_it(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        async with service.db.transaction() as session:
            kotka = await people.organisation_by_slug(session, slug="kotka")
        assert kotka is not None and kotka.id is not None
        for wrong in ("lots", "-5", "10001", "nan"):
            refused = await promise(client, kotka.id, wrong)
            assert refused.status_code == 400, wrong
            assert "Enter the promised hours a month as a number from 0 to 10,000" in refused.text
            assert f'value="{wrong}"' in refused.text  # what was typed stays in the field
        assert (await promise(client, kotka.id, "40")).status_code == 303
        people_page = await client.get("/coordinator/people")
        assert f'href="/coordinator/people/organisations/{kotka.id}">Kotka College</a>' in people_page.text
        own_page = (await client.get(f"/coordinator/people/organisations/{kotka.id}")).text
        assert "<title>Kotka College – Neuvo</title>" in own_page, "the title is the name alone"
        assert '<td class="num">40</td>' in people_page.text
        assert (await promise(client, kotka.id, "")).status_code == 303
        async with service.db.transaction() as session:
            cleared = await people.organisation_by_slug(session, slug="kotka")
        assert cleared is not None and cleared.promised_hours is None
        assert (await client.post("/coordinator/people/organisations/999/promise", data={
            "csrf": await csrf_of(client, "/coordinator/people"), "promise": "4"})).status_code == 404
        forged = await client.post(f"/coordinator/people/organisations/{kotka.id}/promise", data={"promise": "4"})
        assert forged.status_code == 403

"""The gaps ahead on the real server: the coordinator's overview, the roster's week and the
advisors' console list the open hours of the next 14 days that nobody is rostered for, or nobody
rostered who speaks one of the service's languages, in the page's language.

The seeded service is open mon-fri 09-16; Anna (fi, en), Bertil (sv, fi) and Chloe (en) work
Tuesday 24.11.2026 08-17, and the clock stands at that Tuesday 10:00."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

from storage import people, roster
from tests.chat.coordinator_fixtures import client_of, coordinating
from tests.service import TUESDAY_10, Service

WEDNESDAY_9 = TUESDAY_10 + timedelta(days=1, hours=-1)


async def bertil_on_wednesday_morning(service: Service) -> None:
    async with service.db.transaction() as session:
        bertil = await people.user_by_username(session, username="bertil")
        assert bertil is not None and bertil.id is not None
        await roster.add_shifts(session, shifts=[(bertil.id, WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=3))])


def gap_items(page: str) -> list[str]:
    """The texts of the gap list's items as a screen reader has them: tags stripped, what is
    hidden from it left out."""
    items = [re.sub(r'<span aria-hidden="true">[^<]*</span>', "", item)
             for item in re.findall(r'<li id="gap-[0-9T]+">(.*?)</li>', page, re.S)]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def gap_texts(page: str) -> list[str]:
    """The console's gap texts, without the offer to cover beside each."""
    return [html.unescape(text) for text in re.findall(r'<span id="gap-[0-9T]+-text">([^<]*)</span>', page)]


async def test_the_overview_lists_every_gap_of_the_next_two_weeks(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await bertil_on_wednesday_morning(service)
        gaps = gap_items((await client.get("/coordinator")).text)
        assert gaps[:3] == [
            "Wed 25 Nov 09:00–12:00 has nobody on shift who speaks English – "
            "Show on the roster: Wed 25 Nov 09:00–12:00",
            "Wed 25 Nov 12:00–16:00 has nobody on shift – Show on the roster: Wed 25 Nov 12:00–16:00",
            "Thu 26 Nov 09:00–16:00 has nobody on shift – Show on the roster: Thu 26 Nov 09:00–16:00",
        ]
        # Today is covered in every language; the window ends 14 days from now (Tuesday 8.12. 10:00).
        assert not any("Tue 24 Nov" in gap for gap in gaps)
        assert gaps[-1].startswith("Tue 8 Dec 09:00–10:00 has nobody on shift")
        assert len(gaps) == 11


async def test_the_roster_week_lists_its_gaps_with_a_shift_to_fill_each_and_counts_them_by_day(
        tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await bertil_on_wednesday_morning(service)
        page = (await client.get("/coordinator/roster", params={"week": "2026-11-23"})).text
        assert gap_items(page)[:2] == [
            "Wed 25 Nov 09:00–12:00 has nobody on shift who speaks English – Add a shift: Wed 25 Nov 09:00–12:00",
            "Wed 25 Nov 12:00–16:00 has nobody on shift – Add a shift: Wed 25 Nov 12:00–16:00",
        ]
        assert 'href="/coordinator/roster/shifts/new?day=2026-11-25&amp;start=12:00&amp;end=16:00"' in page
        wednesday = page.split('id="d-2026-11-25"', 1)[1].split("</th>", 1)[0]
        assert '<span class="day__gaps">2 gaps</span>' in wednesday
        new = (await client.get("/coordinator/roster/shifts/new",
                                params={"day": "2026-11-25", "start": "12:00", "end": "16:00"})).text
        assert 'value="12:00"' in new and 'value="16:00"' in new
        beyond = (await client.get("/coordinator/roster", params={"week": "2026-12-14"})).text
        assert "Gaps are looked for in the next 2 weeks only." in beyond


async def test_the_console_says_the_gaps_in_finnish_and_swedish_too(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, _):
        await bertil_on_wednesday_morning(service)
        async with client_of(service, "anna") as anna:
            english = gap_texts((await anna.get("/console")).text)
            finnish = gap_texts((await anna.get("/console", params={"lang": "fi"})).text)
            swedish = gap_texts((await anna.get("/console", params={"lang": "sv"})).text)
        assert english[0].startswith("Wed 25 Nov 09:00–12:00 has nobody on shift who speaks English")
        assert finnish[:2] == ["ke 25.11. 9.00–12.00: vuorossa ei ole ketään, jonka kieliin kuuluu englanti",
                               "ke 25.11. 12.00–16.00: ei ketään vuorossa"]
        assert swedish[0] == "ons 25 nov. 9.00–12.00: ingen i tjänst talar engelska"


async def test_a_deactivated_advisors_shift_leaves_a_gap(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await bertil_on_wednesday_morning(service)
        async with service.db.transaction() as session:
            bertil = await people.user_by_username(session, username="bertil")
            assert bertil is not None
            bertil.active = False
        gaps = gap_items((await client.get("/coordinator")).text)
        assert gaps[0].startswith("Tue 24 Nov 10:00–16:00 has nobody on shift who speaks Swedish –")
        assert gaps[1].startswith("Wed 25 Nov 09:00–16:00 has nobody on shift –")

"""The roster as a calendar over HTTP: people × days with each shift a block named in full, the
warnings (overlap, closed day, exception date, deactivated person), past shifts read only, and
the month's overview. The week: tests/chat/roster_week.py."""

from __future__ import annotations

import re
from pathlib import Path

from tests.chat.coordinator_fixtures import coordinating
from tests.chat.roster_page import blocks, states, warnings
from tests.chat.roster_week import WEEK, warned_week

ROSTER = "/coordinator/roster"


async def test_the_week_is_a_grid_of_people_by_days_with_every_shift_named_in_full(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        page = (await client.get(ROSTER, params={"week": WEEK})).text
        assert states(page) == {
            "Dora, Mon 23 Nov 09:00–13:00": "over",
            "Anna, Tue 24 Nov 08:00–17:00": "running", "Bertil, Tue 24 Nov 08:00–17:00": "running",
            "Chloe, Tue 24 Nov 08:00–17:00": "running",
            "Anna, Wed 25 Nov 09:00–13:00": "ahead", "Anna, Wed 25 Nov 12:00–16:00": "ahead",
            "Bertil, Thu 26 Nov 09:00–16:00": "ahead",
            "Chloe, Fri 27 Nov 09:00–13:00": "ahead", "Chloe, Sat 28 Nov 10:00–14:00": "ahead",
        }
        # Each cell names its row's person and its column's day; each block sits in its own.
        rows = re.findall(r'<th scope="row" id="(p-\d+)" headers="people">([^<]*)', page)
        assert [name.strip() for _, name in rows] == ["Anna", "Bertil", "Chloe", "Cora Coordinator", "Dora"]
        bertil = dict((name.strip(), row) for row, name in rows)["Bertil"]
        cell = page.split(f'headers="{bertil} d-2026-11-26"', 1)[1].split("</td>", 1)[0]
        assert "Bertil, Thu 26 Nov </span>09:00–16:00" in cell
        assert '<th scope="col" id="d-2026-11-27"' in page and 'aria-current="date"' in page


async def test_overlaps_closed_days_exception_dates_and_deactivated_people_are_warned(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        page = (await client.get(ROSTER, params={"week": WEEK})).text
        assert warnings(page) == {
            "Dora, Mon 23 Nov 09:00–13:00": ["Deactivated"],
            "Anna, Wed 25 Nov 09:00–13:00": ["Overlaps"], "Anna, Wed 25 Nov 12:00–16:00": ["Overlaps"],
            "Chloe, Fri 27 Nov 09:00–13:00": ["Exception: closed"], "Chloe, Sat 28 Nov 10:00–14:00": ["Closed day"],
        }
        summary = page.split('id="warnings-title"', 1)[1].split("</div>", 1)[0]
        ids = blocks(page)
        assert f'<a href="#shift-{ids["Anna, Wed 25 Nov 12:00–16:00"]}">' in summary
        assert "overlaps another shift of the same advisor." in summary
        assert "the service is closed that day (an exception date)." in summary
        assert "the service has no opening hours that day." in summary
        assert "the advisor&#39;s account is deactivated." in summary
        # The Finnish page says it in Finnish, dates and times as Finns write them.
        finnish = (await client.get(ROSTER, params={"week": WEEK, "lang": "fi"})).text
        assert warnings(finnish)["Chloe, la 28.11. 10.00–14.00"] == ["Suljettu päivä"]


async def test_past_shifts_are_read_only_and_future_ones_can_be_picked_and_opened(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        page = (await client.get(ROSTER, params={"week": WEEK})).text
        ids = blocks(page)
        over, ahead = ids["Dora, Mon 23 Nov 09:00–13:00"], ids["Bertil, Thu 26 Nov 09:00–16:00"]
        assert f'id="pick-{over}"' not in page and f'href="{ROSTER}/shifts/{over}"' not in page
        assert f'id="pick-{ahead}"' in page and f'href="{ROSTER}/shifts/{ahead}"' in page
        # No way to add a shift on a day that is over, nor for a deactivated person.
        assert "Add a shift: Anna, Mon 23 Nov" not in page and "Add a shift: Anna, Tue 24 Nov" in page
        assert "Add a shift: Dora" not in page
        shift = await client.get(f"{ROSTER}/shifts/{ahead}")
        assert shift.status_code == 200 and "<h1>Bertil, Thu 26 Nov 09:00–16:00</h1>" in shift.text
        past = await client.get(f"{ROSTER}/shifts/{over}")
        assert "The shift is over." in past.text and "/cancel" not in past.text


async def test_the_month_shows_every_date_with_its_shifts_and_links_each_week(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        page = (await client.get(f"{ROSTER}/month", params={"month": "2026-11-10"})).text
        assert "<h2 id=\"month\">November 2026</h2>" in page
        weeks = re.findall(r'<a href="/coordinator/roster\?week=([\d-]+)">Week (\d+)</a>', page)
        assert weeks == [("2026-10-26", "44"), ("2026-11-02", "45"), ("2026-11-09", "46"), ("2026-11-16", "47"),
                         ("2026-11-23", "48"), ("2026-11-30", "49")]
        saturday = page.split("28 Nov</span>", 1)[1].split("</td>", 1)[0]
        assert "Chloe 10:00–14:00" in saturday and "Closed day" in saturday
        assert "?month=2026-10-01" in page and "?month=2026-12-01" in page

"""The forecast page on a running service: the grid, its table, the fixes, the form's checks
and the role. The seeded service: advisors Anna (fi, en), Bertil (sv, fi) and Chloe (en), each
on shift Tuesday 24 November 08:00-17:00; the clock is that Tuesday 10:00."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from chat.web.i18n import Translator
from chat.web.pages.coordinator_forecast import fix_text
from routing.staffing import Fix
from storage.tables import RefusedAttempt
from tests.chat.coordinator_fixtures import client_of, coordinating, rows_of
from tests.chat.forecast_fixtures import add_history, only_anna_on_tuesday_afternoon


async def test_the_week_grid_the_table_and_the_smallest_fix(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await add_history(service, per_hour=6, language="sv")
        await only_anna_on_tuesday_afternoon(service)
        page = await client.get("/coordinator/forecast", params={"week": "2026-11-25", "weeks": "4"})
        assert page.status_code == 200, page.text
        text = page.text
        # The four whole weeks before this one: 6 chats an hour, two hours, four Tuesdays.
        assert "Based on 48 chats from 26 Oct 2026 to 22 Nov 2026; 10 simulated runs." in text
        assert 'class="week-grid forecast-grid"' in text and text.count('<td class="forecast--bad">') == 2
        assert "One more Swedish-speaking shift on Tuesday 14:00–16:00" in text
        # The table says the same in words: Tuesday 15-16 misses the target, nobody answers.
        row = re.search(r"<tr><th scope=\"row\">Tue 24 Nov</th>\s*<td>15–16</td>(.*?)</tr>", text, re.S)
        assert row is not None and "nobody answers" in row.group(1) and "misses the target" in row.group(1)
        csv = await client.get("/coordinator/forecast", params={"week": "2026-11-25", "weeks": "4", "format": "csv"})
        assert csv.headers["content-disposition"] == 'attachment; filename="forecast-2026-11-23.csv"'
        table = rows_of(csv.text)
        assert table[0] == ["date", "hour", "expected_chats", "on_shift", "languages", "wait_p50_s", "wait_p90_s",
                            "answered_within_2min", "left_queue", "lost", "level"]
        assert [row[:2] for row in table[1:]] == [["2026-11-24", "14"], ["2026-11-24", "15"]]
        # Nobody speaking Swedish: nobody answered (no wait), none left (no patience seen), all lost.
        assert [row[3:] for row in table[1:]] == [["1", "en fi", "", "", "0", "0", "1", "bad"]] * 2
        finnish = await client.get("/coordinator/forecast", params={"week": "2026-11-25", "weeks": "4",
                                                                    "lang": "fi"})
        assert "Yksi ruotsinkielinen vuoro lisää: tiistai 14.00–16.00" in finnish.text
        swedish = await client.get("/coordinator/forecast", params={"week": "2026-11-25", "weeks": "4",
                                                                    "lang": "sv"})
        assert "Ett svenskspråkigt pass till: tisdag 14.00–16.00" in swedish.text


async def test_a_well_staffed_week_needs_no_fix_and_no_history_says_so(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        empty = await client.get("/coordinator/forecast", params={"week": "2026-11-24"})
        assert empty.status_code == 200 and "There are no statistics in the chosen weeks" in empty.text
        await add_history(service, per_hour=3, language="fi", hour=10)
        await add_history(service, per_hour=1, language="en", hour=12, weeks=1)  # one chat at 12, one at 13
        page = await client.get("/coordinator/forecast", params={"week": "2026-11-24", "weeks": "4"})
        assert "Every hour meets the target." in page.text and "turned away" not in page.text
        # The table's expected chats: 3 a week at 10 (as the history says, give or take the
        # simulation's draws); at 12 only "<3", the small-cell rule of the statistics.
        ten = re.search(r"<td>10–11</td>\s*<td class=\"num\">([0-9.]+)</td>", page.text)
        twelve = re.search(r"<td>12–13</td>\s*<td class=\"num\">([^<]+)</td>", page.text)
        assert ten is not None and 2 <= float(ten.group(1)) <= 4
        assert twelve is not None and twelve.group(1) == "&lt;3"
        grid = page.text.split('class="week-grid forecast-grid"')[1].split("</table>")[0]
        assert '<td class="forecast--ok">' in grid and "forecast--bad" not in grid


async def test_a_service_younger_than_the_weeks_chosen_is_averaged_over_its_own_weeks(tmp_path: Path) -> None:
    """Three Tuesdays of statistics, 3 Finnish chats an hour at 10 and 11, and eight weeks
    chosen: the demand is the three weeks' average (3 an hour, not 9 over 8), and the page says
    the history is shorter than chosen."""
    async with coordinating(tmp_path) as (service, client):
        await add_history(service, per_hour=3, language="fi", hour=10, weeks=3)
        page = await client.get("/coordinator/forecast", params={"week": "2026-11-24", "weeks": "8"})
        assert "Based on 18 chats from 2 Nov 2026 to 22 Nov 2026" in page.text
        assert ("The statistics begin only on 3 Nov 2026, so the demand is the weekly average of those 3 weeks, "
                "not of the 8 weeks chosen.") in page.text
        ten = re.search(r"<td>10–11</td>\s*<td class=\"num\">([0-9.]+)</td>", page.text)
        assert ten is not None and 2 <= float(ten.group(1)) <= 4
        finnish = await client.get("/coordinator/forecast", params={"week": "2026-11-24", "weeks": "8", "lang": "fi"})
        assert ("Tilastot alkavat vasta 3.11.2026, joten kysyntä on näiden 3 viikon keskiarvo eikä valittujen "
                "8 viikon.") in finnish.text
        swedish = await client.get("/coordinator/forecast", params={"week": "2026-11-24", "weeks": "8", "lang": "sv"})
        assert ("Statistiken börjar först den 3 nov. 2026, så efterfrågan är genomsnittet av 3 veckor, inte av de "
                "8 veckor som valts.") in swedish.text
        within = await client.get("/coordinator/forecast", params={"week": "2026-11-24", "weeks": "2"})
        assert "Based on 12 chats from 9 Nov 2026" in within.text and "The statistics begin" not in within.text


async def test_visitors_turned_away_unstaffed_are_demand_a_draft_can_serve(tmp_path: Path) -> None:
    """Tuesdays at 9 had nobody on shift: three visitors turned away each week. The draft week
    has all three advisors on from 8, so the forecast expects them and answers them."""
    async with coordinating(tmp_path) as (service, client):
        await add_history(service, per_hour=3, language="fi", hour=10)
        async with service.db.transaction() as session:
            for week in range(1, 5):
                at = datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Europe/Helsinki")) - timedelta(weeks=week)
                for _ in range(3):
                    session.add(RefusedAttempt(hour_bucket=at, reason="unstaffed", topic="work", language="fi"))
                session.add(RefusedAttempt(hour_bucket=at, reason="closed", topic="work", language="fi"))
        page = await client.get("/coordinator/forecast", params={"week": "2026-11-24", "weeks": "4"})
        assert "Based on 24 chats" in page.text
        assert "Also 12 visitors were turned away because nobody was on shift" in page.text
        nine = re.search(r"<td>09–10</td>\s*<td class=\"num\">([0-9.]+)</td>(.*?)</tr>", page.text, re.S)
        assert nine is not None and float(nine.group(1)) > 1 and "within the target" in nine.group(2)


async def test_the_form_refuses_what_is_out_of_bounds_and_advisors_are_refused(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await add_history(service, per_hour=3)
        wrong = await client.get("/coordinator/forecast", params={"week": "someday", "weeks": "99", "target": "0"})
        assert wrong.status_code == 200 and "error-summary" in wrong.text
        for message in ("Choose a date", "Choose 1–26 weeks", "Choose 1–60 minutes"):
            assert message in wrong.text
        assert "forecast-grid" not in wrong.text  # nothing is simulated from a wrong form
        async with client_of(service, "anna") as advisor:
            assert (await advisor.get("/coordinator/forecast")).status_code == 403


def test_a_fix_of_several_shifts_is_one_sentence_in_each_language() -> None:
    tz = ZoneInfo("Europe/Helsinki")
    wednesday = (datetime(2026, 11, 25, 9, tzinfo=tz), datetime(2026, 11, 25, 13, tzinfo=tz))
    bilingual = Fix(*wednesday, (frozenset({"sv", "fi"}),))
    three = Fix(*wednesday, (frozenset({"sv"}), frozenset({"en"}), frozenset({"sv"})))
    expected = {
        "fi": ("Yksi suomen- ja ruotsinkielinen vuoro lisää: keskiviikko 9.00–13.00",
               "2 ruotsinkielistä vuoroa ja yksi englanninkielinen vuoro lisää: keskiviikko 9.00–13.00",
               "Keskiviikko 9.00–13.00: ei korjaannu 3 lisävuorolla;"),
        "sv": ("Ett finsk- och svenskspråkigt pass till: onsdag 9.00–13.00",
               "2 svenskspråkiga pass och ett engelskspråkigt pass till: onsdag 9.00–13.00",
               "Onsdag 9.00–13.00: rättas inte med upp till 3 extra pass;"),
        "en": ("One more Finnish- and Swedish-speaking shift on Wednesday 09:00–13:00",
               "2 more Swedish-speaking shifts and one more English-speaking shift on Wednesday 09:00–13:00",
               "Wednesday 09:00–13:00: not fixed by up to 3 more shifts;"),
    }
    for language, (one, several, unfixed) in expected.items():
        t = Translator(language, tz=tz)
        assert fix_text(bilingual, t) == one
        assert fix_text(three, t) == several
        assert fix_text(Fix(*wednesday, ()), t).startswith(unfixed)

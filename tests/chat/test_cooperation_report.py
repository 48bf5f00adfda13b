"""The cooperation group's report of a half-year: coverage planned vs actual, gaps, each
organisation's share, the chats by topic, language, hour and outcome, the questionnaire and the
wait times on one page and in one CSV file, in the page's language, every count of one or two
chats written "<3". The known case is tests/chat/share_fixtures.py's, with one Swedish chat on
education added, rated 5 (a cell of one)."""

from __future__ import annotations

from pathlib import Path

import httpx

from storage.tables import ChatStatistic
from tests.chat.coordinator_fixtures import coordinating, rows_of
from tests.chat.share_fixtures import known_roster_and_duty_log, local, promise
from tests.service import Service

H2 = {"from": "2026-07-01", "to": "2026-12-31"}


async def known_half_year(service: Service, client: httpx.AsyncClient) -> None:
    orgs = await known_roster_and_duty_log(service)
    assert (await promise(client, orgs["kotka"], "40")).status_code == 303
    assert (await promise(client, orgs["kaakko"], "37.5")).status_code == 303
    async with service.db.transaction() as session:
        session.add(ChatStatistic(hour_bucket=local("2026-11-11T12:00"), local_hour=12, weekday=2, topic="education",
                                  language="sv", status="ended", wait_s=50, duration_s=300,
                                  organisation_id=orgs["kotka"], outcome="answered", rating=5))


def cells(rows: list[list[str]]) -> dict[tuple[str, str, str], str]:
    """(section, key, measure) → value of the report's CSV."""
    return {(section, key, measure): value for section, key, _, measure, value in rows[1:]}


async def test_the_report_page_shows_every_section_with_small_cells_suppressed(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await known_half_year(service, client)
        page = await client.get("/coordinator/report", params=H2)
        assert page.status_code == 200
        text = page.text
        assert "<h1>The cooperation group&#39;s report</h1>" in text
        for section in ("coverage", "gaps", "shares", "chats", "statistics", "survey"):
            assert f'id="{section}"' in text, section
        # Charts with their tables: coverage, gaps and shares, then topic, language, hour, outcome, rating.
        assert text.count("<svg") == 8 and text.count('role="img"') == 8
        assert 'aria-current="page">July–December 2026</a>' in text  # the preset of this period
        topic = text[text.index('id="h-topic"'):text.index('id="h-language"')]
        assert '<th scope="row">Education</th><td class="num">&lt;3</td>' in topic
        assert '<th scope="row">Work</th><td class="num">6</td>' in topic
        assert 'class="chart__value">&lt;3</text>' in topic and 'class="chart__value">1</text>' not in topic
        shares = text[text.index('id="h-shares"'):text.index('id="h-chats"')]
        kaakko = shares[shares.index('<th scope="row">Kaakko UAS</th>'):]
        assert '<td class="num">225</td>' in kaakko[:kaakko.index("</tr>")]
        assert '<td class="num">&lt;3</td>' in kaakko[:kaakko.index("</tr>")]
        assert "November 2026" in shares  # the months of the half-year
        chats = text[text.index('id="h-chats"'):text.index('id="h-statistics"')]
        assert '<th scope="row">November 2026</th><td class="num">7</td><td class="num">30</td>' in chats
        finnish = await client.get("/coordinator/report", params={**H2, "lang": "fi"})
        assert "Yhteistyöryhmän raportti" in finnish.text and "heinä–joulukuu 2026" in finnish.text
        assert "Marraskuu 2026" in finnish.text or "marraskuu 2026" in finnish.text
        wrong = await client.get("/coordinator/report", params={"from": "2026-12-01", "to": "2026-11-01"})
        assert wrong.status_code == 200 and 'id="to-error"' in wrong.text


async def test_the_whole_report_as_one_csv_file_in_the_pages_language(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await known_half_year(service, client)
        answer = await client.get("/coordinator/report", params={"half": "2026-H2", "format": "csv"})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
        assert answer.headers["content-disposition"] == 'attachment; filename="report-2026-07-01-2026-12-31.csv"'
        rows = rows_of(answer.text)
        assert rows[0] == ["Section", "Item (id)", "Item", "Measure (id)", "Value"]
        got = cells(rows)
        # Open mon-fri 09-16: 161 + 147 + 154 + 154 + 147 + 161 hours; today's shifts cover 7 of them.
        assert got[("coverage", "all", "open_hours")] == "924"
        assert got[("coverage", "2026-11", "planned_open_hours")] == "7"
        assert got[("coverage", "2026-10", "actual_open_hours")] == "3"  # Anna on 6 October, 09-12
        # 26 Tuesdays of 7 open hours; rostered: 09-16 today and 09-13 on 6 October. Unstaffed:
        # 12-13 on 6 October, and today 09:30-10:00 (now), after Anna and Bertil were available.
        assert got[("gaps", "1", "unrostered_hours")] == str(26 * 7 - 7 - 4)
        assert got[("gaps", "1", "unstaffed_hours")] == "1.5" and got[("gaps", "0", "unstaffed_hours")] == "0"
        assert got[("organisations", "kotka", "promised_hours")] == "240"
        assert got[("organisations", "kotka", "rostered_hours")] == "13"
        assert got[("organisations", "kaakko", "chats")] == "<3"
        assert got[("organisations_by_month", "2026-10/kotka", "actual_hours")] == "3"
        assert got[("chats", "chats", "value")] == "7" and got[("chats", "served", "value")] == "7"
        assert got[("waits", "all", "wait_p50_s")] == "30" and got[("waits", "2026-10", "wait_p50_s")] == ""
        assert got[("topic", "education", "chats")] == "<3" and got[("topic", "work", "chats")] == "6"
        assert got[("language", "sv", "chats")] == "<3" and got[("language", "fi", "served")] == "6"
        assert got[("hour", "10", "chats")] == "<3" and got[("hour", "00", "chats")] == "0"
        assert got[("outcome", "answered", "served")] == "7"
        assert got[("rating", "5", "chats")] == "<3" and ("rating", "5", "served") not in got
        assert got[("chats", "rating_mean", "value")] == "<3"  # a mean of one rating is withheld
        assert not [row for row in rows[1:] if row[4] in ("1", "2") and row[0] not in ("coverage", "gaps")
                    and "hours" not in row[3] and "share" not in row[3]], "no count of 1 or 2 chats"

        finnish = rows_of((await client.get("/coordinator/report", params={**H2, "format": "csv", "lang": "fi"})).text)
        assert finnish[0] == ["Osio", "Kohde (tunniste)", "Kohde", "Mittari (tunniste)", "Arvo"]
        assert cells(finnish)[("organisations", "kaakko", "rostered_of_promised")] == "0,04"
        assert ["coverage", "2026-11", "marraskuu 2026", "planned_open_hours", "7"] in finnish


async def test_advisors_cannot_open_the_report(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, _):
        cookie = await service.session_cookie("anna")
        async with httpx.AsyncClient(base_url=service.base, headers={"Cookie": cookie}) as anna:
            assert (await anna.get("/coordinator/report")).status_code == 403
            assert (await anna.get("/coordinator/report", params={"format": "csv"})).status_code == 403
        async with httpx.AsyncClient(base_url=service.base) as nobody:
            assert (await nobody.get("/coordinator/report")).headers["location"].startswith("/sign-in")


async def test_a_period_over_two_years_or_outside_the_calendar_is_refused_not_computed(tmp_path: Path) -> None:
    """Each month of a report is a coverage and a statistics run: a century would hold a core."""
    async with coordinating(tmp_path) as (_, client):
        long = await client.get("/coordinator/report", params={"from": "2026-01-01", "to": "2100-12-31"})
        assert "The report covers at most 2 years" in long.text
        for far in ("9999-12-31", "0001-01-01"):  # not a day of the service: the default period
            answered = await client.get("/coordinator/report", params={"from": far, "to": far})
            assert answered.status_code == 200, far
        forecast = await client.get("/coordinator/forecast", params={"week": "9999-12-30"})
        assert forecast.status_code == 200

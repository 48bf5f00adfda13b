"""The pages in the reader's language: plural forms by CLDR rule, numbers, dates and times
written the language's way (Babel), the roster import's reasons translated, and language links
that keep the page's query."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from chat.web.i18n import LANGUAGES, Translator
from tests.chat.coordinator_fixtures import coordinating, csrf_of

TZ = ZoneInfo("Europe/Helsinki")
ROSTER = "/coordinator/roster"


def test_a_count_picks_the_plural_form_of_each_language() -> None:
    texts = {language: [Translator(language)("coord.roster.error.rows", count=n) for n in (1, 2)]
             for language in LANGUAGES}
    assert texts == {
        "fi": ["Tiedostossa on 1 virheellinen rivi", "Tiedostossa on 2 virheellistä riviä"],
        "sv": ["Filen har 1 felaktig rad", "Filen har 2 felaktiga rader"],
        "en": ["The file has 1 row that is wrong", "The file has 2 rows that are wrong"],
    }


def test_numbers_dates_and_times_are_written_the_languages_way() -> None:
    moment = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)  # 09:05 in Helsinki
    fi, sv, en = (Translator(language, tz=TZ) for language in ("fi", "sv", "en"))
    assert [t.number(4.6667) for t in (fi, sv, en)] == ["4,67", "4,67", "4.67"]
    assert [t.number(1234.5) for t in (fi, en)] == ["1\xa0234,5", "1,234.5"]
    assert [t.percent(0.566) for t in (fi, en)] == ["57\xa0%", "57%"]
    assert [t.date(date(2026, 11, 24)) for t in (fi, sv, en)] == ["24.11.2026", "24 nov. 2026", "24 Nov 2026"]
    assert [t.datetime(moment) for t in (fi, en)] == ["24.11.2026 9.05", "24/11/2026, 09:05"]
    assert [t.day_month_time(moment) for t in (fi, en)] == ["24.11. 9.05", "24 Nov, 09:05"]
    # Numbers and dates filled into a text are written so too.
    assert fi("coord.people.error.password", count=1) == "Salasanassa on oltava vähintään 1 merkki"
    assert en("coord.settings.retention_hint", count=1).endswith("The server's default is 1 day.")


async def test_roster_import_reasons_and_counts_are_in_the_pages_language(tmp_path: Path) -> None:
    bad = "username,date,start,end\nnobody,2026-12-01,09:00,13:00\n"
    async with coordinating(tmp_path) as (_, client):
        csrf = await csrf_of(client, ROSTER)
        finnish = await client.post(f"{ROSTER}/import", params={"lang": "fi"}, data={"csrf": csrf},
                                    files={"file": ("december.csv", bad.encode(), "text/csv")})
        assert finnish.status_code == 400
        assert "Tiedostossa on 1 virheellinen rivi" in finnish.text
        assert "december.csv:2: tuntematon käyttäjä &#34;nobody&#34;" in finnish.text
        english = await client.post(f"{ROSTER}/import", data={"csrf": csrf},
                                    files={"file": ("december.csv", bad.encode(), "text/csv")})
        assert "The file has 1 row that is wrong" in english.text
        assert "december.csv:2: unknown user &#34;nobody&#34;" in english.text
        good = "username,date,start,end\nanna,2026-12-01,09:00,13:00\n"
        imported = await client.post(f"{ROSTER}/import", data={"csrf": csrf},
                                     files={"file": ("december.csv", good.encode(), "text/csv")})
        assert "Imported 1 shift (1 in the file)." in imported.text
        swedish = await client.post(f"{ROSTER}/import", params={"lang": "sv"}, data={"csrf": csrf}, files={
            "file": ("mars.csv", b"username,date,start,end\nanna,2027-03-28,03:30,08:00\n", "text/csv")})
        assert 'mars.csv:2: starttiden &#34;03:30&#34; finns inte den 28 mars 2027 (klockan flyttas)' in swedish.text


async def test_coverage_dates_and_times_are_the_languages_and_language_links_keep_the_week(
        tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (_, client):
        finnish = await client.get("/coordinator/coverage", params={"week": "2026-11-24", "lang": "fi"})
        assert "23.11.2026 – 29.11.2026" in finnish.text
        assert "23.11. 9.00" in finnish.text  # the first gap's start, Monday 09:00
        assert "%" not in finnish.text.split("week-grid")[0]  # no strftime pattern leaked
        english = await client.get("/coordinator/coverage", params={"week": "2026-11-24"})
        assert "23 Nov 2026 – 29 Nov 2026" in english.text and "23 Nov, 09:00" in english.text
        assert 'href="?week=2026-11-24&amp;lang=sv"' in english.text
        statistics = await client.get("/coordinator/statistics", params={"from": "2026-11-01", "to": "2026-11-30"})
        assert 'href="?from=2026-11-01&amp;to=2026-11-30&amp;lang=fi"' in statistics.text

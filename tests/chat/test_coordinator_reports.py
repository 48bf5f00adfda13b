"""Coverage and statistics pages: the week grid, charts with their tables, CSV exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storage import duty, people
from storage.tables import ChatStatistic
from tests.chat.coordinator_fixtures import coordinating, rows_of
from tests.service import Service, send, until

TZ = ZoneInfo("Europe/Helsinki")


async def test_coverage_week_grid_tables_and_csv(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        async with service.db.transaction() as session:
            anna = await people.user_by_username(session, username="anna")
            assert anna is not None and anna.id is not None
            at = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
            await duty.open_period(session, user_id=anna.id, kind="signed_in", now=at)
            await duty.open_period(session, user_id=anna.id, kind="available", now=at)
        page = await client.get("/coordinator/coverage", params={"week": "2026-11-24"})
        assert page.status_code == 200
        assert 'class="week-grid"' in page.text
        # Monday is open but nobody was rostered; Tuesday 09-10 Anna was on shift and available.
        assert page.text.count("<td class=\"cell cell--unrostered\">") == 4 * 7  # mon, wed, thu, fri 09-16
        assert "cell cell--staffed" in page.text and "cell cell--rostered" in page.text

        gaps = await client.get("/coordinator/coverage", params={"week": "2026-11-24", "format": "csv",
                                                                 "table": "gaps"})
        assert gaps.headers["content-type"].startswith("text/csv")
        assert rows_of(gaps.text)[:2] == [["kind", "start", "end", "hours"],
                                          ["unrostered", "2026-11-23 09:00", "2026-11-23 16:00", "7"]]
        summary = dict(rows_of((await client.get("/coordinator/coverage", params={
            "week": "2026-11-24", "format": "csv"})).text)[1:])
        measured = (summary["open"], summary["planned"], summary["planned_open"], summary["actual"])
        assert measured == ("35", "9", "7", "1")
        month = await client.get("/coordinator/coverage", params={"month": "2026-11"})
        assert month.status_code == 200 and "week-grid" not in month.text


async def test_statistics_page_has_charts_tables_and_csv_with_the_less_than_three_rule(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        async with service.db.transaction() as session:
            kotka = await people.organisation_by_slug(session, slug="kotka")
            assert kotka is not None
            for topic, count in (("work", 4), ("education", 2), ("wellbeing", 1)):
                for _ in range(count):
                    session.add(ChatStatistic(
                        hour_bucket=datetime(2026, 11, 10, 8, tzinfo=ZoneInfo("UTC")), local_hour=10, weekday=1,
                        topic=topic, language="fi", status="ended", wait_s=20, duration_s=300,
                        organisation_id=kotka.id, outcome="answered", rating=4))
        page = await client.get("/coordinator/statistics", params={"from": "2026-11-01", "to": "2026-11-30"})
        assert page.status_code == 200
        assert page.text.count("<svg") == 7 and page.text.count("<title id=") == 7 and page.text.count("<desc") == 7
        assert ">Wellbeing</th><td class=\"num\">1</td>" in page.text  # the page itself shows the real count
        topics = rows_of((await client.get("/coordinator/statistics", params={
            "from": "2026-11-01", "to": "2026-11-30", "format": "csv", "table": "topic"})).text)
        assert topics == [["Topic (id)", "Topic", "Chats", "Served"], ["education", "Education", "<3", "<3"],
                          ["wellbeing", "Wellbeing", "<3", "<3"], ["work", "Work", "4", "4"]]
        summary = {row[0]: row[2] for row in rows_of((await client.get("/coordinator/statistics", params={
            "from": "2026-11-01", "to": "2026-11-30", "format": "csv"})).text)[1:]}
        assert (summary["chats"], summary["served"], summary["abandoned"], summary["wait_p50_s"]) == (
            "7", "7", "0", "20")
        hours = rows_of((await client.get("/coordinator/statistics", params={
            "from": "2026-11-01", "to": "2026-11-30", "format": "csv", "table": "hour"})).text)
        assert hours[11] == ["10", "10", "7", "7"] and hours[1] == ["00", "00", "0", "0"]
        wrong = await client.get("/coordinator/statistics", params={"from": "2026-11-10", "to": "2026-11-01"})
        assert wrong.status_code == 200 and "error-summary" in wrong.text


async def add_chats(service: Service, *ratings: int | None, served: bool = True) -> None:
    async with service.db.transaction() as session:
        kotka = await people.organisation_by_slug(session, slug="kotka")
        assert kotka is not None
        for rating in ratings:
            session.add(ChatStatistic(
                hour_bucket=datetime(2026, 11, 10, 8, tzinfo=ZoneInfo("UTC")), local_hour=10, weekday=1,
                topic="work", language="fi", status="ended", wait_s=20, duration_s=300 if served else None,
                organisation_id=kotka.id if served else None, outcome="answered" if served else None,
                rating=rating))


NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


async def test_statistics_csv_has_an_id_and_a_label_column_under_headers_in_the_pages_language(
        tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await add_chats(service, 4, 5, 5)
        weekdays = rows_of((await client.get("/coordinator/statistics", params={
            **NOVEMBER, "format": "csv", "table": "weekday"})).text)
        assert weekdays[:3] == [["Weekday (id)", "Weekday", "Chats", "Served"], ["0", "Mon", "0", "0"],
                                ["1", "Tue", "3", "3"]]
        topics = rows_of((await client.get("/coordinator/statistics", params={
            **NOVEMBER, "format": "csv", "table": "topic", "lang": "fi"})).text)
        assert topics == [["Aihe (tunniste)", "Aihe", "Keskusteluja", "Palvellut"], ["work", "Työ", "3", "3"]]
        summary = rows_of((await client.get("/coordinator/statistics", params={**NOVEMBER, "format": "csv"})).text)
        assert summary[0] == ["Measure (id)", "Measure", "Value"]
        assert ["rating_mean", "Rating, mean (1–5)", "4.67"] in summary


async def test_statistics_page_writes_numbers_the_languages_way(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await add_chats(service, 4, 5, 5)
        finnish = await client.get("/coordinator/statistics", params={**NOVEMBER, "lang": "fi"})
        assert '<td class="num">4,67</td>' in finnish.text
        english = await client.get("/coordinator/statistics", params=NOVEMBER)
        assert '<td class="num">4.67</td>' in english.text
        finnish_csv = (await client.get("/coordinator/statistics", params={
            **NOVEMBER, "format": "csv", "lang": "fi"})).text
        # As Excel in a Finnish locale opens it in columns: `;` between, a decimal comma.
        assert finnish_csv.startswith("\ufeffMittari (tunniste);Mittari;Arvo\r\n")
        assert ["rating_mean", "Arvio, keskiarvo (1–5)", "4,67"] in rows_of(finnish_csv)
        swedish = rows_of((await client.get("/coordinator/statistics", params={
            **NOVEMBER, "format": "csv", "lang": "sv"})).text)
        assert next(row for row in swedish if row[0] == "rating_mean")[2] == "4,67"


async def test_measures_of_fewer_than_three_chats_are_written_less_than_three_on_the_page_and_in_csv(
        tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await add_chats(service, 4, 5)  # two served chats, both rated
        await add_chats(service, None, None, None, served=False)  # three unserved: 5 chats in all
        summary = {row[0]: row[2] for row in rows_of((await client.get("/coordinator/statistics", params={
            **NOVEMBER, "format": "csv"})).text)[1:]}
        assert summary["chats"] == "5" and summary["served"] == "<3"
        assert [summary[k] for k in ("wait_p50_s", "wait_p90_s", "duration_p50_s", "rating_mean")] == ["<3"] * 4
        page = await client.get("/coordinator/statistics", params=NOVEMBER)
        for measure in ("Wait, median (s)", "Wait, 90th percentile (s)", "Duration, median (s)",
                        "Rating, mean (1–5)"):
            assert f'<th scope="row">{measure}</th><td class="num">&lt;3</td>' in page.text
        assert "4.5" not in page.text


async def test_a_csv_file_name_is_made_only_from_known_table_names(tmp_path: Path) -> None:
    """Issue 14.14: the raw `table` parameter never reaches Content-Disposition; an unknown
    table, a header injection or a non-ASCII value is answered with the summary table."""
    tricks = ('x"; filename="evil.exe', "x\r\nSet-Cookie: a=b", "tää", "../../etc/passwd", "gaps\x00")
    async with coordinating(tmp_path) as (_, client):
        for path, params in (("/coordinator/coverage", {"week": "2026-11-24"}),
                             ("/coordinator/statistics", {"from": "2026-11-01", "to": "2026-11-30"})):
            for table in tricks:
                answer = await client.get(path, params={**params, "format": "csv", "table": table})
                assert answer.status_code == 200, (path, table, answer.status_code)
                disposition = answer.headers["content-disposition"]
                assert disposition.endswith('-summary.csv"') and disposition.count('"') == 2, disposition
                assert "set-cookie" not in answer.headers


async def test_the_now_panel_shows_who_is_on_the_queue_and_chats_nobody_on_duty_can_serve(tmp_path: Path) -> None:
    async with coordinating(tmp_path, seeded=True) as (service, client):
        anna, _ = await service.advisor("anna")
        await send(anna, {"type": "status", "status": "available"})
        await until(anna, "status")
        visitor = await service.visitor()
        await send(visitor, {"type": "start", "topic": "work", "language": "sv"})  # Anna has fi and en
        assert (await until(visitor, "queued"))["position"] == 1
        service.clock.advance(240)
        page = await client.get("/coordinator")
    assert page.status_code == 200
    panel = page.text[page.text.index('<section class="now"'):page.text.index("</section>")]
    assert "In the queue</dt><dd>1</dd>" in panel and "Longest wait</dt><dd>4 min</dd>" in panel
    assert "<td>Swedish</td>" in panel and "nobody on duty speaks the language" in panel
    assert "<td>Anna</td><td>Kotka College</td>" in panel and "available" in panel
    # Tuesday: Anna is rostered until 17:00 and the service closes at 16:00, so no gap is left.
    assert "The rest of today&#39;s opening hours are covered." in panel

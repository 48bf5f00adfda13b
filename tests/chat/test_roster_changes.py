"""Changing the roster from its calendar over HTTP, forms with CSRF as a browser without
JavaScript sends them: bulk cancel and move of the ticked shifts (all or none), one shift moved
to another advisor and day, the undo of the last change (audited, refused once the roster has
moved on), templates for several weekdays in one post, and the add page of a grid cell. The
week: tests/chat/roster_week.py (the clock stands at Tuesday 24.11.2026 10:00)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import httpx
from sqlmodel import select

from storage.tables import AuditEntry, ShiftTemplateRow
from tests.chat.coordinator_fixtures import client_of, coordinating, csrf_of
from tests.chat.roster_page import blocks, warnings
from tests.chat.roster_week import WEEK, warned_week
from tests.service import Service

ROSTER = "/coordinator/roster"


async def audit_actions(service: Service) -> list[str]:
    async with service.db.transaction() as session:
        return [e.action for e in (await session.execute(select(AuditEntry))).scalars().all()]


async def follow(client: httpx.AsyncClient, response: httpx.Response) -> tuple[dict[str, list[str]], str]:
    """Where a change sent the browser (its query) and that page."""
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    query = parse_qs(location.query)
    # The client's own params (lang) would replace the query of a URL given whole.
    page = await client.get(location.path, params={**{k: v[0] for k, v in query.items()}, "lang": "en"})
    return query, page.text


def undo_form(page: str) -> str:
    found = re.search(r'name="undo" value="([^"]+)"', page)
    assert found is not None, "no undo offered"
    return html.unescape(found.group(1))


async def test_the_ticked_shifts_are_cancelled_together_and_the_undo_puts_them_back(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        csrf = await csrf_of(client, ROSTER)
        ids = blocks((await client.get(ROSTER, params={"week": WEEK})).text)
        ticked = [ids["Anna, Wed 25 Nov 09:00–13:00"], ids["Anna, Wed 25 Nov 12:00–16:00"],
                  ids["Bertil, Thu 26 Nov 09:00–16:00"]]
        response = await client.post(f"{ROSTER}/shifts/bulk", data={
            "csrf": csrf, "week": WEEK, "action": "cancel", "shift": [str(i) for i in ticked]})
        query, page = await follow(client, response)
        assert query["focus"] == ["done"]
        assert '<div class="success done" id="done" tabindex="-1" autofocus>' in page
        assert "3 shifts were cancelled." in page
        assert not set(blocks(page)) & {"Anna, Wed 25 Nov 09:00–13:00", "Bertil, Thu 26 Nov 09:00–16:00"}
        assert "Anna, Wed 25 Nov 09:00–13:00" not in warnings(page)  # no overlap left to warn of
        assert (await audit_actions(service)).count("shift_cancel") == 1  # one change, one entry

        undone = await client.post(f"{ROSTER}/undo", data={"csrf": csrf, "week": WEEK, "undo": undo_form(page)})
        query, page = await follow(client, undone)
        assert "The change was undone." in page and query["focus"] == ["done"]
        assert {"Anna, Wed 25 Nov 09:00–13:00", "Anna, Wed 25 Nov 12:00–16:00",
                "Bertil, Thu 26 Nov 09:00–16:00"} <= set(blocks(page))
        assert (await audit_actions(service))[-1] == "roster_undo"
        # The undo is the last change now: undoing it in turn is a redo.
        assert ">Redo</button>" in page
        _, page = await follow(client, await client.post(f"{ROSTER}/undo", data={
            "csrf": csrf, "week": WEEK, "undo": undo_form(page)}))
        assert not set(blocks(page)) & {"Anna, Wed 25 Nov 09:00–13:00", "Bertil, Thu 26 Nov 09:00–16:00"}


async def test_a_shift_under_way_is_cancelled_from_now_without_an_undo(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (_, client):
        csrf = await csrf_of(client, ROSTER)
        ids = blocks((await client.get(ROSTER, params={"week": WEEK})).text)
        response = await client.post(f"{ROSTER}/shifts/bulk", data={
            "csrf": csrf, "week": WEEK, "action": "cancel", "shift": str(ids["Chloe, Tue 24 Nov 08:00–17:00"])})
        query, page = await follow(client, response)
        assert "1 shift was cancelled." in page and "undo" not in query and 'name="undo"' not in page
        none = await client.post(f"{ROSTER}/shifts/bulk", data={"csrf": csrf, "week": WEEK, "action": "cancel"})
        assert none.status_code == 400 and '<a href="#grid">Tick at least one shift</a>' in none.text


async def test_the_ticked_shifts_move_by_days_and_hours_all_or_none(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        csrf = await csrf_of(client, ROSTER)
        ids = blocks((await client.get(ROSTER, params={"week": WEEK})).text)
        wednesday = [ids["Anna, Wed 25 Nov 09:00–13:00"], ids["Anna, Wed 25 Nov 12:00–16:00"]]
        move = {"csrf": csrf, "week": WEEK, "action": "move", "shift": [str(i) for i in wednesday]}
        query, page = await follow(client, await client.post(f"{ROSTER}/shifts/bulk", data={**move, "days": "1"}))
        assert "2 shifts were moved." in page and query["focus"] == ["done"]
        assert {"Anna, Thu 26 Nov 09:00–13:00", "Anna, Thu 26 Nov 12:00–16:00"} <= set(blocks(page))
        assert warnings(page)["Anna, Thu 26 Nov 12:00–16:00"] == ["Overlaps"]  # still overlapping: warned
        # Two hours later: the later shift first, so neither lands on the other's old place.
        query, page = await follow(client, await client.post(f"{ROSTER}/shifts/bulk", data={**move, "hours": "2"}))
        assert {"Anna, Thu 26 Nov 11:00–15:00", "Anna, Thu 26 Nov 14:00–18:00"} <= set(blocks(page))
        assert warnings(page)["Anna, Thu 26 Nov 14:00–18:00"] == ["Overlaps"]

        # With a shift under way among them nothing moves, and the refusal names it at its tick.
        running = ids["Chloe, Tue 24 Nov 08:00–17:00"]
        refused = await client.post(f"{ROSTER}/shifts/bulk", data={
            **move, "shift": [str(wednesday[0]), str(running)], "days": "1", "lang": "en"})
        assert refused.status_code == 400
        assert (f'<a href="#pick-{running}">Chloe, Tue 24 Nov 08:00–17:00: A shift that has begun cannot be moved'
                in refused.text)
        assert f'id="pick-{wednesday[0]}" class="block__pick" checked' in refused.text  # the ticks are kept
        assert "Anna, Thu 26 Nov 11:00–15:00" in blocks(refused.text)
        into_the_past = await client.post(f"{ROSTER}/shifts/bulk", data={**move, "days": "-3"})
        assert into_the_past.status_code == 400 and "A shift cannot start in the past." in into_the_past.text
        nothing = await client.post(f"{ROSTER}/shifts/bulk", data={**move, "days": "0", "hours": "x"})
        assert nothing.status_code == 400 and 'href="#bulk-days"' in nothing.text


async def test_a_shift_dragged_to_another_cell_moves_there_and_the_focus_follows_it(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        csrf = await csrf_of(client, ROSTER)
        shift = blocks((await client.get(ROSTER, params={"week": WEEK})).text)["Bertil, Thu 26 Nov 09:00–16:00"]
        # What the grid's script posts for a block dropped on Anna's cell of next Monday.
        response = await client.post(f"{ROSTER}/shifts/{shift}/move", data={
            "csrf": csrf, "week": WEEK, "form": "week", "advisor": "anna", "day": "2026-11-30",
            "start": "09:00", "end": "16:00"})
        query, page = await follow(client, response)
        assert query["week"] == ["2026-11-30"] and query["focus"] == [f"shift-{shift}"]
        assert blocks(page)["Anna, Mon 30 Nov 09:00–16:00"] == shift
        assert f'id="shift-{shift}" class="block__link" autofocus' in page
        assert "1 shift was moved." in page
        # Undo: Bertil's again, on Thursday, and the focus on it there.
        query, page = await follow(client, await client.post(f"{ROSTER}/undo", data={
            "csrf": csrf, "week": "2026-11-30", "undo": undo_form(page)}))
        assert query["week"] == [WEEK] and blocks(page)["Bertil, Thu 26 Nov 09:00–16:00"] == shift
        # Onto a deactivated person, or onto the advisor's identical shift: refused, on the week.
        for advisor, day in (("dora", "2026-11-27"), ("anna", "2026-11-25")):
            refused = await client.post(f"{ROSTER}/shifts/{shift}/move", data={
                "csrf": csrf, "week": WEEK, "form": "week", "advisor": advisor, "day": day,
                "start": "09:00" if advisor == "dora" else "12:00", "end": "16:00"})
            assert refused.status_code == 400 and 'id="grid"' in refused.text, advisor


async def test_an_undo_is_refused_once_the_roster_has_moved_on(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await warned_week(service)
        csrf = await csrf_of(client, ROSTER)
        shift = blocks((await client.get(ROSTER, params={"week": WEEK})).text)["Bertil, Thu 26 Nov 09:00–16:00"]
        _, page = await follow(client, await client.post(f"{ROSTER}/shifts/{shift}/cancel",
                                                         data={"csrf": csrf, "week": WEEK}))
        token = undo_form(page)
        # Someone adds the very shift again: the undo would have nothing to put back.
        added = await client.post(f"{ROSTER}/shifts", data={"csrf": csrf, "week": WEEK, "advisor": "bertil",
                                                            "day": "2026-11-26", "start": "09:00", "end": "16:00"})
        assert added.status_code == 303
        refused = await client.post(f"{ROSTER}/undo", data={"csrf": csrf, "week": WEEK, "undo": token})
        assert refused.status_code == 400 and "Nothing was undone: the roster has changed since." in refused.text
        # Another session (the same coordinator, another browser) cannot send this one's undo.
        async with client_of(service, "cora") as other:
            other_csrf = await csrf_of(other, ROSTER)
            assert (await other.post(f"{ROSTER}/undo", data={"csrf": other_csrf, "undo": token})).status_code == 400
        # Once a shift has begun, the change to it is history: no undo offered, and none taken.
        _, page = await follow(client, await client.post(f"{ROSTER}/shifts", data={
            "csrf": csrf, "week": WEEK, "advisor": "chloe", "day": "2026-11-24", "start": "12:00", "end": "15:00"}))
        noon = blocks(page)["Chloe, Tue 24 Nov 12:00–15:00"]
        _, page = await follow(client, await client.post(f"{ROSTER}/shifts/{noon}/cancel",
                                                         data={"csrf": csrf, "week": WEEK}))
        token = undo_form(page)
        await service.tick(3 * 3600)  # 13:00
        later = await client.get(ROSTER, params={"week": WEEK, "done": "cancelled", "undo": token})
        assert "1 shift was cancelled." in later.text and 'name="undo"' not in later.text
        refused = await client.post(f"{ROSTER}/undo", data={"csrf": csrf, "week": WEEK, "undo": token})
        assert refused.status_code == 400 and "The change can no longer be undone" in refused.text
        assert (await audit_actions(service)).count("roster_undo") == 0


async def test_a_template_for_several_weekdays_is_one_post_and_one_change(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, ROSTER)
        week = {"csrf": csrf, "week": "2026-12-07"}
        response = await client.post(f"{ROSTER}/templates", data={
            **week, "advisor": "chloe", "weekday": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00",
            "end": "13:00"})
        _, page = await follow(client, response)
        assert "Templates were added for 5 weekdays." in page
        async with service.db.transaction() as session:
            rows = (await session.execute(select(ShiftTemplateRow))).scalars().all()
        assert sorted(row.weekday for row in rows) == [0, 1, 2, 3, 4]
        assert (await audit_actions(service)).count("template_add") == 1
        made = {f"Chloe, {day} 09:00–13:00" for day in ("Mon 7 Dec", "Tue 8 Dec", "Wed 9 Dec", "Thu 10 Dec",
                                                          "Fri 11 Dec")}
        _, page = await follow(client, await client.post(f"{ROSTER}/apply", data=week))
        assert "5 shifts were added from the weekly templates." in page and made <= set(blocks(page))
        # Undone, the shifts the templates made are gone as if never made: applying again makes them.
        _, page = await follow(client, await client.post(f"{ROSTER}/undo", data={**week, "undo": undo_form(page)}))
        assert "The change was undone." in page and not made & set(blocks(page)) and ">Redo</button>" not in page
        _, page = await follow(client, await client.post(f"{ROSTER}/apply", data=week))
        assert "5 shifts were added from the weekly templates." in page and made <= set(blocks(page))
        none = await client.post(f"{ROSTER}/templates", data={**week, "advisor": "chloe", "start": "09:00",
                                                               "end": "13:00"})
        assert none.status_code == 400 and '<a href="#tpl-weekday">Tick at least one weekday</a>' in none.text
        kept = await client.post(f"{ROSTER}/templates", data={**week, "advisor": "chloe", "weekday": ["sat", "sun"],
                                                               "start": "9", "end": "13:00"})
        assert kept.status_code == 400 and 'value="sat" checked' in kept.text and 'value="mon" checked' not in kept.text


async def test_a_cells_add_link_opens_a_form_for_that_person_and_day(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (_, client):
        csrf = await csrf_of(client, ROSTER)
        week = (await client.get(ROSTER, params={"week": WEEK})).text
        link = re.search(r'<a class="slot__add" href="([^"]+)"><span aria-hidden="true">\+</span>'
                         r'<span class="visually-hidden">Add a shift: Anna, Thu 26 Nov</span>', week)
        assert link is not None
        href = urlsplit(html.unescape(link.group(1)))
        page = (await client.get(href.path, params={**dict(parse_qsl(href.query)), "lang": "en"})).text
        assert "<h1>Add a shift: Anna, Thu 26 Nov</h1>" in page and 'value="2026-11-26"' in page
        assert re.search(r'<input id="shift-start" name="start" [^>]*autofocus>', page)
        bad = await client.post(f"{ROSTER}/shifts", data={"csrf": csrf, "form": "new", "advisor": "anna",
                                                          "day": "2026-11-26", "start": "noon", "end": "13:00"})
        assert bad.status_code == 400 and "<h1>Add a shift: Anna, Thu 26 Nov</h1>" in bad.text
        assert 'href="#shift-start"' in bad.text and "autofocus" in bad.text.split('class="error-summary"', 1)[1][:200]
        query, page = await follow(client, await client.post(f"{ROSTER}/shifts", data={
            "csrf": csrf, "form": "new", "advisor": "anna", "day": "2026-11-29", "start": "10:00", "end": "12:00"}))
        shift = blocks(page)["Anna, Sun 29 Nov 10:00–12:00"]
        assert query["focus"] == [f"shift-{shift}"] and warnings(page)["Anna, Sun 29 Nov 10:00–12:00"] == ["Closed day"]

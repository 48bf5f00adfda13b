"""Shift requests end to end on the real server, through the pages' own forms: an advisor offers
to cover a gap, asks to swap a shift or gives one away; the second advisor answers on their
console; a coordinator approves or declines; the roster and the iCalendar feed show what was
approved and nothing else; every step is in the audit log.

The seeded service is open mon-fri 09-16 and the clock stands at Tuesday 24.11.2026 10:00."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import icalendar
from sqlalchemy import select

from routing.shift_requests import RequestKind, RequestState
from storage import people, roster, shift_requests
from storage.tables import AuditEntry, ShiftRequest
from tests.chat.coordinator_fixtures import client_of, coordinating, csrf_of
from tests.service import TUESDAY_10, Service

WEDNESDAY_9 = TUESDAY_10 + timedelta(days=1, hours=-1)
THURSDAY_12 = TUESDAY_10 + timedelta(days=2, hours=2)


async def add_shift(service: Service, username: str, start: datetime, hours: int) -> int:
    async with service.db.transaction() as session:
        user = await people.user_by_username(session, username=username)
        assert user is not None and user.id is not None
        await roster.add_shifts(session, shifts=[(user.id, start, start + timedelta(hours=hours))])
        [shift] = [s for s in await roster.shifts_of_user(session, user_id=user.id, start=start,
                                                         end=start + timedelta(hours=hours)) if s.start == start]
        return shift.id or 0


async def shifts_of(service: Service, username: str) -> list[tuple[datetime, datetime]]:
    async with service.db.transaction() as session:
        user = await people.user_by_username(session, username=username)
        assert user is not None and user.id is not None
        rows = await roster.shifts_of_user(session, user_id=user.id, start=TUESDAY_10,
                                           end=TUESDAY_10 + timedelta(days=14))
        return [(row.start, row.end) for row in rows]


async def audited(service: Service) -> list[str]:
    async with service.db.transaction() as session:
        entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars().all()  # type: ignore[arg-type]
        return [e.action for e in entries if e.action.startswith(("shift_request", "swaps_"))]


async def feed_events(client: httpx.AsyncClient) -> list[tuple[datetime, datetime]]:
    """The shifts in the advisor's own iCalendar feed, found by the link on their console."""
    page = (await client.get("/console")).text
    link = html.unescape(re.search(r'href="(/calendar/[^"]+)"', page).group(1))  # type: ignore[union-attr]
    url = httpx.URL(link)
    feed = await client.get(url.path, params=dict(url.params))
    assert feed.status_code == 200
    calendar = icalendar.Calendar.from_ical(feed.content)
    return [(event["DTSTART"].dt, event["DTEND"].dt) for event in calendar.walk("VEVENT")]


def item(page: str, element_id: str) -> str:
    """The text of the list item with that id, tags stripped."""
    found = re.search(rf'<li id="{element_id}"[^>]*>(.*?)</li>', page, re.S)
    assert found is not None, element_id
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip())


async def follow(client: httpx.AsyncClient, response: httpx.Response) -> str:
    """The page a post's redirect names (the client's own `lang` parameter would replace its query)."""
    url = httpx.URL(response.headers["location"])
    return (await client.get(url.path, params=dict(url.params))).text


def request_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li id="request-(\d+)"', page)]


async def post(client: httpx.AsyncClient, path: str, page: str, **data: str) -> httpx.Response:
    return await client.post(path, data={"csrf": await csrf_of(client, page), **data})


async def offer_first_gap(client: httpx.AsyncClient, gap_id: str) -> httpx.Response:
    """Press the gap's "Offer to cover", as its form has it."""
    page = (await client.get("/console")).text
    form = page.split(f'<li id="{gap_id}">', 1)[1].split("</li>", 1)[0]
    start, end = re.findall(r'name="(?:start|end)" value="([^"]+)"', form)
    return await post(client, "/console/requests/cover", "/console", start=start, end=end)


async def test_an_offer_to_cover_approved_is_a_shift_on_the_roster_and_in_the_calendar_feed(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna:
        offered = await offer_first_gap(anna, "gap-20261125T0900")
        assert offered.status_code == 303 and offered.headers["location"] == "/console?done=cover#requests-title"
        console = await follow(anna, offered)
        assert "Your offer to cover is waiting for a coordinator." in console
        assert "You offered to cover this" in item(console, "gap-20261125T0900")
        [request_id] = request_ids(console)
        assert item(console, f"request-{request_id}") == (
            "Anna offers to cover Wed 25 Nov 09:00–16:00 (waiting for a coordinator) Withdraw")

        page = (await cora.get("/coordinator/requests")).text
        assert "Anna offers to cover Wed 25 Nov 09:00–16:00 (waiting for a coordinator)" in item(
            page, f"request-{request_id}")
        overview = (await cora.get("/coordinator")).text
        assert overview.count("1 request waiting for you") == 1
        assert item(overview, "gap-20261125T0900").endswith("– Anna offered to cover")
        week = (await cora.get("/coordinator/roster", params={"week": "2026-11-23"})).text
        assert item(week, "gap-20261125T0900").endswith("– Anna offered to cover")
        approved = await post(cora, f"/coordinator/requests/{request_id}/approve", "/coordinator/requests")
        assert approved.status_code == 303

        wednesday = (WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=7))
        assert wednesday in await shifts_of(service, "anna")
        assert wednesday in await feed_events(anna)
        assert "Approved: the roster and the calendar feeds show the change." in await follow(cora, approved)
        assert "approved by Cora Coordinator" in item((await anna.get("/console")).text, f"request-{request_id}")
        overview = (await cora.get("/coordinator")).text
        assert item(overview, "gap-20261125T0900").startswith(
            "Wed 25 Nov 09:00–16:00 has nobody on shift who speaks Swedish")
        assert await audited(service) == ["shift_request_cover", "shift_request_approve"]

        # What is left of the gap needs Swedish, which Chloe does not speak; today is no gap at all.
        async with client_of(service, "chloe") as chloe:
            console = (await chloe.get("/console")).text
            assert "Offer to cover" not in item(console, "gap-20261125T0900")
            for start, hours, error in ((WEDNESDAY_9, 7, "language"), (TUESDAY_10 + timedelta(hours=1), 1, "gap_gone")):
                refused = await post(chloe, "/console/requests/cover", "/console", start=start.isoformat(),
                                     end=(start + timedelta(hours=hours)).isoformat())
                assert refused.headers["location"] == f"/console?error={error}#error-summary"
            assert "That time is no longer a gap: someone covers it now." in await follow(chloe, refused)
        assert await audited(service) == ["shift_request_cover", "shift_request_approve"]


async def ask_anna_to_swap_with_bertil(service: Service, anna: httpx.AsyncClient) -> tuple[int, int]:
    """Anna's Wednesday 09-12 for Bertil's Thursday 12-16, asked on her shift's page."""
    own, theirs = await add_shift(service, "anna", WEDNESDAY_9, 3), await add_shift(service, "bertil", THURSDAY_12, 4)
    shift_page = (await anna.get(f"/console/shifts/{own}")).text
    assert "<h1>Your shift Wed 25 Nov 09:00–12:00</h1>" in shift_page
    assert f'<option value="{theirs}" >Bertil, Thu 26 Nov 12:00–16:00</option>' in shift_page
    asked = await post(anna, f"/console/shifts/{own}/swap", f"/console/shifts/{own}", other=str(theirs))
    assert asked.status_code == 303 and asked.headers["location"] == "/console?done=swap#requests-title"
    return own, theirs


async def answer(client: httpx.AsyncClient, request_id: int, event: str) -> httpx.Response:
    return await post(client, f"/console/requests/{request_id}/{event}", "/console")


async def test_a_swap_agreed_then_declined_changes_nothing(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        await ask_anna_to_swap_with_bertil(service, anna)
        before = {name: await shifts_of(service, name) for name in ("anna", "bertil")}
        feed_before = await feed_events(anna)
        console = (await bertil.get("/console")).text
        [request_id] = request_ids(console)
        assert item(console, f"request-{request_id}") == (
            "Anna asks to swap Wed 25 Nov 09:00–12:00 for Bertil's Thu 26 Nov 12:00–16:00 "
            "(waiting for Bertil's answer) Agree Turn down")
        finnish = (await bertil.get("/console", params={"lang": "fi"})).text
        assert item(finnish, f"request-{request_id}") == (
            "Anna pyytää vaihtamaan vuoron ke 25.11. 9.00–12.00 vuoroon to 26.11. 12.00–16.00 (Bertil) "
            "(odottaa vastausta: Bertil) Hyväksyn Kieltäydyn")
        swedish = (await bertil.get("/console", params={"lang": "sv"})).text
        assert item(swedish, f"request-{request_id}").startswith(
            "Anna vill byta ons 25 nov. 9.00–12.00 mot tors 26 nov. 12.00–16.00 (Bertil) (väntar på svar från Bertil)")
        # Chloe is not asked: she may not answer for Bertil.
        async with client_of(service, "chloe") as chloe:
            assert (await answer(chloe, request_id, "agree")).headers["location"] == (
                "/console?error=not_allowed#error-summary")
        assert (await answer(bertil, request_id, "agree")).headers["location"] == "/console?done=agree#requests-title"
        assert "(waiting for a coordinator)" in item((await cora.get("/coordinator/requests")).text,
                                                     f"request-{request_id}")
        declined = await post(cora, f"/coordinator/requests/{request_id}/decline", "/coordinator/requests")
        assert declined.status_code == 303
        assert {name: await shifts_of(service, name) for name in ("anna", "bertil")} == before
        assert await feed_events(anna) == feed_before
        assert "(declined by Cora Coordinator)" in item((await anna.get("/console")).text, f"request-{request_id}")
        assert await audited(service) == ["shift_request_swap", "shift_request_agree", "shift_request_decline"]


async def test_where_the_setting_says_so_an_agreed_swap_goes_through_at_once(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        saved = await post(cora, "/coordinator/requests/settings", "/coordinator/requests", immediate="on")
        assert saved.status_code == 303
        assert 'name="immediate" value="on" aria-describedby="immediate-hint" checked' in (
            await cora.get("/coordinator/requests")).text
        await ask_anna_to_swap_with_bertil(service, anna)
        [request_id] = request_ids((await bertil.get("/console")).text)
        week = (await cora.get("/coordinator/roster", params={"week": "2026-11-23"})).text
        assert week.count('<span class="request-mark">Request pending</span>') == 2  # both shifts of the swap
        agreed = await answer(bertil, request_id, "agree")
        assert agreed.headers["location"] == "/console?done=at_once#requests-title"
        wednesday = (WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=3))
        thursday = (THURSDAY_12, THURSDAY_12 + timedelta(hours=4))
        assert thursday in await shifts_of(service, "anna") and wednesday not in await shifts_of(service, "anna")
        assert wednesday in await shifts_of(service, "bertil") and thursday not in await shifts_of(service, "bertil")
        assert thursday in await feed_events(anna) and wednesday in await feed_events(bertil)
        week = (await cora.get("/coordinator/roster", params={"week": "2026-11-23"})).text
        assert "Request pending" not in week
        assert "(went through at once: both agreed)" in item((await cora.get("/coordinator/requests")).text,
                                                            f"request-{request_id}")
        assert await audited(service) == ["swaps_immediate", "shift_request_swap", "shift_request_agree"]


async def test_a_swap_that_would_overlap_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        await post(cora, "/coordinator/requests/settings", "/coordinator/requests", immediate="on")
        await ask_anna_to_swap_with_bertil(service, anna)
        await add_shift(service, "bertil", WEDNESDAY_9 + timedelta(hours=1), 1)  # 10-11 on Anna's Wednesday
        before = await shifts_of(service, "bertil")
        [request_id] = request_ids((await bertil.get("/console")).text)
        refused = await answer(bertil, request_id, "agree")
        assert refused.headers["location"] == "/console?error=overlap#error-summary"
        assert "That would give someone two overlapping shifts." in await follow(bertil, refused)
        assert await shifts_of(service, "bertil") == before
        assert "(waiting for Bertil's answer)" in item((await anna.get("/console")).text, f"request-{request_id}")
        assert await audited(service) == ["swaps_immediate", "shift_request_swap"]


async def test_a_shift_given_to_anyone_is_taken_approved_and_on_the_takers_roster(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "chloe") as chloe:
        own = await add_shift(service, "anna", WEDNESDAY_9, 3)
        given = await post(anna, f"/console/shifts/{own}/give", f"/console/shifts/{own}", to="")
        assert given.headers["location"] == "/console?done=give#requests-title"
        console = (await chloe.get("/console")).text
        [request_id] = request_ids(console)
        assert item(console, f"request-{request_id}") == (
            "Anna gives Wed 25 Nov 09:00–12:00 away to anyone who takes it (waiting for someone to take it) "
            "Take this shift")
        # The giver can withdraw, not take her own shift.
        assert "Withdraw" in item((await anna.get("/console")).text, f"request-{request_id}")
        assert (await answer(anna, request_id, "agree")).headers["location"].endswith("error=not_allowed#error-summary")
        await answer(chloe, request_id, "agree")
        approved = await post(cora, f"/coordinator/requests/{request_id}/approve", "/coordinator/requests")
        assert approved.status_code == 303
        wednesday = (WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=3))
        assert wednesday in await shifts_of(service, "chloe") and wednesday not in await shifts_of(service, "anna")
        assert wednesday in await feed_events(chloe) and wednesday not in await feed_events(anna)
        assert await audited(service) == ["shift_request_give", "shift_request_agree", "shift_request_approve"]


async def test_only_coordinators_decide_only_the_asker_withdraws_and_every_post_needs_its_token(
        tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        await ask_anna_to_swap_with_bertil(service, anna)
        [request_id] = request_ids((await anna.get("/console")).text)
        assert (await post(anna, f"/coordinator/requests/{request_id}/approve", "/console")).status_code == 403
        assert (await bertil.post(f"/console/requests/{request_id}/agree", data={})).status_code == 403
        withdrawn = await answer(bertil, request_id, "withdraw")
        assert withdrawn.headers["location"].endswith("error=not_allowed#error-summary")
        # A coordinator cannot approve what Bertil has not agreed to; the page says why, by the request.
        refused = await post(cora, f"/coordinator/requests/{request_id}/approve", "/coordinator/requests")
        assert refused.status_code == 400
        assert f'<li><a href="#request-{request_id}">The other advisor has not agreed yet.</a></li>' in refused.text
        assert (await answer(anna, request_id, "withdraw")).headers["location"] == (
            "/console?done=withdraw#requests-title")
        assert "(withdrawn)" in item((await bertil.get("/console")).text, f"request-{request_id}")
        # Someone else's shift has no page of its own for Anna, nor a give-away.
        bertils = await add_shift(service, "bertil", THURSDAY_12 + timedelta(days=1), 2)
        assert (await anna.get(f"/console/shifts/{bertils}")).status_code == 404
        stolen = await post(anna, f"/console/shifts/{bertils}/give", "/console", to="anna")
        assert stolen.status_code == 404  # refused ("not yours"), and the page answers as for no shift
        assert await audited(service) == ["shift_request_swap", "shift_request_withdraw"]


async def test_the_coordinator_sees_what_approving_would_meet_before_approving(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "chloe") as chloe:
        saturday = await add_shift(service, "anna", TUESDAY_10 + timedelta(days=4), 2)  # the service is closed
        wednesday = await add_shift(service, "anna", WEDNESDAY_9, 3)
        for shift in (saturday, wednesday):
            await post(anna, f"/console/shifts/{shift}/give", f"/console/shifts/{shift}", to="chloe")
        later, first = request_ids((await chloe.get("/console")).text)
        for request_id in (first, later):
            await answer(chloe, request_id, "agree")
        # Meanwhile the coordinator cancels Anna's Wednesday shift on the roster.
        cancelled = await post(cora, f"/coordinator/roster/shifts/{wednesday}/cancel", "/coordinator/roster",
                               week="2026-11-23")
        assert cancelled.status_code == 303
        page = (await cora.get("/coordinator/requests")).text
        # (The item's text up to its list of warnings' first.)
        assert item(page, f"request-{first}") == (
            "Anna gives Sat 28 Nov 10:00–12:00 to Chloe (waiting for a coordinator) "
            "the service has no opening hours that day.")
        assert "The roster has changed since: the shift is no longer as it was." in item(page, f"request-{later}")
        refused = await post(cora, f"/coordinator/requests/{later}/approve", "/coordinator/requests")
        assert refused.status_code == 400
        assert (f'<li><a href="#request-{later}">The roster has changed since: the shift is no longer as it was.'
                '</a></li>') in refused.text
        # A warning is not a refusal: the Saturday shift goes to Chloe.
        assert (await post(cora, f"/coordinator/requests/{first}/approve", "/coordinator/requests")).status_code == 303
        saturday_span = (TUESDAY_10 + timedelta(days=4), TUESDAY_10 + timedelta(days=4, hours=2))
        assert saturday_span in await shifts_of(service, "chloe")


async def test_two_approvals_at_once_approve_once(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, cora), client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        await ask_anna_to_swap_with_bertil(service, anna)
        [request_id] = request_ids((await bertil.get("/console")).text)
        await answer(bertil, request_id, "agree")
        csrf = await csrf_of(cora, "/coordinator/requests")
        both = await asyncio.gather(*(cora.post(f"/coordinator/requests/{request_id}/approve", data={"csrf": csrf})
                                      for _ in range(2)))
        assert sorted(r.status_code for r in both) == [303, 400]
        assert "The request has been decided already." in next(r.text for r in both if r.status_code == 400)
        assert await shifts_of(service, "anna") == [(TUESDAY_10.replace(hour=8), TUESDAY_10.replace(hour=17)),
                                                    (THURSDAY_12, THURSDAY_12 + timedelta(hours=4))]
        assert await audited(service) == ["shift_request_swap", "shift_request_agree", "shift_request_approve"]


async def test_one_shift_given_away_twice_at_once_is_in_one_request(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, _), client_of(service, "anna") as anna:
        own = await add_shift(service, "anna", WEDNESDAY_9, 3)
        csrf = await csrf_of(anna, f"/console/shifts/{own}")
        both = await asyncio.gather(*(anna.post(f"/console/shifts/{own}/give", data={"csrf": csrf, "to": to})
                                      for to in ("bertil", "chloe")))
        assert sorted(r.status_code for r in both) == [303, 400]
        assert "That shift is in another request already." in next(r.text for r in both if r.status_code == 400)
        assert len(request_ids((await anna.get("/console")).text)) == 1
        assert await audited(service) == ["shift_request_give"]


async def pending_give_away(service: Service, shift_id: int, giver: str, taker: str) -> int:
    """A give-away of the shift that the taker has agreed to, stored as it is: as two asked at
    once could leave one beside another (before the shift was locked while asked about)."""
    async with service.db.transaction() as session:
        users = {u.username: u.id or 0 for u in await people.all_users(session)}
        request = await shift_requests.add(session, request=ShiftRequest(
            kind=RequestKind.GIVE, status=RequestState.PENDING, requester_id=users[giver], shift_id=shift_id,
            other_user_id=users[taker], created_at=TUESDAY_10, agreed_at=TUESDAY_10))
        return request.id or 0


async def test_two_requests_about_one_shift_approved_at_once_hand_it_on_once(tmp_path: Path) -> None:
    """Anna's Wednesday given to Chloe and to Bertil, both agreed: approved at the same moment,
    one goes through and the other finds the shift no longer Anna's."""
    async with coordinating(tmp_path) as (service, cora):
        own = await add_shift(service, "anna", WEDNESDAY_9, 3)
        requests = [await pending_give_away(service, own, "anna", taker) for taker in ("chloe", "bertil")]
        csrf = await csrf_of(cora, "/coordinator/requests")
        both = await asyncio.gather(*(cora.post(f"/coordinator/requests/{request_id}/approve", data={"csrf": csrf})
                                      for request_id in requests))
        assert sorted(r.status_code for r in both) == [303, 400]
        refused = next(r.text for r in both if r.status_code == 400)
        assert "The roster has changed since: the shift is no longer as it was." in refused
        wednesday = (WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=3))
        holders = [name for name in ("anna", "bertil", "chloe") if wednesday in await shifts_of(service, name)]
        assert holders in (["bertil"], ["chloe"])
        assert await audited(service) == ["shift_request_approve"]

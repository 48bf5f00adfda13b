"""Signing out while holding chats asks first, on a page of its own (no JavaScript needed): it
lists the chats and says what becomes of them; "sign out anyway" signs out. Without chats, a
sign-out is one click as before. The console links coordinators to their own pages."""

from __future__ import annotations

from html import unescape

from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator, client_of, csrf_of
from tests.service import Service, send, until


async def test_signing_out_with_a_chat_in_progress_asks_first_and_signs_out_only_when_told(service: Service) -> None:
    await service.chat("anna", topic="work", language="en")
    ended = await service.chat("anna", topic="education")
    await send(ended.visitor, {"type": "end"})  # no longer in progress: not listed
    await until(ended.advisor, "ended")
    async with client_of(service, "anna") as anna:
        csrf = await csrf_of(anna, "/console")
        asked = await anna.post("/sign-out", data={"csrf": csrf})
        page = unescape(asked.text)
        assert asked.status_code == 200 and "You have 1 chat in progress" in page
        assert "Work · English · arrived 10:00" in page and "Education" not in page
        assert "after 60 seconds each chat goes back to the queue" in page
        assert 'name="anyway" value="yes"' in page and 'href="/console"' in page
        assert (await anna.get("/console")).status_code == 200  # still signed in

        gone = await anna.post("/sign-out", data={"csrf": csrf, "anyway": "yes"})
        assert (gone.status_code, gone.headers["location"]) == (303, "/sign-in")
        assert (await anna.get("/console")).status_code == 303


async def test_signing_out_without_chats_in_progress_is_one_click(service: Service) -> None:
    async with client_of(service, "bertil") as bertil:
        csrf = await csrf_of(bertil, "/console")
        gone = await bertil.post("/sign-out", data={"csrf": csrf})
        assert (gone.status_code, gone.headers["location"]) == (303, "/sign-in")


async def test_the_finnish_page_counts_chats_the_finnish_way(service: Service) -> None:
    await service.chat("anna")
    second = await service.visitor()
    await send(second, {"type": "start", "topic": "work", "language": "fi"})
    await until(second, "assigned")
    async with client_of(service, "anna") as anna:
        csrf = await csrf_of(anna, "/console")
        page = unescape((await anna.post("/sign-out", data={"csrf": csrf}, params={"lang": "fi"})).text)
    assert "Sinulla on 2 keskustelua kesken" in page and "Kirjaudu ulos silti" in page


async def test_the_console_links_coordinators_to_their_pages_and_advisors_not(service: Service) -> None:
    await add_coordinator(service)
    async with client_of(service, COORDINATOR) as cora, client_of(service, "anna") as anna:
        for path in ("/console", "/console/offline", "/console/chats"):
            assert 'href="/coordinator">Coordinator pages</a>' in (await cora.get(path)).text
            assert 'href="/coordinator"' not in (await anna.get(path)).text

"""The people page: organisations added and renamed, accounts created and edited with their
checks, a new password and a deactivation ending the person's sessions, and a reactivation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import select

from storage import people, roster
from storage.tables import AuditEntry, User
from tests.chat.coordinator_fixtures import COORDINATOR, choose_own, coordinating, csrf_of, rows_of
from tests.service import PASSWORD, Service, until

PEOPLE = "/coordinator/people"
ROSTER = "/coordinator/roster"
NEW_PASSWORD = "a new long secret"


async def user(service: Service, username: str) -> User:
    async with service.db.transaction() as session:
        found = await people.user_by_username(session, username=username)
    assert found is not None
    return found


async def follow(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    """The page a 303 sends to (the client's own ?lang=en would replace the location's query)."""
    assert response.status_code == 303, response.text
    url = httpx.URL(response.headers["location"])
    return await client.get(url.path, params={**dict(url.params), "lang": "en"})


async def signs_in(service: Service, username: str, password: str) -> bool:
    async with await service.http() as client:
        response = await client.post("/api/session", json={"username": username, "password": password})
    return response.status_code == 200


async def test_organisations_are_added_and_renamed_and_a_taken_slug_is_an_error(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, PEOPLE)
        added = await client.post(f"{PEOPLE}/organisations", data={"csrf": csrf, "slug": "lappi", "name": "Lappi AMK"})
        page = await follow(client, added)
        assert "The organisation was added." in page.text and "Lappi AMK" in page.text
        taken = await client.post(f"{PEOPLE}/organisations", data={"csrf": csrf, "slug": "Kotka", "name": "Again"})
        assert taken.status_code == 400 and 'href="#org-slug"' in taken.text
        assert "The short name kotka is already taken" in taken.text
        bad = await client.post(f"{PEOPLE}/organisations", data={"csrf": csrf, "slug": "no spaces", "name": ""})
        assert bad.status_code == 400 and 'href="#org-slug"' in bad.text and 'href="#org-name"' in bad.text
        assert 'aria-describedby="org-slug-hint org-slug-error"' in bad.text
        async with service.db.transaction() as session:
            lappi = await people.organisation_by_slug(session, slug="lappi")
        assert lappi is not None
        renamed = await client.post(f"{PEOPLE}/organisations/{lappi.id}", data={"csrf": csrf, "name": "Lapin AMK"})
        assert renamed.status_code == 303
        empty = await client.post(f"{PEOPLE}/organisations/{lappi.id}", data={"csrf": csrf, "name": " "})
        assert empty.status_code == 400 and f'href="#org-{lappi.id}-name"' in empty.text
        assert service.live.config.organisations[lappi.id or 0].name == "Lapin AMK"  # reloaded at once
        missing = await client.post(f"{PEOPLE}/organisations/999", data={"csrf": csrf, "name": "X"})
        assert missing.status_code == 404


def account(csrf: str, **changes: object) -> dict[str, object]:
    return {"csrf": csrf, "username": "dora", "name": "Dora", "organisation": "1", "role": "advisor",
            "languages": ["fi", "sv"], "topics": [], "capacity": "2", "password": "long enough", **changes}


async def test_an_account_is_created_with_every_check_and_can_sign_in(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, PEOPLE)
        bad = await client.post(f"{PEOPLE}/users", data=account(
            csrf, username="Dora Explorer", name="", organisation="99", role="boss", languages=["xx"],
            topics=["nonsense"], capacity="11", password="short"))
        assert bad.status_code == 400
        for field in ("user-username", "user-name", "user-organisation", "user-role", "user-languages",
                      "user-topics", "user-capacity", "user-password"):
            assert f'href="#{field}"' in bad.text and f'id="{field}"' in bad.text, field
        assert 'value="dora explorer"' in bad.text  # what was typed comes back, the password does not
        assert "short" not in bad.text.split('id="user-password"')[1].split(">")[0]
        taken = await client.post(f"{PEOPLE}/users", data=account(csrf, username="anna", name=""))
        assert taken.status_code == 400 and "The username anna is already taken" in taken.text  # with other errors
        assert (await client.post(f"{PEOPLE}/users", data=account(csrf, topics=["work"]))).status_code == 303
        dora = await user(service, "dora")
        assert (dora.name, dora.role, dora.languages, dora.topics, dora.capacity, dora.active) == (
            "Dora", "advisor", "fi,sv", "work", 2, True)
        assert "dora" in service.live.config.users
        # Set by the coordinator, so one-time: dora chooses her own before she is signed in.
        assert dora.password_one_time and not await signs_in(service, "dora", "long enough")
        assert (await choose_own(service, "dora", "long enough", "dora's own choice")).status_code == 303
        assert await signs_in(service, "dora", "dora's own choice")
        # No topic ticked means every topic.
        assert (await client.post(f"{PEOPLE}/users", data=account(csrf, username="eino"))).status_code == 303
        assert (await user(service, "eino")).topics is None


async def test_an_account_is_edited_and_a_coordinator_cannot_demote_themselves(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        page = await client.get(f"{PEOPLE}/users/anna")
        assert page.status_code == 200 and 'value="Anna"' in page.text
        csrf = await csrf_of(client, PEOPLE)
        form = account(csrf, name="Anna A.", organisation="2", role="coordinator", languages=["en"],
                       topics=["work", "education"], capacity="5")
        assert (await client.post(f"{PEOPLE}/users/anna", data=form)).status_code == 303
        anna = await user(service, "anna")
        assert (anna.name, anna.organisation_id, anna.role, anna.languages, anna.topics, anna.capacity) == (
            "Anna A.", 2, "coordinator", "en", "education,work", 5)
        bad = await client.post(f"{PEOPLE}/users/anna", data={**form, "capacity": "0", "languages": []})
        assert bad.status_code == 400 and 'href="#edit-capacity"' in bad.text and 'href="#edit-languages"' in bad.text
        own = await client.post(f"{PEOPLE}/users/{COORDINATOR}", data={**form, "role": "advisor"})
        assert own.status_code == 400 and "You cannot change your own role" in own.text
        assert (await client.get(f"{PEOPLE}/users/nobody")).status_code == 404


async def session_works(service: Service, cookie: str) -> bool:
    name, value = cookie.split("=", 1)
    async with httpx.AsyncClient(base_url=service.base, cookies={name: value}) as client:
        return (await client.get("/console")).status_code == 200


async def test_a_new_password_and_a_deactivation_end_the_persons_sessions(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, PEOPLE)
        cookie = await service.session_cookie("bertil")
        assert await session_works(service, cookie)
        short = await client.post(f"{PEOPLE}/users/bertil/password", data={"csrf": csrf, "password": "1234567"})
        assert short.status_code == 400 and 'href="#new-password"' in short.text
        assert await session_works(service, cookie)
        done = await client.post(f"{PEOPLE}/users/bertil/password", data={"csrf": csrf, "password": NEW_PASSWORD})
        assert done.status_code == 303
        assert not await session_works(service, cookie)
        assert not await signs_in(service, "bertil", PASSWORD)
        chosen = await choose_own(service, "bertil", NEW_PASSWORD, NEW_PASSWORD + " of his own")
        cookie = f"neuvo_session={chosen.cookies['neuvo_session']}"
        console, _ = await service.advisor("bertil", cookie=cookie)

        active = await client.post(f"{PEOPLE}/users/bertil/active", data={"csrf": csrf, "active": "0",
                                                                           "confirm": "1"})
        assert active.status_code == 303
        assert not await session_works(service, cookie)
        assert await until(console, "signed_out") == {"type": "signed_out"}  # an open console is closed too
        await console.wait_closed()
        assert console.close_code == 4401
        assert not await signs_in(service, "bertil", NEW_PASSWORD + " of his own")
        assert "bertil" not in service.live.config.users
        page = await client.get(PEOPLE)
        assert "deactivated" in page.text and "Bertil" in page.text  # still listed: history stays
        own = await client.post(f"{PEOPLE}/users/{COORDINATOR}/active", data={"csrf": csrf, "active": "0"})
        assert own.status_code == 400 and 'href="#deactivate"' in own.text

        active = await client.post(f"{PEOPLE}/users/bertil/active", data={"csrf": csrf, "active": "1"})
        assert active.status_code == 303
        assert await signs_in(service, "bertil", NEW_PASSWORD + " of his own")
        assert "bertil" in service.live.config.users
        async with service.db.transaction() as session:
            actions = [e.action for e in (await session.execute(select(AuditEntry))).scalars().all()]
        assert {"password_set", "user_deactivate", "user_reactivate"} <= set(actions)


async def test_deactivation_asks_first_then_cancels_the_future_shifts_that_coverage_counted(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):  # now: Tuesday 2026-11-24 10:00
        csrf = await csrf_of(client, PEOPLE)
        bertil = await user(service, "bertil")
        async with service.db.transaction() as session:  # besides today's 08-17, Thursday 09-16
            await roster.add_shifts(session, shifts=[(bertil.id or 0, local("2026-11-26T09:00"),
                                                      local("2026-11-26T16:00"))])
        for weekday in ("mon", "thu"):
            response = await client.post(f"{ROSTER}/templates", data={
                "csrf": csrf, "week": "2026-11-30", "advisor": "bertil", "weekday": weekday, "start": "09:00",
                "end": "16:00"})
            assert response.status_code == 303
        assert not [g for g in await gaps(client) if g[1].startswith("2026-11-26")]  # Bertil is rostered

        ask = await client.post(f"{PEOPLE}/users/bertil/active", data={"csrf": csrf, "active": "0"})
        assert ask.status_code == 200 and "Deactivate Bertil (bertil)?" in ask.text
        assert "Shifts from now on</th><td>2</td>" in ask.text and "Weekly templates</th><td>2</td>" in ask.text
        assert (await user(service, "bertil")).active  # nothing changed yet
        confirmed = await client.post(f"{PEOPLE}/users/bertil/active", data={"csrf": csrf, "active": "0",
                                                                              "confirm": "1"})
        assert "The account was deactivated" in (await follow(client, confirmed)).text
        assert not (await user(service, "bertil")).active

        assert ["unrostered", "2026-11-26 09:00", "2026-11-26 16:00", "7"] in await gaps(client)
        roster_now = service.live.config.roster
        assert "bertil" not in roster_now.on_shift(local("2026-11-24T10:30"))
        assert "bertil" not in roster_now.on_shift(local("2026-11-26T10:00"))
        shares = await client.get("/coordinator/coverage", params={"week": "2026-11-23", "format": "csv",
                                                                   "table": "organisations"})
        assert rows_of(shares.text)[1][:2] == ["kaakko", "2"]  # 08-10 today, planned before he left
        page = await client.get(ROSTER, params={"week": "2026-11-30"})
        assert page.text.count("deactivated: not added to weeks") == 2  # shown, marked, not hidden
        assert (await client.post(f"{ROSTER}/apply", data={"csrf": csrf, "week": "2026-11-30"})).status_code == 303
        async with service.db.transaction() as session:
            assert await roster.shifts_of_user(session, user_id=bertil.id or 0, start=local("2026-11-30T00:00"),
                                               end=local("2026-12-07T00:00")) == []
            entries = (await session.execute(select(AuditEntry).where(AuditEntry.action == "user_deactivate"))).all()
        assert [entry.detail for (entry,) in entries] == ["bertil: 2 shifts from now on cancelled"]


async def gaps(client: httpx.AsyncClient) -> list[list[str]]:
    response = await client.get("/coordinator/coverage", params={"week": "2026-11-23", "format": "csv",
                                                                 "table": "gaps"})
    return rows_of(response.text)[1:]


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Helsinki"))

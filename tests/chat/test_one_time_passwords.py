"""A password set by someone else is a one-time password (issue 14.12): it opens no session, on
the JSON sign-in or the page; its holder must first choose their own, which ends the one-time
one. So a coordinator who sets an advisor's password cannot sign in as them and read their
transcripts; the audit log says who set it and when its holder replaced it."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlmodel import select

from storage.tables import AuditEntry
from tests.chat.coordinator_fixtures import (
    COORDINATOR,
    choose_own,
    coordinating,
    csrf_of,
    set_password_as_coordinator,
)

SET_BY_COORDINATOR = "coordinator knows this"
ANNAS_OWN = "only anna knows this"


async def test_a_coordinator_who_sets_an_advisors_password_cannot_sign_in_as_them(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        conversation = await service.chat("anna")  # anna handled a chat: its transcript is hers to read
        await set_password_as_coordinator(client, "anna", SET_BY_COORDINATOR)
        async with await service.http() as attacker:
            refused = await attacker.post("/api/session", json={"username": "anna", "password": SET_BY_COORDINATOR})
            assert refused.status_code == 403 and refused.json()["code"] == "password_change_required"
            assert "neuvo_session" not in refused.cookies
            csrf = await csrf_of(attacker, "/sign-in")
            page = await attacker.post("/sign-in", data={"csrf": csrf, "username": "anna",
                                                         "password": SET_BY_COORDINATOR})
            assert "neuvo_session" not in page.cookies
            transcript = await attacker.get(f"/console/chats/{conversation.chat}")
            assert transcript.status_code == 303  # to the sign-in page: no session

        chosen = await choose_own(service, "anna", SET_BY_COORDINATOR, ANNAS_OWN)
        assert chosen.status_code == 303 and chosen.headers["location"] == "/console"
        cookie = chosen.cookies["neuvo_session"]
        async with httpx.AsyncClient(base_url=service.base, cookies={"neuvo_session": cookie}) as anna:
            assert (await anna.get(f"/console/chats/{conversation.chat}")).status_code == 200
        async with await service.http() as attacker:  # the one-time password is spent
            again = await attacker.post("/api/session", json={"username": "anna", "password": SET_BY_COORDINATOR})
            assert again.status_code == 401
            own = await attacker.post("/api/session", json={"username": "anna", "password": ANNAS_OWN})
            assert own.status_code == 200
        async with service.db.transaction() as session:
            entries = (await session.execute(select(AuditEntry).where(
                AuditEntry.action.in_(("password_set", "password_chosen"))))).scalars().all()  # type: ignore[attr-defined]
        assert [(e.actor, e.action, e.detail) for e in entries] == [
            (COORDINATOR, "password_set", "anna"), ("anna", "password_chosen", "anna")]


async def test_the_holder_must_choose_a_new_password_of_their_own(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        await set_password_as_coordinator(client, "bertil", SET_BY_COORDINATOR)
        same = await choose_own(service, "bertil", SET_BY_COORDINATOR, SET_BY_COORDINATOR)
        assert same.status_code == 400 and "neuvo_session" not in same.cookies
        short = await choose_own(service, "bertil", SET_BY_COORDINATOR, "short")
        assert short.status_code == 400
        async with httpx.AsyncClient(base_url=service.base) as browser:
            csrf = await csrf_of(browser, "/sign-in")
            wrong = await browser.post("/sign-in/password", data={
                "csrf": csrf, "username": "bertil", "current": "not the one", "password": ANNAS_OWN,
                "again": ANNAS_OWN})
            assert wrong.status_code == 400 and "neuvo_session" not in wrong.cookies
            mismatch = await browser.post("/sign-in/password", data={
                "csrf": csrf, "username": "bertil", "current": SET_BY_COORDINATOR, "password": ANNAS_OWN,
                "again": ANNAS_OWN + "!"})
            assert mismatch.status_code == 400


async def test_a_user_a_coordinator_adds_gets_a_one_time_password_and_own_passwords_are_not(
    tmp_path: Path
) -> None:
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, "/coordinator/people")
        kotka = service.live.config.organisations
        org_id = next(iter(kotka))
        added = await client.post("/coordinator/people/users", data={
            "csrf": csrf, "username": "dora", "name": "Dora", "organisation": str(org_id), "role": "advisor",
            "capacity": "3", "languages": "fi", "password": SET_BY_COORDINATOR})
        assert added.status_code == 303, added.text
        async with await service.http() as someone:
            refused = await someone.post("/api/session", json={"username": "dora", "password": SET_BY_COORDINATOR})
            assert refused.status_code == 403
        # A coordinator's own new password is theirs: no change asked for.
        await set_password_as_coordinator(client, COORDINATOR, "cora's own new one")
        assert (await service.session_cookie(COORDINATOR, "cora's own new one")).startswith("neuvo_session=")

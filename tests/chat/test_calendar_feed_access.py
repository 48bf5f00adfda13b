"""A calendar feed answers only for an active user with their current token (issue 14.15): a
deactivated user's feed is 404, and a leaked feed address is revoked by renewing that one
user's feed (a per-user stored secret in the token), by a coordinator or by the advisor on
their console, each in the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select

from storage.tables import AuditEntry
from tests.chat.coordinator_fixtures import client_of, coordinating, csrf_of
from tests.service import Service


def feed_of(page: str, username: str) -> str:
    found = re.search(rf'"(/calendar/{username}\.ics\?token=[0-9a-f]+)"', page)
    assert found is not None, f"no feed link for {username}"
    return found.group(1)


async def audited(service: Service, action: str) -> list[tuple[str, str]]:
    async with service.db.transaction() as session:
        rows = (await session.execute(select(AuditEntry).where(AuditEntry.action == action))).scalars().all()
    return [(row.actor, row.detail) for row in rows]


async def test_a_deactivated_advisors_feed_is_404(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client), await service.http() as anonymous:
        feed = feed_of((await client.get("/coordinator/roster")).text, "anna")
        assert (await anonymous.get(feed)).status_code == 200
        csrf = await csrf_of(client, "/coordinator/people/users/anna")
        done = await client.post("/coordinator/people/users/anna/active",
                                 data={"csrf": csrf, "active": "0", "confirm": "1"})
        assert done.status_code == 303
        assert (await anonymous.get(feed)).status_code == 404


async def test_a_coordinator_renews_one_advisors_feed_and_the_old_address_is_404(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client), await service.http() as anonymous:
        roster = (await client.get("/coordinator/roster")).text
        old, others = feed_of(roster, "anna"), feed_of(roster, "bertil")
        csrf = await csrf_of(client, "/coordinator/people/users/anna")
        renewed = await client.post("/coordinator/people/users/anna/calendar", data={"csrf": csrf})
        assert renewed.status_code == 303
        new = feed_of((await client.get("/coordinator/roster")).text, "anna")
        assert new != old
        assert (await anonymous.get(old)).status_code == 404
        assert (await anonymous.get(new)).status_code == 200
        assert (await anonymous.get(others)).status_code == 200  # nobody else's feed changed
        assert await audited(service, "calendar_renew") == [("cora", "anna")]


async def test_an_advisor_renews_their_own_feed_on_the_console(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, _), client_of(service, "anna") as anna, \
            await service.http() as anonymous:
        old = feed_of((await anna.get("/console")).text, "anna")
        csrf = await csrf_of(anna, "/console")
        assert (await anna.post("/console/calendar", data={"csrf": csrf})).status_code == 303
        new = feed_of((await anna.get("/console")).text, "anna")
        assert new != old
        assert (await anonymous.get(old)).status_code == 404
        assert (await anonymous.get(new)).status_code == 200
        assert await audited(service, "calendar_renew") == [("anna", "anna")]
        forged = await anna.post("/console/calendar", data={"csrf": "x"})
        assert forged.status_code == 403


async def test_only_coordinators_renew_someone_elses_feed(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, _), client_of(service, "anna") as anna:
        csrf = await csrf_of(anna, "/console")
        refused = await anna.post("/coordinator/people/users/bertil/calendar", data={"csrf": csrf})
        assert refused.status_code == 403
        assert await audited(service, "calendar_renew") == []



@pytest.mark.parametrize("name", ["%00", "anna%00"])
async def test_a_name_no_database_can_look_up_is_no_such_calendar_not_a_500(service: Service, name: str) -> None:
    """PostgreSQL refuses a NUL in a query's text (the suite's PostgreSQL pass runs this)."""
    async with await service.http() as client:
        assert (await client.get(f"/calendar/{name}.ics?token=0")).status_code == 404

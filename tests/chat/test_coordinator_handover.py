"""The coordinator's hand-over end to end: the outgoing coordinator (Cora, Kotka) hands the term
over to Bertil (Kaakko) on the people page; Bertil has the coordinator role at once, Cora is an
advisor (she did not keep the role), and nothing of hers is lost: her shift, her claim on an
offline message and her audit trail stay. The change is audited, the terms are listed on the
people pages and the hand-over is in the cooperation group's report. Today is 2026-11-24."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import httpx
from sqlmodel import select

from storage import coordination, offline, people, roster
from storage.tables import AuditEntry, OfflineMessage
from tests.chat.coordinator_fixtures import COORDINATOR, client_of, coordinating, csrf_of, rows_of
from tests.chat.share_fixtures import local
from tests.service import Service

PEOPLE = "/coordinator/people"
NOV_24 = date(2026, 11, 24)


async def hand_over(client: httpx.AsyncClient, **form: str) -> httpx.Response:
    return await client.post(f"{PEOPLE}/handover", data={"csrf": await csrf_of(client, PEOPLE), **form})


async def roles(service: Service) -> dict[str, str]:
    async with service.db.transaction() as session:
        return {user.username: user.role for user in await people.all_users(session)}


async def audited(service: Service, action: str) -> list[tuple[str, str]]:
    async with service.db.transaction() as session:
        entries = (await session.execute(select(AuditEntry).where(AuditEntry.action == action))).scalars().all()
    return [(entry.actor, entry.detail) for entry in entries]


async def coras_things(service: Service) -> int:
    """A shift tomorrow and a claimed offline message for Cora; the message's id."""
    async with service.db.transaction() as session:
        cora = await people.user_by_username(session, username=COORDINATOR)
        assert cora is not None and cora.id is not None
        await roster.add_shifts(session, shifts=[(cora.id, local("2026-11-25T09:00"), local("2026-11-25T12:00"))])
        message = await offline.add_offline_message(session, topic="work", language="fi", text="Hei",
                                                    contact=None, now=local("2026-11-24T09:00"))
        assert await offline.claim(session, message_id=message.id or 0, user_id=cora.id)
        return message.id or 0


async def test_a_refused_hand_over_changes_nothing(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        page = await client.get(PEOPLE)
        assert "No terms recorded" in page.text and 'action="/coordinator/people/handover"' in page.text
        assert '<option value="cora"' not in page.text  # nobody hands over to themselves
        for form, error in (
            ({"incoming": "cora", "date": "2026-11-24"}, "Choose someone other than yourself"),
            ({"incoming": "nobody", "date": "2026-11-24"}, "Choose an active person to hand over to"),
            ({"incoming": "bertil", "date": "2026-11-25"}, "today (24 Nov 2026) or an earlier day of your term"),
            ({"incoming": "bertil", "date": "soon"}, "today (24 Nov 2026) or an earlier day of your term"),
        ):
            refused = await hand_over(client, **form)
            assert refused.status_code == 400, form
            assert error in refused.text and 'href="#handover-' in refused.text, (form, refused.text[:200])
        assert (await client.post(f"{PEOPLE}/handover", data={"incoming": "bertil", "date": "2026-11-24"})
                ).status_code == 403  # no CSRF token
        async with client_of(service, "anna") as anna:
            assert (await anna.post(f"{PEOPLE}/handover", data={"incoming": "anna"})).status_code == 403
        assert (await roles(service))["cora"] == "coordinator" and (await roles(service))["bertil"] == "advisor"
        assert await audited(service, "coordinator_handover") == []


async def test_the_outgoing_hands_over_and_the_incoming_has_the_role_with_nothing_lost(tmp_path: Path) -> None:
    async with coordinating(tmp_path) as (service, client):
        message = await coras_things(service)
        async with service.db.transaction() as session:
            kotka = await people.organisation_by_slug(session, slug="kotka")
            assert kotka is not None
        path = f"/coordinator/people/organisations/{kotka.id}"
        await client.post(f"{path}/promise", data={"csrf": await csrf_of(client, path), "promise": "40"})

        done = await hand_over(client, incoming="bertil", date="2026-11-24")
        assert done.status_code == 303 and done.headers["location"] == "/console"
        assert await roles(service) == {"anna": "advisor", "bertil": "coordinator", "chloe": "advisor",
                                        "cora": "advisor"}
        assert (await client.get("/coordinator")).status_code == 403  # Cora's session, an advisor's now
        assert (await client.get("/console")).status_code == 200
        assert await audited(service, "coordinator_handover") == [
            ("cora", "cora to bertil from 2026-11-24; cora is an advisor")]
        # Nothing of Cora's is lost: her shift, her claim and her audit trail.
        async with service.db.transaction() as session:
            cora = await people.user_by_username(session, username="cora")
            assert cora is not None and cora.active
            shifts = await roster.shifts_of_user(session, user_id=cora.id or 0, start=local("2026-11-25T00:00"),
                                                 end=local("2026-11-26T00:00"))
            claimed = await session.get(OfflineMessage, message)
        assert len(shifts) == 1 and claimed is not None and claimed.claimed_by == cora.id
        assert [actor for actor, _ in await audited(service, "organisation_promise")] == ["cora"]

        async with client_of(service, "bertil") as bertil:
            page = await bertil.get(PEOPLE)
            assert page.status_code == 200
            terms = page.text[page.text.index('id="terms"'):page.text.index('id="handover"')]
            assert ('<th scope="row">Bertil</th><td>Kaakko UAS</td>\n      <td>24 Nov 2026</td>\n      '
                    '<td>ongoing</td>\n      <td>Cora Coordinator</td>') in terms
            assert ('<th scope="row">Cora Coordinator</th><td>Kotka College</td>\n      <td>before the records</td>'
                    '\n      <td>24 Nov 2026</td>') in terms
            person = await bertil.get(f"{PEOPLE}/users/cora")
            assert "Cora Coordinator&#39;s coordinator terms" in person.text
            async with service.db.transaction() as session:
                kaakko = await people.organisation_by_slug(session, slug="kaakko")
            assert kaakko is not None
            organisation = await bertil.get(f"{PEOPLE}/organisations/{kaakko.id}")
            assert '<th scope="row">Bertil</th><td>Kaakko UAS</td>' in organisation.text
            assert "Cora Coordinator</th>" not in organisation.text  # her term was Kotka's

            report = await bertil.get("/coordinator/report", params={"half": "2026-H2"})
            handovers = report.text[report.text.index('id="h-handovers"'):]
            assert "24 Nov 2026: Cora Coordinator handed over to Bertil (Kaakko UAS)" in handovers
            csv = rows_of((await bertil.get("/coordinator/report", params={"half": "2026-H2", "format": "csv"})).text)
            assert ["coordinator_terms", "bertil", "Bertil", "since", "2026-11-24"] in csv
            assert ["coordinator_terms", "bertil", "Bertil", "handed_over_by", "Cora Coordinator"] in csv
            assert ["coordinator_terms", "cora", "Cora Coordinator", "until", "2026-11-24"] in csv
            earlier = await bertil.get("/coordinator/report", params={"half": "2026-H1"})
            assert "No hand-overs in the period." in earlier.text and "Bertil</th>" not in earlier.text

            # Bertil hands back, keeping the role for a month of overlap; not before his term began.
            too_early = await hand_over(bertil, incoming="cora", date="2026-11-23")
            assert too_early.status_code == 400
            kept = await hand_over(bertil, incoming="cora", date="2026-11-24", keep="1")
            assert kept.status_code == 303 and kept.headers["location"].endswith("?done=handed_over#terms")
            assert (await roles(service))["bertil"] == "coordinator" and (await roles(service))["cora"] == "coordinator"
            again = await hand_over(bertil, incoming="cora", date="2026-11-24")
            assert again.status_code == 400 and "Cora Coordinator already holds a coordinator term" in again.text
            # Bertil, who kept the role but holds no term since, hands the role on to Anna: her
            # term begins, and his one term stays as it was (no second, unbounded one for him).
            onward = await hand_over(bertil, incoming="anna", date="2026-11-24")
            assert onward.status_code == 303
            async with service.db.transaction() as session:
                terms_now = await coordination.terms(session)
            assert [(t.since, t.until) for t in terms_now if t.username == "bertil"] == [(NOV_24, NOV_24)]
            assert [(t.since, t.until, t.handed_over_by) for t in terms_now if t.username == "anna"] == [
                (NOV_24, None, "Bertil")]
            assert (await roles(service))["bertil"] == "advisor"
        assert (await client.get("/coordinator")).status_code == 200  # Cora's session: the role is back


async def test_two_hand_overs_at_once_by_one_coordinator_hand_over_once(tmp_path: Path) -> None:
    """Cora hands over to Bertil and to Anna at the same moment (two tabs): one hand-over is made
    and the other is refused, as she is no longer the coordinator; one term runs, one person
    holds the role."""
    async with coordinating(tmp_path) as (service, client):
        csrf = await csrf_of(client, PEOPLE)
        both = await asyncio.gather(*(client.post(f"{PEOPLE}/handover", data={
            "csrf": csrf, "incoming": incoming, "date": "2026-11-24"}) for incoming in ("bertil", "anna")))
        # The second is refused by the hand-over (400), or by the page if she is an advisor by then (403).
        statuses = sorted(r.status_code for r in both)
        assert statuses[0] == 303 and statuses[1] in (400, 403), statuses
        coordinators = sorted(name for name, role in (await roles(service)).items() if role == "coordinator")
        assert coordinators in (["anna"], ["bertil"])
        assert len(await audited(service, "coordinator_handover")) == 1
        async with service.db.transaction() as session:
            running = [term for term in await coordination.terms(session) if term.until is None]
        assert [term.username for term in running] == coordinators

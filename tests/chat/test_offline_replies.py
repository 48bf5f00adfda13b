"""Answering offline messages from the inbox by e-mail, against a real SMTP server (aiosmtpd on a
free loopback port), and claims that their holder or a coordinator releases."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import select

from storage import people
from storage.retention import purge
from storage.tables import AuditEntry, OfflineMessage
from tests.chat.coordinator_fixtures import COORDINATOR, add_coordinator, client_of, csrf_of
from tests.service import TUESDAY_10, Service, running
from tests.smtp_server import Mailbox, smtp_server

SENDER = "Neuvo-palvelu <neuvo@service.test>"
QUESTION = "Voinko hakea syksyllä?\nOlen 34-vuotias."
REPLY = "Hei Maija,\nvoit hakea syksyn haussa 2.–16.9."


def mail_settings(port: int) -> dict[str, Any]:
    return {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": SENDER, "smtp_starttls": False}


@asynccontextmanager
async def mailing(tmp_path: Path, port: int | None = None) -> AsyncIterator[tuple[Service, Mailbox]]:
    """A service whose answers go to a real SMTP server (or, with `port`, to that port)."""
    async with smtp_server() as mailbox, running(tmp_path, **mail_settings(port or mailbox.port)) as service:
        yield service, mailbox


async def leave(service: Service, *, contact: str | None = "Maija, maija@example.fi, 040 123",
                language: str = "fi") -> int:
    async with await service.http() as client:
        left = await client.post("/api/offline-messages", json={
            "topic": "education", "language": language, "text": QUESTION, "contact": contact})
    assert left.status_code == 201, left.text
    return int(left.json()["id"])


async def claimed(service: Service, client: httpx.AsyncClient, message_id: int) -> str:
    """The message claimed by the client's user; the CSRF token of their pages."""
    csrf = await csrf_of(client, "/console/offline")
    taken = await client.post(f"/console/offline/{message_id}/claim", data={"csrf": csrf})
    assert taken.status_code == 303 and "notice" not in taken.headers["location"], taken.headers
    return csrf


async def stored(service: Service, message_id: int) -> OfflineMessage:
    async with service.db.transaction() as session:
        message = await session.get(OfflineMessage, message_id, populate_existing=True)
    assert message is not None
    return message


async def audit_entries(service: Service, action: str) -> list[AuditEntry]:
    async with service.db.transaction() as session:
        return list((await session.execute(select(AuditEntry).where(AuditEntry.action == action))).scalars())


async def test_a_reply_reaches_the_visitors_address_from_the_service_and_only_who_and_when_are_kept(
    tmp_path: Path,
) -> None:
    async with mailing(tmp_path) as (service, mailbox), client_of(service, "anna") as anna:
        message_id = await leave(service)
        csrf = await claimed(service, anna, message_id)
        inbox = unescape((await anna.get("/console/offline")).text)
        assert "Reply by e-mail to maija@example.fi" in inbox and SENDER in inbox

        sent = await anna.post(f"/console/offline/{message_id}/reply", data={"csrf": csrf, "reply": REPLY})
        assert (sent.status_code, sent.headers["location"]) == (303, "/console/offline?notice=sent")

        [mail] = mailbox.received
        assert mail["From"] == SENDER and mail["To"] == "maija@example.fi"
        assert mail["Subject"] == "Vastaus viestiisi 24.11.2026"  # the visitor's language, not the page's
        assert mailbox.envelopes == [("neuvo@service.test", ["maija@example.fi"])]
        body = mail.get_content().replace("\r\n", "\n")  # lines end in CRLF on the wire
        assert body.startswith(REPLY + "\n\n-- \nAnna, Kotka College\n")
        assert "Kirjoitit 24.11.2026 10.00:\n> Voinko hakea syksyllä?\n> Olen 34-vuotias." in body

        answered = await stored(service, message_id)
        async with service.db.transaction() as session:
            user = await people.user_by_username(session, username="anna")
        assert user is not None
        assert (answered.answered_how, answered.claimed_by) == ("email", user.id)
        assert answered.answered_at == TUESDAY_10
        [entry] = await audit_entries(service, "offline_reply")
        assert (entry.actor, entry.detail) == ("anna", f"offline message {message_id} answered by e-mail")
        after = (await anna.get("/console/offline", params={"notice": "sent", "lang": "en"})).text
        assert "The reply was sent by e-mail" in after and "Voinko hakea" not in after

        # The message and its contact go with the transcripts; the audit entry stays, without either.
        await purge(service.db, now=TUESDAY_10 + timedelta(days=91), default_days=90, actor="cli")
        async with service.db.transaction() as session:
            assert (await session.execute(select(OfflineMessage))).scalars().all() == []
        [kept] = await audit_entries(service, "offline_reply")
        assert "maija" not in kept.detail and "hakea" not in kept.detail


async def test_a_second_click_or_a_second_tab_sends_nothing_more(tmp_path: Path) -> None:
    async with mailing(tmp_path) as (service, mailbox), client_of(service, "anna") as anna:
        message_id = await leave(service)
        csrf = await claimed(service, anna, message_id)
        form = {"csrf": csrf, "reply": REPLY}
        at_once = await asyncio.gather(*(anna.post(f"/console/offline/{message_id}/reply", data=form)
                                         for _ in range(2)))
        again = await anna.post(f"/console/offline/{message_id}/reply", data=form)
        assert len(mailbox.received) == 1
        assert sorted(r.headers["location"] for r in at_once) == [
            "/console/offline?notice=already_answered", "/console/offline?notice=sent"]
        assert again.headers["location"] == "/console/offline?notice=already_answered"
        assert len(await audit_entries(service, "offline_reply")) == 1


async def test_only_the_claimer_may_reply_and_nobody_before_claiming(tmp_path: Path) -> None:
    async with mailing(tmp_path) as (service, mailbox), client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        message_id = await leave(service)
        unclaimed = await anna.post(f"/console/offline/{message_id}/reply",
                                    data={"csrf": await csrf_of(anna, "/console/offline"), "reply": REPLY})
        assert unclaimed.headers["location"] == "/console/offline?notice=not_yours"
        await claimed(service, anna, message_id)
        other = await bertil.post(f"/console/offline/{message_id}/reply",
                                  data={"csrf": await csrf_of(bertil, "/console/offline"), "reply": REPLY})
        assert other.headers["location"] == "/console/offline?notice=not_yours"
        assert mailbox.received == [] and (await stored(service, message_id)).answered_at is None


async def test_a_reply_the_mail_server_refuses_says_why_keeps_the_text_and_can_be_sent_again(tmp_path: Path) -> None:
    async with mailing(tmp_path) as (service, mailbox), client_of(service, "anna") as anna:
        message_id = await leave(service)
        csrf = await claimed(service, anna, message_id)
        mailbox.refuse_recipients = "550 5.1.1 <maija@example.fi>: mailbox unavailable"
        refused = await anna.post(f"/console/offline/{message_id}/reply", data={"csrf": csrf, "reply": REPLY})
        page = unescape(refused.text)
        assert refused.status_code == 502
        assert "The reply was not sent: the mail server refused the address." in page
        assert "The server said: 550 5.1.1 <maija@example.fi>: mailbox unavailable" in page
        assert f">{REPLY}</textarea>" in page  # nothing lost
        assert 'href="#reply-' in page and 'aria-invalid="true"' in page  # the summary links to the box
        assert mailbox.received == []
        still = await stored(service, message_id)
        assert still.answered_at is None and still.answered_how is None and still.claimed_by is not None
        assert await audit_entries(service, "offline_reply") == []

        mailbox.refuse_recipients = None
        sent = await anna.post(f"/console/offline/{message_id}/reply", data={"csrf": csrf, "reply": REPLY})
        assert sent.headers["location"] == "/console/offline?notice=sent"
        assert len(mailbox.received) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # free again once closed: nobody listens there


async def test_an_unreachable_mail_server_is_named_and_the_message_stays_unanswered(tmp_path: Path) -> None:
    async with mailing(tmp_path, port=closed_port()) as (service, _), client_of(service, "anna") as anna:
        message_id = await leave(service)
        csrf = await claimed(service, anna, message_id)
        failed = await anna.post(f"/console/offline/{message_id}/reply", data={"csrf": csrf, "reply": REPLY})
        assert failed.status_code == 502
        page = unescape(failed.text)
        assert "the mail server could not be reached" in page and f">{REPLY}</textarea>" in page
        assert (await stored(service, message_id)).answered_at is None


async def test_an_empty_reply_is_asked_for_and_sends_nothing(tmp_path: Path) -> None:
    async with mailing(tmp_path) as (service, mailbox), client_of(service, "anna") as anna:
        message_id = await leave(service)
        csrf = await claimed(service, anna, message_id)
        empty = await anna.post(f"/console/offline/{message_id}/reply", data={"csrf": csrf, "reply": "  \n"})
        assert empty.status_code == 400 and "Write the reply before sending it" in empty.text
        assert mailbox.received == [] and (await stored(service, message_id)).answered_at is None


async def test_without_smtp_or_without_an_address_there_is_no_reply_box(tmp_path: Path) -> None:
    async with running(tmp_path) as service, client_of(service, "anna") as anna:
        message_id = await leave(service)
        csrf = await claimed(service, anna, message_id)
        page = (await anna.get("/console/offline")).text
        assert "/reply" not in page and "Mark as answered" in page
        refused = await anna.post(f"/console/offline/{message_id}/reply", data={"csrf": csrf, "reply": REPLY})
        assert refused.status_code == 409
    (tmp_path / "mail").mkdir()
    async with mailing(tmp_path / "mail") as (service, mailbox), client_of(service, "anna") as anna:
        phone_only = await leave(service, contact="040 123 4567")
        csrf = await claimed(service, anna, phone_only)
        assert "/reply" not in (await anna.get("/console/offline")).text
        refused = await anna.post(f"/console/offline/{phone_only}/reply", data={"csrf": csrf, "reply": REPLY})
        assert refused.status_code == 404 and mailbox.received == []


async def test_the_claimer_releases_a_claim_and_someone_else_takes_the_message(tmp_path: Path) -> None:
    async with running(tmp_path) as service, client_of(service, "anna") as anna, \
            client_of(service, "bertil") as bertil:
        message_id = await leave(service)
        anna_csrf = await claimed(service, anna, message_id)
        assert "Voinko hakea" not in (await bertil.get("/console/offline")).text  # anna's now
        bertil_csrf = await csrf_of(bertil, "/console/offline")
        anna_id = (await stored(service, message_id)).claimed_by
        forbidden = await bertil.post(f"/console/offline/{message_id}/release",
                                      data={"csrf": bertil_csrf, "claimer": str(anna_id)})
        assert forbidden.status_code == 403

        released = await anna.post(f"/console/offline/{message_id}/release",
                                   data={"csrf": anna_csrf, "claimer": str(anna_id)})
        assert released.headers["location"] == "/console/offline?notice=released"
        assert (await stored(service, message_id)).claimed_by is None
        assert "Voinko hakea" in (await bertil.get("/console/offline")).text
        await claimed(service, bertil, message_id)
        again = await anna.post(f"/console/offline/{message_id}/release",
                                data={"csrf": anna_csrf, "claimer": str(anna_id)})
        assert again.headers["location"] == "/console/offline?notice=changed"  # bertil's claim stands
        assert (await stored(service, message_id)).claimed_by != anna_id
        [entry] = await audit_entries(service, "offline_release")
        assert (entry.actor, entry.detail) == ("anna", f"offline message {message_id}, claimed by anna")


async def test_a_coordinator_sees_every_open_claim_and_releases_one_audited(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        await add_coordinator(service)
        async with client_of(service, "anna") as anna, client_of(service, COORDINATOR) as cora:
            message_id = await leave(service)
            await claimed(service, anna, message_id)
            page = unescape((await cora.get("/console/offline")).text)
            assert "Anna is answering this" in page and "Release it for others (now: Anna)" in page
            found = re.search(r'name="claimer" value="(\d+)"', page)
            assert found is not None
            csrf = await csrf_of(cora, "/console/offline")
            released = await cora.post(f"/console/offline/{message_id}/release",
                                       data={"csrf": csrf, "claimer": found.group(1)})
            assert released.headers["location"] == "/console/offline?notice=released"
            assert (await stored(service, message_id)).claimed_by is None
            [entry] = await audit_entries(service, "offline_release")
            assert (entry.actor, entry.detail) == (COORDINATOR, f"offline message {message_id}, claimed by anna")

"""Blocking an abusive visitor for a while: the advisor ends the chat as blocked; the visitor's
address (as a keyed hash in memory) and chat may start no chat until it expires or a coordinator
lifts it; nothing identifies the visitor on the coordinators' page."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlmodel import select
from websockets.asyncio.client import ClientConnection

from storage.tables import AuditEntry, Chat
from tests.chat.coordinator_fixtures import add_coordinator, client_of, csrf_of
from tests.service import Service, receive, running, send, until

START = {"type": "start", "topic": "work", "language": "fi"}


async def _start(service: Service, address: str) -> tuple[ClientConnection, dict[str, object]]:
    visitor = await service.visitor(address=address)
    await send(visitor, START)
    answer = await receive(visitor)  # queued, or closed
    return visitor, answer


async def test_a_blocked_visitor_starts_no_chat_from_that_address_or_that_chat_until_it_expires(
        tmp_path: Path) -> None:
    async with running(tmp_path, trusted_proxies=("127.0.0.1",)) as service:
        anna = await service.available("anna")
        rude, queued = await _start(service, "10.0.0.5")
        chat_id, token = str(queued["chat"]), str(queued["token"])
        await until(anna, "assigned")
        await send(anna, {"type": "block", "chat": chat_id, "duration": "1h"})
        assert await until(rude, "ended") == {"type": "ended", "by": "advisor", "reason": None}
        # The same socket, the same address, and the chat's token from elsewhere: all refused, neutrally.
        await send(rude, START)
        assert await until(rude, "closed") == {"type": "closed", "reason": "unstaffed", "next_open": None}
        _, again = await _start(service, "10.0.0.5")
        elsewhere = await service.visitor(address="10.0.0.7")
        await send(elsewhere, {"type": "resume", "chat": chat_id, "token": token, "after": 0})
        await until(elsewhere, "ended")
        await send(elsewhere, START)
        resumed_then_started = await until(elsewhere, "closed")
        _, someone_else = await _start(service, "10.0.0.9")
        service.clock.advance(3599)
        _, within_the_hour = await _start(service, "10.0.0.5")
        service.clock.advance(1)
        _, after_the_hour = await _start(service, "10.0.0.5")
        async with service.db.transaction() as session:
            chat = await session.get(Chat, chat_id)
            audit = [(e.actor, e.action) for e in (await session.execute(select(AuditEntry))).scalars()]
    assert again["type"] == "closed" and resumed_then_started["type"] == "closed"
    assert someone_else["type"] == "queued" and within_the_hour["type"] == "closed"
    assert after_the_hour["type"] == "queued"
    assert chat is not None and (chat.outcome, chat.ended_by) == ("blocked", "advisor")
    assert ("anna", "visitor_block") in audit


async def test_coordinators_see_blocks_without_identifiers_and_lift_them(tmp_path: Path) -> None:
    async with running(tmp_path, trusted_proxies=("127.0.0.1",)) as service:
        await add_coordinator(service)
        anna = await service.available("anna")
        _, queued = await _start(service, "10.0.0.5")
        await until(anna, "assigned")
        await send(anna, {"type": "block", "chat": queued["chat"], "duration": "fortnight"})
        assert (await until(anna, "error"))["code"] == "bad_field"
        await send(anna, {"type": "block", "chat": queued["chat"], "duration": "1h"})
        await until(anna, "ended")
        async with client_of(service, "cora") as coordinator:
            page = await coordinator.get("/coordinator/blocks")
            block_id = page.text.split('name="block" value="')[1].split('"')[0]
            csrf = await csrf_of(coordinator, "/coordinator/blocks")
            lifted = await coordinator.post("/coordinator/blocks/lift", data={"csrf": csrf, "block": block_id})
            again = await coordinator.post("/coordinator/blocks/lift", data={"csrf": csrf, "block": block_id})
            after = await coordinator.get("/coordinator/blocks")
        _, unblocked = await _start(service, "10.0.0.5")
        async with service.db.transaction() as session:
            audit = [(e.actor, e.action, e.detail) for e in (await session.execute(select(AuditEntry))).scalars()]
    assert "1 block in force" in page.text and "an hour" in page.text
    assert "10.0.0.5" not in page.text and str(queued["chat"]) not in page.text
    assert lifted.headers["location"].endswith("done=lifted") and again.headers["location"].endswith("done=gone")
    assert "No block is in force." in after.text and unblocked["type"] == "queued"
    assert ("cora", "visitor_unblock", block_id) in audit


async def test_only_the_advisor_of_the_chat_may_block(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        talk = await service.chat("anna")
        bertil, _ = await service.advisor("bertil")
        await send(bertil, {"type": "block", "chat": talk.chat, "duration": "1h"})
        assert (await until(bertil, "error"))["code"] == "not_yours"
        async with httpx.AsyncClient(base_url=service.base) as nobody:
            assert (await nobody.get("/coordinator/blocks")).status_code == 303

"""Limits on sockets themselves: a visitor socket that never starts is closed; one chat's
frames count together over all its sockets."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.service import receive, running, send, until


async def test_a_visitor_socket_that_never_says_start_or_resume_is_closed(tmp_path: Path) -> None:
    async with running(tmp_path, first_frame_s=0.3) as service:
        talking, silent = await service.visitor(), await service.visitor()  # opened together
        await send(talking, {"type": "start", "topic": "work", "language": "fi"})
        await receive(talking)  # closed: nobody is signed in; the socket stays
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(silent.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
        # The silent one's deadline has passed, so the talking one's has too: it is still open.
        await send(talking, {"type": "ping"})
        assert (await until(talking, "pong"))["type"] == "pong"


async def test_one_chats_frames_count_together_over_all_its_sockets(tmp_path: Path) -> None:
    async with running(tmp_path, chat_rate=1.0) as service:  # bursts of 3 a chat; 10 a socket
        talk = await service.chat("anna")
        tabs = [talk.visitor]
        for _ in range(3):
            tab = await service.visitor()
            await send(tab, {"type": "resume", "chat": talk.chat, "token": talk.token, "after": 0})
            await until(tab, "assigned")
            tabs.append(tab)
        for n, tab in enumerate(tabs):
            for k in range(3):
                await send(tab, {"type": "message", "id": f"t{n}-{k}", "text": "flood"})
        answers = [await until_answer(tab) for tab in tabs for _ in range(3)]
    acked = [a for a in answers if a["type"] == "ack"]
    assert 3 <= len(acked) <= 4  # the burst, and at most one more earned meanwhile
    assert {a["code"] for a in answers if a["type"] == "error"} == {"rate_limited"}


async def until_answer(ws):  # type: ignore[no-untyped-def]
    while True:
        frame = await receive(ws)
        if frame["type"] in ("ack", "error"):
            return frame


async def test_signing_out_closes_that_sessions_advisor_sockets_and_no_other(tmp_path: Path) -> None:
    async with running(tmp_path) as service:
        cookie = await service.session_cookie("anna")
        first, _ = await service.advisor("anna", cookie=cookie)
        second_tab, _ = await service.advisor("anna", cookie=cookie)
        other_browser, _ = await service.advisor("anna")  # a session of its own
        async with await service.http() as client:
            gone = await client.delete("/api/session", headers={"cookie": cookie, "origin": service.origin})
            assert gone.status_code == 204
        for ws in (first, second_tab):
            assert (await until(ws, "signed_out"))["type"] == "signed_out"
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        await send(other_browser, {"type": "ping"})
        assert (await until(other_browser, "pong"))["type"] == "pong"


async def test_an_advisor_socket_closes_when_its_session_expires(tmp_path: Path) -> None:
    async with running(tmp_path, session_hours=1.0) as service:
        ws, _ = await service.advisor("anna")
        service.clock.advance(3601)  # the session is over in service time
        assert (await until(ws, "signed_out"))["type"] == "signed_out"
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_an_address_holds_only_so_many_connections_at_once(tmp_path: Path) -> None:
    async with running(tmp_path, connections_per_address=3) as service:
        held = [await service.visitor() for _ in range(3)]
        with pytest.raises(InvalidStatus):
            await service.visitor()
        async with await service.http() as client:
            refused = await client.get("/api/service")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
        assert refused.json()["code"] == "too_many_connections"
        await held[0].close()
        await held[0].wait_closed()
        async with asyncio.timeout(5):
            while True:  # the server counts the closed socket gone in its own time
                try:
                    again = await service.visitor()
                    break
                except InvalidStatus:
                    await asyncio.sleep(0.05)
        await send(again, {"type": "ping"})
        assert (await until(again, "pong"))["type"] == "pong"


@pytest.mark.parametrize("compression", [False, True], ids=["default: off", "NEUVO_WS_COMPRESSION on"])
async def test_per_message_compression_is_off_unless_the_operator_turns_it_on(
        tmp_path: Path, compression: bool) -> None:
    # The websockets client offers permessage-deflate; the server takes it only when asked to.
    async with running(tmp_path, ws_compression=compression) as service:
        ws = await service.visitor()
        assert ws.response is not None
        extensions = ws.response.headers.get("Sec-WebSocket-Extensions") or ""
        assert ("permessage-deflate" in extensions) is compression
        await send(ws, {"type": "ping"})
        assert (await receive(ws))["type"] == "pong"


async def test_many_sockets_opened_at_once_from_one_address_get_only_its_share(tmp_path: Path) -> None:
    """The sockets go past the pages' middleware (chat.web.sockets.routes), not past the count:
    handshakes racing each other from one address are held to the limit, and another address
    is not refused for them."""
    async with running(tmp_path, connections_per_address=3, trusted_proxies=("127.0.0.1",)) as service:
        tries = await asyncio.gather(*(service.visitor(address="10.0.0.1") for _ in range(12)),
                                     return_exceptions=True)
        held = [ws for ws in tries if not isinstance(ws, BaseException)]
        refused = [error for error in tries if isinstance(error, BaseException)]
        assert len(held) == 3
        assert all(isinstance(error, InvalidStatus) for error in refused)
        elsewhere = await service.visitor(address="10.0.0.2")
        for ws in [*held, elsewhere]:
            await send(ws, {"type": "ping"})
            assert (await until(ws, "pong"))["type"] == "pong"

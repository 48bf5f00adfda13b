"""Every bad input gets the error or close code PROTOCOL.md names, and loses nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.service import FRAME_TIMEOUT, WIDGET_ORIGIN, Service, receive, running, send, until


async def _error(ws: object, raw: str) -> dict[str, object]:
    await ws.send(raw)  # type: ignore[attr-defined]
    frame = await receive(ws)  # type: ignore[arg-type]
    assert frame["type"] == "error", frame
    return frame


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_frame"),
        ("[1, 2]", "bad_frame"),
        ('{"type": 3}', "bad_frame"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "start", "topic": "education"}', "bad_field"),
        ('{"type": "start", "topic": "astrology", "language": "fi"}', "unknown_topic"),
        ('{"type": "start", "topic": "education", "language": "de"}', "unknown_language"),
        ('{"type": "message", "id": "x", "text": "hi"}', "not_started"),
    ],
)
async def test_bad_visitor_frames_get_error_frames_and_the_socket_stays_open(
    service: Service, raw: str, code: str
) -> None:
    await service.advisor("anna")
    visitor = await service.visitor()
    frame = await _error(visitor, raw)
    assert frame["code"] == code and isinstance(frame["message"], str)
    await send(visitor, {"type": "start", "topic": "education", "language": "fi"})
    assert (await receive(visitor))["type"] == "queued"


async def test_ping_is_answered_with_pong_on_both_sockets_even_before_start(service: Service) -> None:
    visitor = await service.visitor()
    await send(visitor, {"type": "ping"})
    assert await receive(visitor) == {"type": "pong"}
    anna, _ = await service.advisor("anna")
    await send(anna, {"type": "ping"})
    assert await until(anna, "pong") == {"type": "pong"}


async def test_too_long_message_is_refused_and_nothing_is_stored(service: Service) -> None:
    await service.advisor("anna")
    visitor = await service.visitor()
    await send(visitor, {"type": "start", "topic": "education", "language": "fi"})
    await until(visitor, "queued")
    frame = await _error(visitor, '{"type": "message", "id": "m1", "text": "' + "x" * 2001 + '"}')
    assert frame["code"] == "too_long"
    await send(visitor, {"type": "message", "id": "m2", "text": "short"})
    assert (await until(visitor, "ack"))["seq"] == 1


async def test_binary_frame_closes_1003(service: Service) -> None:
    visitor = await service.visitor()
    await visitor.send(b"\x00\x01")
    await visitor.wait_closed()
    assert visitor.close_code == 1003


async def test_oversize_frame_closes_1009(service: Service) -> None:
    visitor = await service.visitor()
    await visitor.send('{"type":"typing","pad":"' + "x" * 17000 + '"}')
    await visitor.wait_closed()
    assert visitor.close_code == 1009


async def test_frame_flood_is_rate_limited_then_closed_1008(tmp_path: Path) -> None:
    async with running(tmp_path, visitor_rate=20.0, rate_close_after_s=0.3) as service:
        visitor = await service.visitor()
        codes: list[object] = []

        async def read() -> None:
            with contextlib.suppress(ConnectionClosed):
                async for raw in visitor:
                    codes.append(json.loads(raw).get("code"))

        reader = asyncio.create_task(read())
        with contextlib.suppress(ConnectionClosed):
            while not reader.done():  # a client that never slows down
                await send(visitor, {"type": "typing"})
                await asyncio.sleep(0.005)
        await asyncio.wait_for(reader, FRAME_TIMEOUT)
        assert "rate_limited" in codes
        assert visitor.close_code == 1008


async def test_foreign_origin_is_refused_on_the_visitor_socket(service: Service) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await connect(f"{service.ws_base}/ws/visitor", origin="https://evil.example")  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("path", ["/ws/visitor/", "/ws//visitor", "/WS/visitor", "/ws/visitor/../advisor"])
@pytest.mark.parametrize("origin", ["https://evil.example", WIDGET_ORIGIN])
async def test_a_socket_path_that_misses_the_sockets_own_route_is_still_refused(
        service: Service, path: str, origin: str) -> None:
    """Near-misses of /ws/visitor go the pages' way (OriginGuard, the router): none reaches an
    endpoint, from a foreign origin nor from a widget origin."""
    with pytest.raises(InvalidStatus) as refused:
        await connect(f"{service.ws_base}{path}", origin=origin)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403


async def test_advisor_socket_needs_a_session_and_the_own_origin(service: Service) -> None:
    with pytest.raises(InvalidStatus) as no_cookie:
        await connect(f"{service.ws_base}/ws/advisor", origin=service.origin)  # type: ignore[arg-type]
    assert no_cookie.value.response.status_code == 403
    cookie = await service.session_cookie("anna")
    with pytest.raises(InvalidStatus) as widget_origin:
        await connect(f"{service.ws_base}/ws/advisor", origin="https://college.example",  # type: ignore[arg-type]
                      additional_headers={"Cookie": cookie})
    assert widget_origin.value.response.status_code == 403


async def test_wrong_password_and_unknown_user_get_the_same_401(service: Service) -> None:
    async with httpx.AsyncClient(base_url=service.base) as client:
        wrong = await client.post("/api/session", json={"username": "anna", "password": "nope"})
        unknown = await client.post("/api/session", json={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_sign_in_is_throttled_after_repeated_failures(tmp_path: Path) -> None:
    async with running(tmp_path, login_failures=3) as service, httpx.AsyncClient(base_url=service.base) as client:
        statuses = [
            (await client.post("/api/session", json={"username": "anna", "password": "nope"})).status_code
            for _ in range(4)
        ]
        right = await client.post("/api/session", json={"username": "anna", "password": "correct horse battery"})
    assert statuses == [401, 401, 401, 429]
    assert right.status_code == 429 and right.headers["retry-after"] == "900"  # the 15-minute window


async def test_foreign_origin_post_gets_403_json(service: Service) -> None:
    async with httpx.AsyncClient(base_url=service.base) as client:
        response = await client.post(
            "/api/offline-messages",
            json={"topic": "work", "language": "fi", "text": "hi"},
            headers={"Origin": "https://evil.example"},
        )
    assert response.status_code == 403
    assert set(response.json()) == {"code", "message"}


async def test_advisor_cannot_write_to_a_chat_not_theirs(service: Service) -> None:
    chat_id = (await service.chat()).chat
    bertil, _ = await service.advisor("bertil")
    await send(bertil, {"type": "message", "chat": chat_id, "id": "b1", "text": "hi"})
    assert (await until(bertil, "error"))["code"] == "not_yours"


async def test_many_sign_ins_sent_at_once_cannot_pass_the_throttle_together(tmp_path: Path) -> None:
    async with running(tmp_path, login_failures=3) as service, httpx.AsyncClient(base_url=service.base) as client:
        answers = await asyncio.gather(*(
            client.post("/api/session", json={"username": "anna", "password": f"guess {n}"}) for n in range(8)
        ))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [401, 401, 401, 429, 429, 429, 429, 429]


async def test_text_that_is_not_storable_is_a_bad_field_and_the_chat_goes_on(service: Service) -> None:
    talk = await service.chat()
    for raw in ('{"type":"message","id":"s1","text":"a\\ud800"}', '{"type":"message","id":"s2","text":"a\\u0000b"}'):
        await talk.visitor.send(raw)
        error = await until(talk.visitor, "error")
        assert error["code"] == "bad_field" and "text" in error["message"]
    await send(talk.visitor, {"type": "message", "id": "v1", "text": "still fine 😀"})
    assert (await until(talk.visitor, "ack"))["seq"] == 1


async def test_failures_from_elsewhere_do_not_lock_an_advisor_out_of_their_own_browser(tmp_path: Path) -> None:
    right = {"username": "anna", "password": "correct horse battery"}
    wrong = {"username": "anna", "password": "nope"}
    async with running(tmp_path, login_failures=3, trusted_proxies=("127.0.0.1",)) as service:
        own = httpx.AsyncClient(base_url=service.base, headers={"X-Forwarded-For": "10.0.0.1"})
        attacker = httpx.AsyncClient(base_url=service.base, headers={"X-Forwarded-For": "10.6.6.6"})
        new_browser = httpx.AsyncClient(base_url=service.base, headers={"X-Forwarded-For": "10.0.0.2"})
        async with own, attacker, new_browser:
            first = await own.post("/api/session", json=right)
            known = first.headers["set-cookie"]
            attacks = [(await attacker.post("/api/session", json=wrong)).status_code for _ in range(4)]
            elsewhere = await new_browser.post("/api/session", json=right)
            new_browser.cookies.set("neuvo_known_browser", own.cookies["neuvo_known_browser"] + "x")  # forged
            forged = await new_browser.post("/api/session", json=right)
            again = await own.post("/api/session", json=right)
            own_failures = [(await own.post("/api/session", json=wrong)).status_code for _ in range(4)]
    assert "neuvo_known_browser=" in known and "HttpOnly" in known and "SameSite=strict" in known
    assert attacks == [401, 401, 401, 429]
    # An unknown browser is locked out with the account; the advisor's own browser is not.
    assert (elsewhere.status_code, forged.status_code, again.status_code) == (429, 429, 200)
    assert own_failures == [401, 401, 401, 429]  # and it has a limit of its own

"""Several `neuvo serve` processes are one service: a visitor on one process chats with an advisor
on another; a killed process, or the killed holder of the dispatcher lease, loses nothing."""

from __future__ import annotations

import asyncio

import httpx
from websockets.exceptions import ConnectionClosed

from chat.ops.demo import demo_password
from tests.cluster.conftest import Cluster
from tests.postgres import start_server, stop_server
from tests.redis_server import RedisServer, lease_holder
from tests.service import receive, send, until

TAKEOVER_S = 15.0  # the lease is 2 s here; the new owner rebuilds from storage first


async def _available(server, username: str):  # type: ignore[no-untyped-def]
    ws, welcome = await server.advisor(username, demo_password(username))
    assert welcome["type"] == "welcome"
    await send(ws, {"type": "status", "status": "available"})
    await until(ws, "status")
    return ws


async def test_a_visitor_on_one_process_chats_with_an_advisor_on_another(cluster: Cluster) -> None:
    one, two = await cluster.add(), await cluster.add()
    anna = await _available(one, "anna")
    for server in (one, two):  # the live owner's answer (a packed ServiceStatus), asked of either process
        async with httpx.AsyncClient(base_url=server.base) as client:
            assert (await client.get("/api/service")).json()["languages_on_duty"] == {
                "fi": True, "sv": False, "en": True}  # Anna's languages
    visitor = await two.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "en"})
    queued = await until(visitor, "queued")
    assigned = await until(anna, "assigned")
    assert assigned["chat"]["id"] == queued["chat"]
    assert (await until(visitor, "assigned"))["advisor"]["name"] == "Anna"
    for n in range(5):
        await send(visitor, {"type": "message", "id": f"v{n}", "text": f"hello {n}"})
        assert (await until(visitor, "ack", id=f"v{n}"))["seq"] == 2 * n + 1
        assert (await until(anna, "message", **{"from": "visitor"}))["text"] == f"hello {n}"
        await send(anna, {"type": "message", "chat": queued["chat"], "id": f"a{n}", "text": f"hi {n}"})
        assert (await until(anna, "ack", id=f"a{n}"))["seq"] == 2 * n + 2
        assert (await until(visitor, "message", text=f"hi {n}"))["seq"] == 2 * n + 2


async def test_kill_9_of_the_visitors_process_loses_nothing_on_resume_elsewhere(cluster: Cluster) -> None:
    one, two = await cluster.add(), await cluster.add()
    anna = await _available(one, "anna")
    _, queued = await _chat_of_three_lines(two)
    two.kill()
    again = await one.visitor()
    await send(again, {"type": "resume", "chat": queued["chat"], "token": queued["token"], "after": 1})
    assert [(await receive(again))["text"] for _ in range(2)] == ["line 1", "line 2"]
    assert (await receive(again))["type"] == "assigned"
    await send(again, {"type": "message", "id": "v2", "text": "line 2"})  # a re-send: not stored twice
    assert (await until(again, "ack", id="v2"))["seq"] == 3
    await send(again, {"type": "message", "id": "v3", "text": "line 3"})
    assert (await until(again, "ack", id="v3"))["seq"] == 4
    texts = [(await until(anna, "message", **{"from": "visitor"}))["text"] for _ in range(4)]
    assert texts == ["line 0", "line 1", "line 2", "line 3"]


async def test_kill_9_of_the_dispatchers_holder_and_routing_resumes_on_another(cluster: Cluster) -> None:
    first = await cluster.add()  # it takes the lease: nobody held it
    second = await cluster.add()
    anna = await _available(second, "anna")
    visitor = await second.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    queued = await until(visitor, "queued")
    await until(anna, "assigned")
    await send(visitor, {"type": "message", "id": "v1", "text": "before"})
    assert (await until(visitor, "ack"))["seq"] == 1
    # Killed once the line has reached Anna: a kill between the ack and the announcement leaves
    # "before" to her next resume (stored, not lost; docs/architecture.md, several processes).
    assert (await until(anna, "message", chat=queued["chat"]))["text"] == "before"

    first.kill()
    # Routing, lines and deadlines resume on the second process once it holds the lease.
    async with asyncio.timeout(TAKEOVER_S):
        await lease_holder(cluster.env["NEUVO_REDIS_URL"], not_pid=first.process.pid)
        while True:
            await send(visitor, {"type": "message", "id": "v2", "text": "after"})
            answer = await until_one_of(visitor, "ack", "error")
            if answer["type"] == "ack":
                break
            assert answer["code"] == "unavailable"  # nothing done: the widget sends it again
    assert answer["seq"] == 2
    texts = ["before"]
    while "after" not in texts:  # Anna's console sees both lines, each once, in order
        frame = await receive(anna)
        if frame["type"] == "message" and frame.get("chat") == queued["chat"]:
            texts.append(frame["text"])
    assert texts == ["before", "after"]
    newcomer = await second.visitor()
    await send(newcomer, {"type": "start", "topic": "work", "language": "fi"})
    await until(newcomer, "queued")
    assert (await until(anna, "assigned"))["chat"]["id"] != queued["chat"]


async def _chat_of_three_lines(server):  # type: ignore[no-untyped-def]
    """A visitor on `server` whose chat is assigned and holds lines 0, 1 and 2, each acked."""
    visitor = await server.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    queued = await until(visitor, "queued")
    await until(visitor, "assigned")
    for n in range(3):
        await send(visitor, {"type": "message", "id": f"v{n}", "text": f"line {n}"})
        await until(visitor, "ack", id=f"v{n}")
    return visitor, queued


async def until_one_of(ws, *kinds: str):  # type: ignore[no-untyped-def]
    while True:
        frame = await receive(ws)
        if frame["type"] in kinds:
            return frame


async def test_redis_killed_and_started_empty_loses_no_acked_line(cluster: Cluster, redis: RedisServer) -> None:
    one, two = await cluster.add(), await cluster.add()
    anna = await _available(one, "anna")
    visitor, queued = await _chat_of_three_lines(two)

    redis.kill()
    # Each socket is told to resume (1013: frames may have been lost) or simply fails; a line
    # sent meanwhile is refused, never acked and lost.
    await closed_or_refused(visitor, {"type": "message", "id": "v3", "text": "line 3"})
    redis.start()  # empty: no lease, no queue, no presence

    async with asyncio.timeout(TAKEOVER_S):
        await lease_holder(redis.url)
        while True:  # as the widget does: each refusal or dropped socket is followed by a resume
            try:
                again = await one.visitor()
                await send(again, {"type": "resume", "chat": queued["chat"], "token": queued["token"], "after": 0})
                first = await receive(again)
                if first["type"] != "error":
                    break
                assert first["code"] == "unavailable"
            except (ConnectionClosed, OSError):
                pass
    replayed = [first] + [await receive(again) for _ in range(2)]
    assert [f["text"] for f in replayed] == ["line 0", "line 1", "line 2"]
    await send(again, {"type": "message", "id": "v3", "text": "line 3"})
    assert (await until(again, "ack", id="v3"))["seq"] == 4
    await anna.close()
    anna, welcome = await one.advisor("anna", demo_password("anna"))
    [chat] = welcome["chats"]
    assert [m["text"] for m in chat["messages"]] == [f"line {n}" for n in range(4)]


async def test_postgresql_unreachable_is_unhealthy_and_unavailable_then_recovers(
    cluster: Cluster, postgres: str
) -> None:
    one = await cluster.add()
    anna = await _available(one, "anna")
    visitor = await one.visitor()
    await send(visitor, {"type": "start", "topic": "work", "language": "fi"})
    await until(visitor, "queued")
    await until(visitor, "assigned")
    stop_server(postgres)
    try:
        async with httpx.AsyncClient(base_url=one.base) as client:
            assert (await client.get("/healthz")).status_code == 503
        await send(visitor, {"type": "message", "id": "v1", "text": "while down"})
        error = await until(visitor, "error")
        assert error["code"] == "unavailable"
    finally:
        start_server(postgres)
    async with httpx.AsyncClient(base_url=one.base) as client, asyncio.timeout(TAKEOVER_S):
        while (await client.get("/healthz")).status_code != 200:  # noqa: ASYNC110  # another process: polled
            await asyncio.sleep(0.2)  # the database coming back announces it to nobody
    async with asyncio.timeout(TAKEOVER_S):
        while True:
            await send(visitor, {"type": "message", "id": "v1", "text": "while down"})
            answer = await until_one_of(visitor, "ack", "error")
            if answer["type"] == "ack":
                break
            await asyncio.sleep(0.2)
    assert answer["seq"] == 1
    assert (await until(anna, "message", **{"from": "visitor"}))["text"] == "while down"


async def test_http_that_asks_the_live_service_is_503_unavailable_while_redis_is_gone(
    cluster: Cluster, redis: RedisServer
) -> None:
    """The second process asks the owner through Redis; without Redis it cannot, and says so as
    its description (/api/openapi.json) does, rather than with a 500."""
    await cluster.add()
    second = await cluster.add()
    async with httpx.AsyncClient(base_url=second.base) as client:
        signed_in = await client.post("/api/session", json={"username": "anna", "password": demo_password("anna")})
        assert signed_in.status_code == 200
        redis.kill()
        for path in ("/api/service", "/api/console/colleagues"):
            response = await client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.json()["code"] == "unavailable"


async def closed_or_refused(ws, frame: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Send a frame into a service that has lost Redis: the socket closes, or the frame is
    refused as unavailable; it is never acknowledged."""
    try:
        await send(ws, frame)
        while True:
            answer = await receive(ws)
            assert answer["type"] != "ack", answer
            if answer["type"] == "error":
                assert answer["code"] == "unavailable"
                return
    except ConnectionClosed:
        return


async def test_sign_in_failures_count_across_processes(cluster: Cluster) -> None:
    one, two = await cluster.add(), await cluster.add()
    async with httpx.AsyncClient(base_url=one.base) as first, httpx.AsyncClient(base_url=two.base) as second:
        for n in range(10):  # NEUVO_LOGIN_FAILURES: 10 per account, spread over both processes
            client = first if n % 2 else second
            wrong = await client.post("/api/session", json={"username": "anna", "password": "wrong"})
            assert wrong.status_code == 401
        refused = await first.post("/api/session", json={"username": "anna", "password": demo_password("anna")})
        assert refused.status_code == 429


async def test_the_queue_gauges_come_from_the_owner_only(cluster: Cluster) -> None:
    one, two = await cluster.add(), await cluster.add()  # the first takes the lease
    async with httpx.AsyncClient() as client:
        owner = (await client.get(f"{one.base}/metrics")).text
        other = (await client.get(f"{two.base}/metrics")).text
    assert "neuvo_live_state_owner 1.0" in owner and "neuvo_queue_length 0.0" in owner
    assert "neuvo_live_state_owner" not in other and "neuvo_queue_length" not in other

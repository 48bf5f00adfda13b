"""The lean WebSocket protocol (chat.ops.socket_protocol) keeps uvicorn's behaviour where it put
its own receive inbox and write gate: frames in order both ways, a client that stops reading
pauses every sender and its reading again wakes them all, one sender cancelled while paused
leaves the others waiting, and one receiver at a time."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import connect

from chat.base.settings import Settings
from chat.ops.serving import uvicorn_options
from chat.ops.socket_protocol import LeanWebSocketProtocol
from tests.service import serve

FRAME = "x" * 65_536
SENDERS = 3
FRAMES_EACH = 100  # 4 × 100 × 64 KiB: far more than loopback and the transport buffer hold


class Watched(LeanWebSocketProtocol):
    """Says when the transport first asked it to stop writing."""

    paused: asyncio.Event

    def pause_writing(self) -> None:
        super().pause_writing()
        self.paused.set()


def options(paused: asyncio.Event) -> dict[str, Any]:
    return {**uvicorn_options(Settings()), "ws": type("W", (Watched,), {"paused": paused})}


async def test_senders_wait_while_the_client_does_not_read_and_all_go_on_when_it_does() -> None:
    paused = asyncio.Event()
    cancelled = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})

        async def sender(n: int) -> None:
            for i in range(FRAMES_EACH):
                await send({"type": "websocket.send", "text": f"{n}:{i}:{FRAME}"})

        senders = [asyncio.create_task(sender(n)) for n in range(SENDERS)]
        doomed = asyncio.create_task(sender(SENDERS))  # cancelled while the writes are paused
        async with asyncio.timeout(60):
            await paused.wait()
        doomed.cancel()
        await asyncio.gather(doomed, return_exceptions=True)
        cancelled.set()
        await asyncio.gather(*senders)
        await send({"type": "websocket.close", "code": 1000})

    got: dict[int, list[int]] = {n: [] for n in range(SENDERS + 1)}
    async with serve(app, **options(paused)) as port, connect(
            f"ws://127.0.0.1:{port}/", max_size=None, max_queue=1) as ws:
        await cancelled.wait()  # the client has not read: the senders are waiting
        async for text in ws:
            n, i, body = str(text).split(":", 2)
            assert body == FRAME
            got[int(n)].append(int(i))
    for n in range(SENDERS):
        assert got[n] == list(range(FRAMES_EACH)), n
    assert len(got[SENDERS]) < FRAMES_EACH  # the cancelled sender stopped, the others did not


async def test_frames_from_the_client_reach_the_app_in_order_and_then_the_disconnect() -> None:
    received: list[Any] = []
    done = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        while (message := await receive())["type"] != "websocket.disconnect":
            received.append(message["text"])
            await asyncio.sleep(0)  # the app takes a turn between frames; the client does not wait
        received.append(message["code"])
        done.set()

    async with serve(app, **uvicorn_options(Settings())) as port:
        async with connect(f"ws://127.0.0.1:{port}/") as ws:
            for i in range(200):
                await ws.send(str(i))
        async with asyncio.timeout(30):
            await done.wait()
    assert received == [*map(str, range(200)), 1000]


async def test_a_second_receiver_at_once_is_an_error() -> None:
    second: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        first = asyncio.create_task(receive())
        await asyncio.sleep(0)  # the first receiver is waiting
        try:
            await receive()
        except RuntimeError as error:
            second.set_result(error)
        else:
            second.set_result(None)
        await send({"type": "websocket.send", "text": "told"})
        assert (await first)["type"] in ("websocket.receive", "websocket.disconnect")

    async with serve(app, **uvicorn_options(Settings())) as port, connect(f"ws://127.0.0.1:{port}/") as ws:
        assert await ws.recv() == "told"
        await ws.send("bye")
    error = await second
    assert isinstance(error, RuntimeError)
    assert "one receiver at a time" in str(error)

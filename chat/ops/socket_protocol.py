"""uvicorn's sans-I/O WebSocket protocol (websockets), lighter on memory per open socket.

A campaign keeps thousands of visitors' sockets open and mostly idle, so what each one holds
counts (docs/benchmarks.md, "memory per socket"). uvicorn's protocol gives every socket an
asyncio.Queue for the app's receive events and an asyncio.Event for the transport's write
pauses: four deques of about 760 bytes each, for a queue that the protocol's own flow control
keeps at one or two events (it pauses reading after each message until the app has taken it)
and an event that is clear only while the client reads too slowly. It also keeps the parsed
handshake request and response for the socket's life. This protocol is uvicorn's, with a list
and a future made only while someone waits in place of the queue and the event, and the
handshake dropped once it is answered. It also offers the app a synchronous write of a text frame
(chat.web.sockets.outbox: WRITE_TEXT_NOW), so that a frame published to a socket goes out
without a task of the socket's waking for it. Everything else (framing, limits, pings, close
handshake, ASGI) is uvicorn's and websockets' own.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.http11 import Request

from chat.web.sockets.outbox import WRITE_TEXT_NOW


class _Inbox:
    """The receive events for the app, in order: the part of asyncio.Queue the protocol uses
    (put_nowait, empty, get). ASGI has one receiver at a time, so there is at most one waiter."""

    __slots__ = ("_events", "_waiter")

    def __init__(self) -> None:
        self._events: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, event: Any) -> None:
        self._events.append(event)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def empty(self) -> bool:
        return not self._events

    async def get(self) -> Any:
        while not self._events:
            if self._waiter is not None:
                raise RuntimeError("a socket's events have one receiver at a time")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._events.pop(0)


class _WriteGate:
    """Open unless the transport's write buffer is full: the part of asyncio.Event the protocol
    uses (set, clear, wait). Several senders may wait; they share one future, made on pause."""

    __slots__ = ("_paused",)

    def __init__(self) -> None:
        self._paused: asyncio.Future[None] | None = None

    @property
    def paused(self) -> bool:
        return self._paused is not None

    def set(self) -> None:
        if self._paused is not None and not self._paused.done():
            self._paused.set_result(None)
        self._paused = None

    def clear(self) -> None:
        if self._paused is None:
            self._paused = asyncio.get_running_loop().create_future()

    async def wait(self) -> None:
        if self._paused is not None:
            await asyncio.shield(self._paused)  # one waiter's cancellation must not wake the rest


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's `ws=` protocol for `neuvo serve`, the tests' servers and the bench's relay."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = _Inbox()  # type: ignore[assignment]
        self.writable = _WriteGate()  # type: ignore[assignment]

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # uvicorn keeps the request, and websockets' parser keeps it in its frame, for the
        # socket's life; the scope has a copy of what the app needs.
        event.headers.clear()
        del self.request
        # ASGI's types say an extension is a dict; this one is the method itself.
        extensions = cast(dict[str, Any], self.scope["extensions"])
        extensions[WRITE_TEXT_NOW] = self.write_text_now

    def write_text_now(self, text: str) -> bool:
        """Write a text frame to the transport now, as `send` would for "websocket.send"; False
        (nothing written) while the transport's buffer is full, before the handshake is
        answered or once the socket is closing: then the caller takes the async send."""
        writable = self.writable
        assert isinstance(writable, _WriteGate), "made in __init__"
        if (writable.paused or not self.handshake_complete or self.close_sent or self.disconnected
                or self.initial_response is not None or self.transport.is_closing()):
            return False
        try:
            self.conn.send_text(text.encode())
        except InvalidState:  # the client's close came in: the async send says so
            return False
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True

    async def send(self, message: Any) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            del self.response  # the handshake's answer, sent

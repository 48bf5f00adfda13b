"""What goes out on one socket, in the order given: written to the transport at once while it
takes more, queued behind one flushing task while it is paused.

A frame published to a socket used to wait in the socket's subscription queue for the socket's
own task to wake and send it: a task, a coroutine and a future a socket (about 2 KiB of memory
with chats active) and a loop turn on every frame's way. Now whoever has the frame (the line
writer announcing a stored line, the broker receiving one from Redis) writes it through the
socket's outbox there and then. The socket's protocol offers that synchronous write in the ASGI
scope's extensions (WRITE_TEXT_NOW, chat.ops.socket_protocol); under a server without it every
frame takes the ordinary async send, in the same order.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

WRITE_TEXT_NOW = "neuvo.write_text_now"  # scope["extensions"][...]: (text) -> bool, written or not
BACKLOG = 1000  # frames waiting for a paused socket; beyond that the client is told to resume

WriteNow = Callable[[str], bool]


class Overflow(Exception):
    """The socket fell too far behind: it should close so that its client resumes from storage."""


class Outbox:
    __slots__ = ("_flushing", "_gone", "_waiting", "_websocket", "_write_now")

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket
        self._write_now: WriteNow | None = websocket.scope.get("extensions", {}).get(WRITE_TEXT_NOW)
        self._waiting: deque[str] | None = None
        self._flushing: asyncio.Task[None] | None = None
        self._gone = False

    def push(self, text: str) -> None:
        """Send `text` after everything pushed before it, now if the transport takes it. Raises
        Overflow when BACKLOG frames wait already; after the socket is gone, drops it."""
        if self._gone:
            return
        if self._waiting is None:
            if self._write_now is not None and self._write_now(text):
                return
            self._waiting = deque()
            self._flushing = asyncio.create_task(self._flush())
        elif len(self._waiting) >= BACKLOG:
            raise Overflow
        self._waiting.append(text)

    async def send(self, text: str) -> None:
        """Push `text` and wait until it is written: the reader's answers wait for a slow client,
        so that a client that does not read is not answered without end. Raises
        WebSocketDisconnected once the socket is gone."""
        self.push(text)
        if self._flushing is not None:
            await asyncio.shield(self._flushing)  # the flush is everyone's: one waiter's cancel must not stop it
        if self._gone:
            raise WebSocketDisconnected

    async def _flush(self) -> None:
        waiting = self._waiting
        assert waiting is not None, "made with the queue"
        try:
            while waiting:
                await self._websocket.send_text(waiting[0])
                waiting.popleft()
        except (WebSocketDisconnect, WebSocketDisconnected, RuntimeError, OSError):
            # Gone, or closed by this side: what was stored stays stored and the client replays
            # it on resume. The reader sees the socket go and cleans up.
            self._gone = True
        finally:
            self._waiting, self._flushing = None, None


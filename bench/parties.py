"""A visitor and an advisor as outside clients of the wire protocol (PROTOCOL.md): the frames
they send and what they note of the frames they get. Every moment is time.monotonic()."""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import time
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from bench.book import Book

PASSWORD = "benchmark password"
TOPIC, LANGUAGE = "work", "fi"
# Built once: httpx would load the CA certificates for every client, which costs more than a
# sign-in (the service is plain http on loopback; a client per advisor keeps cookies apart).
TLS = ssl.create_default_context()


async def _open(url: str, origin: str, **headers: str) -> ClientConnection:
    # max_queue None: a client that falls behind must not make the server wait for it.
    return await connect(url, origin=origin, additional_headers=headers, compression=None,  # type: ignore[arg-type]
                         max_queue=None, open_timeout=120)


class Party:
    """One socket at a time and the task reading it; what a frame means is the subclass's."""

    who = "party"

    def __init__(self, book: Book) -> None:
        self.book = book
        self.ws: ClientConnection | None = None
        self.reader: asyncio.Task[None] | None = None

    def listen(self, ws: ClientConnection) -> None:
        self.reader = asyncio.create_task(self._read(ws))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                self.frame(json.loads(raw), time.monotonic())
        except ConnectionClosed as error:
            if self.ws is ws:  # not a socket this party dropped itself
                reason = f"{error.rcvd.code} {error.rcvd.reason}".strip() if error.rcvd else "no close frame"
                self.book.closed[f"{self.who}: {reason}"] += 1
                self.dropped()

    def frame(self, frame: dict[str, Any], at: float) -> None:
        raise NotImplementedError

    def dropped(self) -> None:
        """The server closed this party's socket."""


class Visitor(Party):
    who = "visitor"

    def __init__(self, n: int, port: int, book: Book) -> None:
        super().__init__(book)
        self.n = n
        self.origin = f"http://127.0.0.1:{port}"
        self.url = f"ws://127.0.0.1:{port}/ws/visitor"
        self.chat: str | None = None
        self.token: str | None = None
        self.last_seq = 0
        self.said = 0
        self.unacked: dict[str, str] = {}  # this visitor's lines not acked yet: id -> frame, in order
        self.recovery: asyncio.Task[None] | None = None
        self.all_acked = asyncio.Event()
        self.started_at = 0.0
        self.queued_at: float | None = None
        self.assigned_at: float | None = None
        self.positions: list[int] = []  # every position announced, in order
        self.position_rises = 0  # in one queue of one language and topic a position never rises
        self.last_frame_at = 0.0
        self.replaying = False
        self.queued = asyncio.Event()
        self.assigned = asyncio.Event()

    async def connect(self) -> None:
        self.ws = await _open(self.url, self.origin)
        self.listen(self.ws)

    async def start(self) -> None:
        assert self.ws is not None
        self.started_at = time.monotonic()
        await self.ws.send(json.dumps({"type": "start", "topic": TOPIC, "language": LANGUAGE}))

    async def say(self, measured: bool) -> None:
        if self.ws is None or self.replaying:
            return  # reconnecting: a person would type again once the line is back
        self.said += 1
        await self.ws.send('{"type":"typing"}')
        self.book.typing_sent += 1
        message_id = f"v{self.n}-{self.said}"
        line = json.dumps({"type": "message", "id": message_id, "text": self.book.sending(message_id, measured)})
        self.unacked[message_id] = line
        self.all_acked.clear()
        await self.ws.send(line)

    async def reconnect(self, settle_s: float = 5.0) -> None:
        """Drop the socket and resume on a new one from the last seq seen, as the widget does.
        It first gives its own lines a moment to be acked, as a person closing a tab would."""
        assert self.ws is not None and self.chat is not None
        self.replaying = True  # no new line from now on
        if self.unacked:
            with contextlib.suppress(TimeoutError):  # what is still unacked then is sent again
                await asyncio.wait_for(self.all_acked.wait(), settle_s)
        old, self.ws = self.ws, None
        await old.close()
        if self.reader is not None:
            await self.reader
        await self._resume()

    def dropped(self) -> None:
        """Resume at once, as the widget does when the server closed its socket (1013, 1011)."""
        self.ws = None
        if self.chat is not None:
            self.book.recovered += 1
            self.recovery = asyncio.create_task(self._resume())

    async def _resume(self, tries: int = 5) -> None:
        """A new socket, `resume` from the last seq seen, then the unacked lines again with their
        ids (the server stores a line once and acks a repeat with the seq it has)."""
        assert self.chat is not None
        self.replaying = True
        for attempt in range(tries):
            try:
                ws = await _open(self.url, self.origin)
                break
            except (OSError, WebSocketException):
                if attempt == tries - 1:
                    raise
                await asyncio.sleep(0.5 * (attempt + 1))  # the widget's backoff, shortened
        self.listen(ws)
        await ws.send(json.dumps({"type": "resume", "chat": self.chat, "token": self.token, "after": self.last_seq}))
        for message_id, line in list(self.unacked.items()):
            self.book.resent[message_id] += 1
            await ws.send(line)
        self.ws = ws

    async def close(self) -> None:
        if self.recovery is not None:
            with contextlib.suppress(OSError, WebSocketException):
                await self.recovery
        await super().close()

    def frame(self, frame: dict[str, Any], at: float) -> None:
        self.last_frame_at = at
        kind = frame["type"]
        if kind == "message":
            if frame["seq"] <= self.last_seq:
                self.book.out_of_order += 1
            self.last_seq = frame["seq"]
            if frame["from"] == "advisor":
                self.book.arrived(frame["text"], at, self.book.to_visitor, replayed=self.replaying)
        elif kind == "ack":
            self.book.ack(frame["id"], at, self.book.ack_visitor)
            self.unacked.pop(frame["id"], None)
            if not self.unacked:
                self.all_acked.set()
        elif kind == "typing":
            self.book.typing_received += 1
        elif kind in ("queued", "position"):
            self._position(frame, at)
        elif kind == "assigned":
            self.replaying = False
            if self.assigned_at is None:
                self.assigned_at = at
            self.assigned.set()
        elif kind == "error" or kind == "closed":
            self.book.errors[f"visitor {kind} {frame.get('code') or frame.get('reason')}"] += 1
            self.queued.set()  # nothing more will come of this start

    def _position(self, frame: dict[str, Any], at: float) -> None:
        self.replaying = False
        if frame["type"] == "queued" and self.chat is None:
            self.chat, self.token, self.queued_at = frame["chat"], frame["token"], at
            self.queued.set()
        if self.positions and frame["position"] > self.positions[-1]:
            self.position_rises += 1
        self.positions.append(frame["position"])


class Advisor(Party):
    who = "advisor"

    def __init__(self, username: str, port: int, book: Book) -> None:
        super().__init__(book)
        self.username = username
        self.base = f"http://127.0.0.1:{port}"
        self.chats: list[str] = []  # in the order they were assigned
        self.said = 0
        self.ended_at: dict[str, float] = {}
        self.next_chat: asyncio.Future[float] | None = None
        self.available = asyncio.Event()

    async def connect(self, *, available: bool = True) -> None:
        """Sign in, open the socket, take `welcome` and become available (or stay away)."""
        async with httpx.AsyncClient(base_url=self.base, timeout=120, verify=TLS) as client:
            response = await client.post("/api/session", json={"username": self.username, "password": PASSWORD},
                                         headers={"Origin": self.base})
        if response.status_code != 200:
            raise RuntimeError(f"sign-in {self.username}: {response.status_code} {response.text}")
        cookie = f"neuvo_session={response.cookies['neuvo_session']}"
        self.ws = await _open(self.base.replace("http", "ws", 1) + "/ws/advisor", self.base, Cookie=cookie)
        welcome = json.loads(await self.ws.recv())
        if welcome["type"] != "welcome":
            raise RuntimeError(f"{self.username}: {welcome}")
        self.listen(self.ws)
        if available:
            await self.ws.send(json.dumps({"type": "status", "status": "available"}))
        else:
            self.available.set()  # nothing to wait for: away is where a sign-in starts

    async def say(self, chat: str, measured: bool) -> None:
        assert self.ws is not None
        self.said += 1
        await self.ws.send(json.dumps({"type": "typing", "chat": chat}))
        self.book.typing_sent += 1
        message_id = f"a-{self.username}-{self.said}"
        await self.ws.send(json.dumps({"type": "message", "chat": chat, "id": message_id,
                                       "text": self.book.sending(message_id, measured)}))

    async def free_one(self) -> tuple[float, float, float]:
        """Close the oldest chat and wait for the next one: (close sent, ended, assigned) moments."""
        assert self.ws is not None
        chat = self.chats[0]
        self.next_chat = asyncio.get_running_loop().create_future()
        sent = time.monotonic()
        await self.ws.send(json.dumps({"type": "close", "chat": chat, "outcome": "answered"}))
        assigned = await self.next_chat
        return sent, self.ended_at.get(chat, assigned), assigned

    def frame(self, frame: dict[str, Any], at: float) -> None:
        kind = frame["type"]
        if kind == "message":
            if frame["from"] == "visitor":
                self.book.arrived(frame["text"], at, self.book.to_advisor)
        elif kind == "ack":
            self.book.ack(frame["id"], at, self.book.ack_advisor)
        elif kind == "typing":
            self.book.typing_received += 1
        elif kind == "assigned":
            self.chats.append(frame["chat"]["id"])
            if self.next_chat is not None and not self.next_chat.done():
                self.next_chat.set_result(at)
        elif kind == "status":
            self.available.set()
        elif kind == "ended":
            if frame["chat"] in self.chats:
                self.chats.remove(frame["chat"])
            self.ended_at[frame["chat"]] = at
        elif kind == "error":
            self.book.errors[f"advisor error {frame.get('code')}"] += 1

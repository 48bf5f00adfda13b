"""The bare relay: the baseline every Neuvo figure is divided by.

The same stack as `neuvo serve` (uvicorn, Starlette WebSockets, per-message compression off, the
same frame size limit) and the same frames as PROTOCOL.md, so the same clients drive it, but no
routing, no storage, no limits: a visitor waits in a list until an advisor has a free slot, the
two sockets are paired, and each line is acked to its sender and relayed to both parties. Lines
are kept in memory only so that a resumed visitor gets what it missed.

Run: python -m bench.relay --port P [--capacity C]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from chat.base.settings import Settings
from chat.ops.serving import uvicorn_options


@dataclass(eq=False)
class Advisor:
    username: str
    socket: WebSocket
    chats: set[str] = field(default_factory=set)


@dataclass(eq=False)
class Chat:
    id: str
    token: str
    visitor: WebSocket | None
    advisor: Advisor | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=dict)  # line id -> seq: a repeat is acked, not relayed


class Relay:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.chats: dict[str, Chat] = {}
        self.waiting: deque[Chat] = deque()
        self.available: list[Advisor] = []
        self.ids = itertools.count(1)

    async def pair(self) -> None:
        while self.waiting:
            advisor = next((a for a in self.available if len(a.chats) < self.capacity), None)
            if advisor is None:
                return
            chat = self.waiting.popleft()
            chat.advisor = advisor
            advisor.chats.add(chat.id)
            await send(advisor.socket, {"type": "assigned", "chat": {"id": chat.id, "topic": "work", "language": "fi",
                                                                      "waited_s": 0, "messages": chat.lines}})
            await send(chat.visitor, {"type": "assigned", "advisor": {"name": advisor.username,
                                                                       "organisation": "Relay"}})

    async def line(self, chat: Chat, sender: WebSocket, who: str, frame: dict[str, Any]) -> None:
        if frame["id"] in chat.seqs:
            await send(sender, {"type": "ack", "id": frame["id"], "seq": chat.seqs[frame["id"]]})
            return
        chat.seqs[frame["id"]] = len(chat.lines) + 1
        line = {"seq": len(chat.lines) + 1, "from": who, "text": frame["text"], "at": "2026-11-24T10:00:00+02:00"}
        chat.lines.append(line)
        await send(sender, {"type": "ack", "id": frame["id"], "seq": line["seq"]})
        await send(chat.visitor, {"type": "message", **line})
        if chat.advisor is not None:
            await send(chat.advisor.socket, {"type": "message", "chat": chat.id, **line})

    async def visitor(self, ws: WebSocket) -> None:
        await ws.accept()
        chat: Chat | None = None
        try:
            while True:
                frame = json.loads(await ws.receive_text())
                kind = frame["type"]
                if kind == "start":
                    chat = Chat(id=f"c{next(self.ids)}", token=secrets.token_hex(8), visitor=ws)
                    self.chats[chat.id] = chat
                    self.waiting.append(chat)
                    await send(ws, {"type": "queued", "chat": chat.id, "token": chat.token,
                                    "position": len(self.waiting), "estimated_wait_s": None})
                    await self.pair()
                elif kind == "resume":
                    chat = await self.resume(ws, frame)
                elif kind == "message" and chat is not None:
                    await self.line(chat, ws, "visitor", frame)
                elif kind == "typing" and chat is not None and chat.advisor is not None:
                    await send(chat.advisor.socket, {"type": "typing", "chat": chat.id, "from": "visitor"})
                elif kind == "ping":
                    await send(ws, {"type": "pong"})
        except WebSocketDisconnect:
            if chat is not None and chat.visitor is ws:
                chat.visitor = None

    async def resume(self, ws: WebSocket, frame: dict[str, Any]) -> Chat:
        chat = self.chats[frame["chat"]]
        chat.visitor = ws
        for line in chat.lines[frame["after"]:]:
            await send(ws, {"type": "message", **line})
        if chat.advisor is None:
            await send(ws, {"type": "position", "position": self.waiting.index(chat) + 1, "estimated_wait_s": None})
        else:
            await send(ws, {"type": "assigned", "advisor": {"name": chat.advisor.username, "organisation": "Relay"}})
        return chat

    async def advisor(self, ws: WebSocket) -> None:
        await ws.accept()
        me = Advisor(username=ws.cookies.get("neuvo_session", "advisor"), socket=ws)
        await send(ws, {"type": "welcome", "advisor": {"username": me.username, "name": me.username,
                                                        "organisation": "Relay"},
                        "on_shift": True, "shift_ends": None, "status": "away", "chats": []})
        try:
            while True:
                frame = json.loads(await ws.receive_text())
                kind = frame["type"]
                chat = self.chats.get(frame.get("chat", ""))
                if kind == "status":
                    self.available.append(me)
                    await send(ws, {"type": "status", "status": "available", "on_shift": True})
                    await self.pair()
                elif kind == "message" and chat is not None:
                    await self.line(chat, ws, "advisor", frame)
                elif kind == "typing" and chat is not None:
                    await send(chat.visitor, {"type": "typing", "from": "advisor"})
                elif kind == "close" and chat is not None:
                    me.chats.discard(chat.id)
                    await send(ws, {"type": "ended", "chat": chat.id, "by": "advisor"})
                    await send(chat.visitor, {"type": "ended", "by": "advisor", "reason": None})
                    await self.pair()
        except WebSocketDisconnect:
            if me in self.available:
                self.available.remove(me)


async def send(ws: WebSocket | None, frame: dict[str, Any]) -> None:
    if ws is not None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):  # hung up: a resume replays it
            await ws.send_text(json.dumps(frame))


def create_app(capacity: int) -> Starlette:
    relay = Relay(capacity)

    async def sign_in(request: Request) -> JSONResponse:
        body = await request.json()
        response = JSONResponse({"username": body["username"], "name": body["username"], "role": "advisor"})
        response.set_cookie("neuvo_session", body["username"])
        return response

    async def healthz(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(routes=[
        Route("/healthz", healthz), Route("/api/session", sign_in, methods=["POST"]),
        WebSocketRoute("/ws/visitor", relay.visitor), WebSocketRoute("/ws/advisor", relay.advisor),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description="The bare relay the benchmark measures Neuvo against.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--capacity", type=int, default=3, help="chats per advisor at once")
    args = parser.parse_args()
    # The very options `neuvo serve` gives uvicorn (chat.ops.serving), less its connection cap,
    # so the relay's stack changes whenever Neuvo's does and the ratios stay fair.
    options = {**uvicorn_options(Settings()), "limit_concurrency": None}
    uvicorn.run(create_app(args.capacity), host="127.0.0.1", port=args.port, log_level="warning", **options)


if __name__ == "__main__":
    main()

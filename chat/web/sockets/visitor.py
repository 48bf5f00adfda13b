"""`/ws/visitor`: an anonymous visitor's chat, from `start` or `resume` to `ended` and feedback."""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocket

from chat.live import visitors
from chat.live.service import Hub
from chat.web.sockets.connection import Connection
from chat.wire.errors import AlreadyStarted, NotStarted, RateLimited
from chat.wire.incoming import VISITOR_FRAMES, End, Feedback, Frame, Resume, Say, Start, Typing


class VisitorConnection(Connection):
    parsers = VISITOR_FRAMES

    def __init__(self, hub: Hub, websocket: WebSocket, address: str) -> None:
        super().__init__(hub, websocket, rate=hub.settings.visitor_rate)
        self.address = address
        self.chat_id: str | None = None
        self.seen_seq = 0

    async def handle(self, frame: Frame) -> None:
        if isinstance(frame, Start | Resume):
            if self.chat_id is not None and self.chat_id in self.hub.chats:
                raise AlreadyStarted("this socket already carries a chat")
            await (self._start(frame) if isinstance(frame, Start) else self._resume(frame))
            return
        if self.chat_id is None:
            raise NotStarted("send start or resume first")
        if isinstance(frame, Say):
            await self.send(await visitors.say(self.hub, self.chat_id, frame))
        elif isinstance(frame, Typing):
            await visitors.typing(self.hub, self.chat_id)
        elif isinstance(frame, End):
            await visitors.end(self.hub, self.chat_id)
        elif isinstance(frame, Feedback):
            await self.send(await visitors.feedback(self.hub, self.chat_id, frame))

    async def _start(self, frame: Start) -> None:
        limiter = self.hub.new_chats_per_address
        if limiter.exceeded(self.address, self.hub.monotonic()):
            raise RateLimited("too many new chats from this address; try again later")
        chat_id = self.hub.new_chat_id()
        gate = await self.follow(f"visitor:{chat_id}", self._forward)
        result = await visitors.start(self.hub, frame, chat_id)
        if result["type"] == "closed":
            await self.stop_following()
            await self.send(result)
            return
        limiter.add(self.address, self.hub.monotonic())
        self._attach(chat_id, seen=0)
        await self.send(result)
        gate.set()
        self.hub.wake()

    async def _resume(self, frame: Resume) -> None:
        gate = await self.follow(f"visitor:{frame.chat}", self._forward)
        try:
            frames = await visitors.resume(self.hub, frame)
        except Exception:
            await self.stop_following()
            raise
        self._attach(frame.chat, seen=frame.after)
        for replayed in frames:
            if replayed["type"] == "message":
                self.seen_seq = max(self.seen_seq, replayed["seq"])
            await self.send(replayed)
        gate.set()

    def _attach(self, chat_id: str, *, seen: int) -> None:
        if self.chat_id is not None:
            visitors.disconnected(self.hub, self.chat_id)
        self.chat_id, self.seen_seq = chat_id, seen
        visitors.connected(self.hub, chat_id)

    def _forward(self, frame: dict[str, Any]) -> bool:
        """Skip messages the replay already carried; remember the newest seq sent."""
        if frame["type"] == "message":
            if frame["seq"] <= self.seen_seq:
                return False
            self.seen_seq = frame["seq"]
        return True

    async def closed(self) -> None:
        if self.chat_id is not None:
            visitors.disconnected(self.hub, self.chat_id)


async def endpoint(websocket: WebSocket) -> None:
    hub: Hub = websocket.app.state.hub
    await websocket.accept()
    address = websocket.client.host if websocket.client else "unknown"
    await VisitorConnection(hub, websocket, address).run()

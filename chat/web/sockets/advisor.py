"""`/ws/advisor`: a signed-in advisor's duty socket."""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocket

from chat.live import advisors
from chat.live.service import Hub
from chat.web.auth import session_user
from chat.web.sockets.connection import Connection
from chat.wire.incoming import ADVISOR_FRAMES, Close, Frame, Say, Status, Transfer, Typing
from storage.tables import User


class AdvisorConnection(Connection):
    parsers = ADVISOR_FRAMES

    def __init__(self, hub: Hub, websocket: WebSocket, user: User) -> None:
        super().__init__(hub, websocket, rate=hub.settings.advisor_rate)
        self.user = user
        self.seen: dict[str, int] = {}
        self.counted = False  # whether the hub counts this socket among the advisor's

    async def opened(self) -> None:
        gate = await self.follow(f"advisor:{self.user.username}", self._forward)
        welcome = await advisors.connected(self.hub, self.user)
        self.counted = True
        for chat in welcome["chats"]:
            self.seen[chat["id"]] = max((m["seq"] for m in chat["messages"]), default=0)
        await self.send(welcome)
        await self.send(self.hub.queue_frame(self.hub.clock.now()))  # later ones only on change
        gate.set()

    async def handle(self, frame: Frame) -> None:
        presence = self.hub.advisors[self.user.username]
        if isinstance(frame, Status):
            await advisors.set_status(self.hub, self.user.username, frame.status)
        elif isinstance(frame, Say):
            await self.send(await advisors.say(self.hub, presence, frame))
        elif isinstance(frame, Typing):
            await advisors.typing(self.hub, self.user.username, frame.chat)
        elif isinstance(frame, Transfer):
            await advisors.transfer(self.hub, presence, frame)
        elif isinstance(frame, Close):
            await advisors.close(self.hub, presence, frame)

    def _forward(self, frame: dict[str, Any]) -> bool:
        """Skip messages that `welcome` or `assigned` already carried in a chat's history."""
        if frame["type"] == "assigned":
            chat = frame["chat"]
            self.seen[chat["id"]] = max((m["seq"] for m in chat["messages"]), default=0)
        elif frame["type"] == "message":
            if frame["seq"] <= self.seen.get(frame["chat"], 0):
                return False
            self.seen[frame["chat"]] = frame["seq"]
        return True

    async def closed(self) -> None:
        if self.counted:
            advisors.disconnected(self.hub, self.user.username)


async def endpoint(websocket: WebSocket) -> None:
    hub: Hub = websocket.app.state.hub
    user = await session_user(hub, websocket.cookies)
    if user is None or user.role not in ("advisor", "coordinator"):
        await websocket.close()  # before accept: the handshake is refused with 403
        return
    await websocket.accept()
    await AdvisorConnection(hub, websocket, user).run()

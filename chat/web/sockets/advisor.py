"""`/ws/advisor`: a signed-in advisor's duty socket."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from chat.base.digest import token_digest
from chat.base.settings import Settings
from chat.broker.channels import advisor_channel
from chat.live import commands as c
from chat.live.interface import Live
from chat.web.auth import COOKIE
from chat.web.context import clock_of, live_of, sessions_of, settings_of
from chat.web.sockets.connection import Connection, try_again_later
from chat.wire.errors import Unauthorized, storage_failure
from chat.wire.incoming import ADVISOR_FRAMES, Block, Close, Frame, Say, Status, StillHere, Transfer, Typing
from chat.wire.outgoing import AdvisorAssigned, MessageOut, OutFrame, SignedOut
from storage.errors import STORAGE_FAILURES
from storage.tables import User

EXPIRY_CHECK_S = 1.0


class AdvisorConnection(Connection):
    parsers = ADVISOR_FRAMES
    own_senders = frozenset({"advisor", "note"})

    def __init__(
        self, live: Live, websocket: WebSocket, settings: Settings, user: User, expires: datetime | None
    ) -> None:
        super().__init__(live, websocket, rate=settings.advisor_rate, close_after_s=settings.rate_close_after_s)
        self.user = user
        self.session = token_digest(websocket.cookies.get(COOKIE, ""))
        self.seen: dict[str, int] = {}
        self.counted = False  # whether the live service counts this socket among the advisor's
        self.expires = expires
        self._expiry: asyncio.Task[None] | None = None

    async def opened(self) -> None:
        if self.expires is not None:
            self._expiry = asyncio.create_task(self._close_at(self.expires))
        await self.follow(advisor_channel(self.user.username), self._forward)
        welcome = await self.live.run(c.AdvisorConnected(self.user.username))
        self.counted = True
        for chat in welcome.chats:
            self.seen[chat.id] = chat.last_seq
        await self.send(welcome)
        await self.send(await self.live.run(c.AskQueue()))  # later ones only on change
        self.forward_from_now()

    async def handle(self, frame: Frame) -> None:
        username = self.user.username
        if isinstance(frame, Status):
            await self.live.run(c.SetStatus(username, frame.status))
        elif isinstance(frame, Say):
            said = c.AdvisorSays(username, frame.chat, frame.id, frame.text, frame.note)
            await self.write_beside(self.live.run(said), chat=frame.chat)
        elif isinstance(frame, Typing):
            await self.live.run(c.AdvisorTyping(username, frame.chat))
        elif isinstance(frame, StillHere):
            await self.live.run(c.AdvisorStillHere(username, frame.chat))
        elif isinstance(frame, Transfer):
            await self.live.run(c.TransferChat(username, frame.chat, frame.kind, frame.value, frame.note))
        elif isinstance(frame, Close):
            await self.live.run(c.CloseChat(username, frame.chat, frame.outcome))
        elif isinstance(frame, Block):
            await self.live.run(c.BlockVisitor(username, frame.chat, frame.duration))

    def _forward(self, frame: OutFrame) -> bool:
        """Skip messages that `welcome` or `assigned` already carried in a chat's history."""
        if isinstance(frame, AdvisorAssigned):
            self.seen[frame.chat.id] = frame.chat.last_seq
        elif isinstance(frame, MessageOut) and frame.chat is not None:
            if frame.seq <= self.seen.get(frame.chat, 0):
                return False
            self.seen[frame.chat] = frame.seq
        return True

    def ended_by(self, frame: SignedOut) -> bool:
        return frame.session is None or frame.session == self.session

    async def _close_at(self, expires: datetime) -> None:
        """The session ends by itself (NEUVO_SESSION_HOURS): so does its socket. The service clock
        is looked at again every second, so a clock set forward (tests) is noticed too."""
        clock = clock_of(self.websocket)
        while (left := (expires - clock.now()).total_seconds()) > 0:  # noqa: ASYNC110  # a clock, no event
            await asyncio.sleep(min(left, EXPIRY_CHECK_S))
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, WebSocketDisconnected):
            await self.send(SignedOut(session=self.session))
            await self.websocket.close(Unauthorized.close_code or 4401, "session expired")

    async def closed(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
        if self.counted:
            await self.live.run(c.AdvisorDisconnected(self.user.username))


async def endpoint(websocket: WebSocket) -> None:
    sessions = sessions_of(websocket)
    try:
        user = await sessions.user_of(websocket.cookies)
        expires = await sessions.expiry_of(websocket.cookies) if user is not None else None
    except STORAGE_FAILURES as error:
        await try_again_later(websocket, storage_failure(error))
        return
    if user is None or user.role not in ("advisor", "coordinator"):
        await websocket.close()  # before accept: the handshake is refused with 403
        return
    await websocket.accept()
    await AdvisorConnection(live_of(websocket), websocket, settings_of(websocket), user, expires).run()

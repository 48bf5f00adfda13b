"""`/ws/visitor`: an anonymous visitor's chat, from `start` or `resume` to `ended` and feedback."""

from __future__ import annotations

import asyncio
import contextlib

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from chat.base.settings import Settings
from chat.broker.channels import visitor_channel
from chat.live import commands as c
from chat.live.interface import Live
from chat.web.context import live_of, settings_of
from chat.web.sockets.connection import CLOSE_POLICY, Connection
from chat.wire.errors import AlreadyStarted, NotStarted
from chat.wire.incoming import (
    VISITOR_FRAMES,
    End,
    Feedback,
    Frame,
    QuickExit,
    Resume,
    Say,
    Start,
    StillHere,
    Survey,
    Typing,
)
from chat.wire.outgoing import Closed, MessageOut, OutFrame


class VisitorConnection(Connection):
    parsers = VISITOR_FRAMES
    own_senders = frozenset({"visitor"})

    def __init__(self, live: Live, websocket: WebSocket, settings: Settings, address: str) -> None:
        super().__init__(live, websocket, rate=settings.visitor_rate, close_after_s=settings.rate_close_after_s)
        self.address = address
        self.chat_id: str | None = None
        self.seen_seq = 0
        self.first_frame_s = settings.first_frame_s
        self._deadline: asyncio.TimerHandle | None = None
        self._closing: asyncio.Task[None] | None = None

    async def opened(self) -> None:
        # A socket that never says start or resume holds a connection for nothing. A timer, not
        # a task: thousands of sockets may be waiting here at once.
        self._deadline = asyncio.get_running_loop().call_later(self.first_frame_s, self._silent)

    def _silent(self) -> None:
        self._closing = asyncio.create_task(self._close_silent())

    async def _close_silent(self) -> None:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect, WebSocketDisconnected):
            await self.websocket.close(CLOSE_POLICY, "no start or resume in time")

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    async def handle(self, frame: Frame) -> None:
        if isinstance(frame, Start | Resume):
            self._stop_deadline()
            if self.chat_id is not None and await self.live.run(c.AskCarries(self.chat_id)):
                raise AlreadyStarted("this socket already carries a chat")
            await (self._start(frame) if isinstance(frame, Start) else self._resume(frame))
            return
        if self.chat_id is None:
            raise NotStarted("send start or resume first")
        if isinstance(frame, Say):
            await self.write_beside(self.live.run(c.VisitorSays(self.chat_id, frame.id, frame.text)))
        elif isinstance(frame, Typing):
            await self.live.run(c.VisitorTyping(self.chat_id))
        elif isinstance(frame, StillHere):
            await self.live.run(c.VisitorStillHere(self.chat_id))
        elif isinstance(frame, QuickExit):
            await self.live.run(c.VisitorLeftQuickly(self.chat_id))
        elif isinstance(frame, End):
            await self.live.run(c.VisitorEnds(self.chat_id))
        elif isinstance(frame, Feedback):
            await self.send(await self.live.run(c.GiveFeedback(self.chat_id, frame.rating, frame.comment)))
        elif isinstance(frame, Survey):
            answers = tuple((a.question, a.value, a.text) for a in frame.answers)
            await self.send(await self.live.run(c.AnswerSurvey(self.chat_id, answers)))

    async def _start(self, frame: Start) -> None:
        chat_id = self.live.new_chat_id()
        await self.follow(visitor_channel(chat_id), self._forward)
        try:
            answer = await self.live.run(c.StartChat(chat_id, frame.topic, frame.language, self.address, self.chat_id))
        except Exception:
            await self.stop_following()
            raise
        if isinstance(answer, Closed):
            await self.stop_following()
            await self.send(answer)
            return
        await self._attach(chat_id, seen=0)
        await self.send(answer)
        self.forward_from_now()

    async def _resume(self, frame: Resume) -> None:
        await self.follow(visitor_channel(frame.chat), self._forward)
        try:
            frames = await self.live.run(c.ResumeChat(frame.chat, frame.token, frame.after))
        except Exception:
            await self.stop_following()
            raise
        await self._attach(frame.chat, seen=frame.after)
        for replayed in frames:
            if isinstance(replayed, MessageOut):
                self.seen_seq = max(self.seen_seq, replayed.seq)
            await self.send(replayed)
        self.forward_from_now()

    async def _attach(self, chat_id: str, *, seen: int) -> None:
        if self.chat_id is not None:
            await self.live.run(c.VisitorDisconnected(self.chat_id))
        self.chat_id, self.seen_seq = chat_id, seen
        await self.live.run(c.VisitorConnected(chat_id))

    def _forward(self, frame: OutFrame) -> bool:
        """Skip messages the replay already carried; remember the newest seq sent."""
        if isinstance(frame, MessageOut):
            if frame.seq <= self.seen_seq:
                return False
            self.seen_seq = frame.seq
        return True

    async def closed(self) -> None:
        self._stop_deadline()
        if self.chat_id is not None:
            await self.live.run(c.VisitorDisconnected(self.chat_id))


async def endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    address = websocket.client.host if websocket.client else "unknown"
    await VisitorConnection(live_of(websocket), websocket, settings_of(websocket), address).run()

"""What both sockets share: frame intake with size, type and rate checks; the frames of the
channel it follows written out as they come (chat.web.sockets.outbox); lines written beside
the reader; errors turned into error frames and close codes in one place."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from chat.base.ratelimit import TokenBucket
from chat.live.interface import Live
from chat.web.sockets.outbox import BACKLOG, Outbox, Overflow
from chat.wire.errors import ProtocolError, RateLimited, Unauthorized
from chat.wire.incoming import Frame, Parser, Ping, Say, Typing, decode
from chat.wire.outgoing import Ack, MessageOut, OutFrame, Pong, SignedOut, encode

log = logging.getLogger("neuvo.socket")

CLOSE_UNSUPPORTED = 1003
CLOSE_POLICY = 1008
CLOSE_TRY_AGAIN = 1013
LINES_IN_FLIGHT = 32  # lines of one socket being stored at once; the reader waits beyond that


async def try_again_later(websocket: WebSocket, error: ProtocolError) -> None:
    """Accept a socket only to say why it cannot begin now, then close it with 1013: a refused
    handshake would read as "not allowed", not "reconnect later"."""
    await websocket.accept()
    with contextlib.suppress(WebSocketDisconnect, WebSocketDisconnected):  # gone already: nothing to tell
        await websocket.send_text(encode(error.frame()))
        await websocket.close(CLOSE_TRY_AGAIN, error.code)


class Connection:
    """One accepted socket. Subclasses decide what each decoded frame asks of the live service."""

    parsers: Mapping[str, Parser]
    own_senders: frozenset[str] = frozenset()  # the `sender` of this socket's party's lines

    def __init__(self, live: Live, websocket: WebSocket, *, rate: float, close_after_s: float) -> None:
        self.live = live
        self.websocket = websocket
        self.bucket = TokenBucket(rate=rate, burst=3 * rate, now=time.monotonic())
        self.close_after_s = close_after_s
        self.outbox = Outbox(websocket)
        self._last_rate_error = 0.0
        self._lines: set[asyncio.Task[None]] = set()
        # By chat (None on a visitor's socket, whose frames do not name their one chat): lines of
        # this socket's whose answer is not out yet, and the newest seq acked while some are.
        self._acks_due: dict[str | None, int] = {}
        self._acked_up_to: dict[str | None, int] = {}
        self._following: tuple[str, Callable[[OutFrame], bool]] | None = None
        # Frames of the channel, kept back in order: until the caller of `follow` has sent what
        # goes first (`forward_from_now`), and from a copy of a line of the socket's party that
        # came while a line of its chat awaited its ack until an ack reaches its seq (a sender
        # hears its ack first: `_waits_for_its_ack`).
        # Only from such a copy on: under load an ack can take a second, and an advisor writing
        # in ten chats nearly always has one due; what the others send is not held for it.
        self._kept: list[OutFrame] | None = None
        self._forwarding = False
        self._closing: asyncio.Task[None] | None = None

    async def send(self, frame: OutFrame) -> None:
        await self.outbox.send(encode(frame))

    async def run(self) -> None:
        try:
            try:
                await self.opened()
            except ProtocolError as error:
                # The socket cannot begin now (storage failed under its welcome): the client is
                # told why and reconnects with backoff, as after any 1013.
                await self._refuse(error)
                await self.websocket.close(error.close_code or CLOSE_TRY_AGAIN, error.code)
                return
            async for frame in self._frames():
                if isinstance(frame, Ping):
                    await self.send(Pong())
                    continue
                if not isinstance(frame, Say | Typing):
                    await self._lines_stored()  # a close or an end comes after the lines before it
                try:
                    await self.handle(frame)
                except ProtocolError as error:
                    await self._refuse(error)
                    if error.close_code is not None:
                        await self.websocket.close(error.close_code)
                        return
        except (WebSocketDisconnect, WebSocketDisconnected):
            # Gone, or closed by our own writer (overflow, signed out) while an answer was on its
            # way: whatever was stored stays stored, and the client replays it on resume.
            pass
        finally:
            await self.stop_following()
            await self.closed()

    async def write_beside(self, written: Coroutine[Any, Any, OutFrame], *, chat: str | None = None) -> None:
        """Store a line beside the reader and send its `ack` (or error) once stored, while the next
        frames are read: an advisor writing in ten chats waited for each line's commit before
        the next was read, and under load the lines queued up behind one another. Lines still
        take their seqs in the order read: each task is started in order and hands its line to
        the writer (or, on several processes, to the outbox of commands) before it first waits."""
        if len(self._lines) >= LINES_IN_FLIGHT:
            await asyncio.wait(self._lines, return_when=asyncio.FIRST_COMPLETED)
        self._acks_due[chat] = self._acks_due.get(chat, 0) + 1
        task = asyncio.create_task(self._answer_line(written, chat))
        self._lines.add(task)
        task.add_done_callback(self._lines.discard)

    async def _answer_line(self, written: Coroutine[Any, Any, OutFrame], chat: str | None) -> None:
        try:
            answer = await written
            self.outbox.push(encode(answer))
            if isinstance(answer, Ack):
                self._acked_up_to[chat] = max(self._acked_up_to.get(chat, 0), answer.seq)
        except ProtocolError as error:
            with contextlib.suppress(WebSocketDisconnect, WebSocketDisconnected):
                await self._refuse(error)
                if error.close_code is not None:
                    await self.websocket.close(error.close_code)
        except (WebSocketDisconnect, WebSocketDisconnected):
            pass  # stored is stored: the client gets the seq when it resumes
        except Overflow:
            self.lost()
        finally:
            # Counted, not read off `_lines`: a line task that is done stays in that set until
            # its done-callback runs, a loop turn later.
            if (due := self._acks_due[chat] - 1) > 0:
                self._acks_due[chat] = due
            else:  # copies of the chat still on their way pass: no ack of it is due
                del self._acks_due[chat]
                self._acked_up_to.pop(chat, None)
            self._pass_on_kept()  # the copy kept behind this ack follows it

    async def _lines_stored(self) -> None:
        if self._lines:
            await asyncio.wait(self._lines)

    async def opened(self) -> None:
        """What happens before the first frame is read (inside run, so closed() always follows)."""

    async def handle(self, frame: Frame) -> None:
        raise NotImplementedError

    async def closed(self) -> None:
        """Called once when the socket is gone."""

    def ended_by(self, frame: SignedOut) -> bool:
        """Whether the sessions that ended include this socket's."""
        return True

    async def _refuse(self, error: ProtocolError) -> None:
        # The code says what went wrong; never the text the client sent.
        log.info("refused frame: %s", error.code)
        self.live.metrics.frames_refused.labels(code=error.code).inc()
        await self.send(error.frame())

    async def _frames(self) -> AsyncIterator[Frame]:
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") is None:
                await self.websocket.close(CLOSE_UNSUPPORTED, "binary frames are not accepted")
                return
            now = time.monotonic()
            if not self.bucket.take(now):
                if self.bucket.refusing_for(now) >= self.close_after_s:
                    await self.websocket.close(CLOSE_POLICY, "too many frames")
                    return
                if now - self._last_rate_error >= 1.0:
                    self._last_rate_error = now
                    await self._refuse(RateLimited("too many frames; slow down"))
                continue
            try:
                yield decode(message["text"], self.parsers)
            except ProtocolError as error:
                await self._refuse(error)

    async def follow(self, channel: str, forward: Callable[[OutFrame], bool]) -> None:
        """Follow a channel from now on: its frames (those `forward` keeps) go out once
        `forward_from_now` is called, so that what the caller sends first (a replay) goes out
        first."""
        await self.stop_following()
        self._following, self._kept, self._forwarding = (channel, forward), None, False
        self._acked_up_to.clear()  # a visitor's seqs are of its new chat from now on
        await self.live.follow(channel, self)

    def forward_from_now(self) -> None:
        self._forwarding = True
        self._pass_on_kept()

    async def stop_following(self) -> None:
        following, self._following = self._following, None
        self._kept, self._forwarding = None, False
        if following is not None:
            await self.live.unfollow(following[0], self)

    # -- the channel's frames, as the broker hands them over (chat.broker.Subscriber) ----------

    def put(self, frame: OutFrame) -> None:
        if self._following is None or self._closing is not None:
            return
        if not self._forwarding or self._kept or self._waits_for_its_ack(frame):
            if self._kept is None:
                self._kept = []
            if len(self._kept) >= BACKLOG:
                self.lost()
                return
            self._kept.append(frame)
            return
        self._pass_on(frame)

    def lost(self) -> None:
        """Frames for this socket may be lost (it fell behind, or the broker's connection
        dropped): closed with 1013, its client resumes from storage."""
        self._close_soon(self._close(CLOSE_TRY_AGAIN, "fell behind; resume"))

    def _waits_for_its_ack(self, frame: OutFrame) -> bool:
        """Whether the frame may be the copy of a line of this socket's whose ack is not out yet:
        newer than every ack out in its chat while a line of the chat awaits one. (A line of
        the same party from another of its sockets waits for an ack at most; a repeated line's
        ack carries its old seq and lets nothing newer go; a copy after its ack passes.)"""
        if not isinstance(frame, MessageOut) or frame.sender not in self.own_senders:
            return False
        if frame.chat not in self._acks_due:
            return False
        return frame.seq > self._acked_up_to.get(frame.chat, 0)

    def _pass_on_kept(self) -> None:
        if not self._forwarding or not self._kept:
            return
        kept, self._kept = self._kept, None
        for n, frame in enumerate(kept):
            if self._following is None or self._closing is not None:
                return
            if self._waits_for_its_ack(frame):
                self._kept = kept[n:]  # it, and what came after it, wait for the next ack
                return
            self._pass_on(frame)

    def _pass_on(self, frame: OutFrame) -> None:
        if isinstance(frame, SignedOut):
            if self.ended_by(frame):
                self._close_soon(self._signed_out(frame))
            return
        if self._following is None or not self._following[1](frame):
            return
        try:
            self.outbox.push(encode(frame))
        except Overflow:
            self.lost()

    def _close_soon(self, closing: Coroutine[Any, Any, None]) -> None:
        if self._closing is not None:
            closing.close()  # closing already
            return
        self._closing = asyncio.create_task(closing)  # and nothing more of the channel goes out

    async def _signed_out(self, frame: SignedOut) -> None:
        with contextlib.suppress(WebSocketDisconnect, WebSocketDisconnected):
            await self.send(frame)
        await self._close(Unauthorized.close_code or 4401, "signed out")

    async def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(WebSocketDisconnect, WebSocketDisconnected, RuntimeError):
            await self.websocket.close(code, reason)

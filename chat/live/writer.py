"""Group commit of chat lines: every line written while the previous batch was being committed
goes into the next batch, one transaction for all of them.

Durable before announced still holds line by line: a line is announced, and its writer told its
seq, only after the transaction holding it has committed. Seqs are decided here, from the chat's
last seq kept in memory, so they are gap-free and in the order lines arrived; a repeated client
id is answered with the seq it already has and stores nothing. One task does all of it, so the
lines of a chat are announced in seq order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from chat.base.clock import Clock
from chat.live.batches import Batches, Pending
from chat.live.state import LiveChat
from chat.wire.errors import ChatEnded
from storage import messages
from storage.database import Database
from storage.errors import STORAGE_FAILURES
from storage.tables import Message

log = logging.getLogger("neuvo.writer")
MAX_BATCH = 500

Announce = Callable[[LiveChat, Message], Awaitable[None]]


class WriteFailed(Exception):
    """The batch holding the line could not be committed; nothing of it was stored."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause


@dataclass
class Line:
    chat: LiveChat
    sender: str
    text: str
    client_id: str
    user_id: int | None


Written = Pending[Line, int]


class LineWriter:
    def __init__(self, *, db: Database, clock: Clock, announce: Announce) -> None:
        self.db = db
        self.clock = clock
        self.announce = announce
        self._batches: Batches[Line, int] = Batches(self._handle, max_batch=MAX_BATCH)

    def start(self) -> None:
        self._batches.start()

    async def stop(self) -> None:
        await self._batches.stop()

    async def write(self, chat: LiveChat, *, sender: str, text: str, client_id: str, user_id: int | None) -> int:
        """Store the line (or find it stored under this client id) and return its seq."""
        return await self._batches.submit(Line(chat, sender, text, client_id, user_id))

    async def _handle(self, batch: list[Written]) -> None:
        fresh = await self._store_or_fail(batch)
        # Writers hear their seq first, then the line is announced: a sender's `ack` goes out
        # before its own copy of the line, so a client never shows the line twice meanwhile.
        for pending in batch:
            line = pending.request
            if line.client_id in (line.chat.client_seqs or {}):
                pending.answer((line.chat.client_seqs or {})[line.client_id])
        for chat, message in fresh:
            try:
                await self.announce(chat, message)
            except Exception:
                # Stored is stored: the parties get it on resume. The writer must live on.
                log.exception("announcing a stored line failed")

    async def _store_or_fail(self, batch: list[Written]) -> list[tuple[LiveChat, Message]]:
        """Store the batch; if it fails, each line alone, so one bad line fails only itself."""
        try:
            return await self._store(batch)
        except Exception as error:
            self._forget(batch, error)
            if len(batch) == 1:
                self._fail(batch, error)
                return []
        fresh: list[tuple[LiveChat, Message]] = []
        for pending in batch:
            try:
                fresh += await self._store([pending])
            except Exception as error:
                self._forget([pending], error)
                self._fail([pending], error)
        return fresh

    @staticmethod
    def _forget(batch: list[Written], error: Exception) -> None:
        if isinstance(error, STORAGE_FAILURES):
            log.error("storing %d lines failed: %s", len(batch), type(error).__name__)
        else:
            log.exception("storing %d lines failed", len(batch))
        for pending in batch:
            pending.request.chat.client_seqs = None  # the seqs given out were not stored: reread them

    @staticmethod
    def _fail(batch: list[Written], error: Exception) -> None:
        for pending in batch:
            pending.fail(WriteFailed(error))

    async def _store(self, batch: list[Written]) -> list[tuple[LiveChat, Message]]:
        """One transaction for the batch; returns the lines that were new, in seq order."""
        now = self.clock.now()
        fresh: list[tuple[LiveChat, Message]] = []
        async with self.db.transaction() as session:
            lines = [pending.request for pending in batch]
            for chat in {id(line.chat): line.chat for line in lines if line.chat.client_seqs is None}.values():
                chat.last_seq, chat.client_seqs = await messages.client_seqs(session, chat_id=chat.id)
            for pending in batch:
                if pending.request.chat.ended:
                    pending.fail(ChatEnded("this chat has ended"))
                    continue
                message = _place(pending.request, now)
                if message is not None:
                    fresh.append((pending.request.chat, message))
            await messages.store_lines(session, lines=[message for _, message in fresh])
        return fresh


def _place(line: Line, now: datetime) -> Message | None:
    """The line under the chat's next seq; None when its client id is stored already."""
    chat = line.chat
    assert chat.client_seqs is not None, "loaded before placing"
    if line.client_id in chat.client_seqs:
        return None
    chat.last_seq += 1
    chat.client_seqs[line.client_id] = chat.last_seq
    return Message(
        chat_id=chat.id, seq=chat.last_seq, sender=line.sender, text=line.text,
        client_id=line.client_id, user_id=line.user_id, created_at=now,
    )

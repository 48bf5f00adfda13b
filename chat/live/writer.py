"""Group commit of chat lines: every line written while the previous batch was being committed
goes into the next batch, one transaction for all of them.

Durable before announced still holds line by line: a line is announced, and its writer told its
seq, only after the transaction holding it has committed. Seqs are decided here, from the chat's
last seq kept in memory, so they are gap-free and in the order lines arrived; a client id its
author already used in the chat is answered with the seq it has and stores nothing (client ids
are each sender's own: the visitor's and an advisor's may be equal). One group-commit task
(chat.live.batches) does all of it, so the lines of a chat are announced in seq order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from chat.base.clock import Clock
from chat.live import batches
from chat.live.state import LiveChat
from chat.wire.errors import ChatEnded
from storage import messages
from storage.database import Database
from storage.errors import STORAGE_FAILURES, is_outage
from storage.messages import ClientKey, NewLine, author_of

log = logging.getLogger("neuvo.writer")
MAX_BATCH = 500

Announce = Callable[[LiveChat, NewLine], Awaitable[None]]


class WriteFailed(Exception):
    """The batch holding the line could not be committed; nothing of it was stored."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause


@dataclass(frozen=True)
class Line:
    """A line to store: what the writer is asked (its answer is the line's seq)."""

    chat: LiveChat
    sender: str
    text: str
    client_id: str
    user_id: int | None

    @property
    def key(self) -> ClientKey:
        return ClientKey(author_of(self.user_id), self.client_id)


Pending = batches.Pending[Line, int]


@dataclass(frozen=True)
class Placed:
    """A line of a batch with its seq; `line` is None when its client id was stored before."""

    pending: Pending
    seq: int
    line: NewLine | None


class LineWriter:
    def __init__(self, *, db: Database, clock: Clock, announce: Announce) -> None:
        self.db = db
        self.clock = clock
        self.announce = announce
        self._batches: batches.Batches[Line, int] = batches.Batches(self._handle, max_batch=MAX_BATCH)

    def start(self) -> None:
        self._batches.start()

    async def stop(self) -> None:
        await self._batches.stop()

    async def write(self, chat: LiveChat, *, sender: str, text: str, client_id: str, user_id: int | None) -> int:
        """Store the line (or find it stored under this client id) and return its seq."""
        return await self._batches.submit(Line(chat, sender, text, client_id, user_id))

    async def _handle(self, batch: list[Pending]) -> None:
        try:
            placed = await self._store_or_fail(batch)
        except Exception as error:
            # A bug must not stop every chat's lines for good: these fail, the next go on.
            log.exception("the line writer failed")
            self._forget(batch)
            self._fail(batch, error)
            return
        # Writers hear their seq first, then the line is announced: a sender's `ack` goes out
        # before its own copy of the line, so a client never shows the line twice meanwhile.
        for line in placed:
            line.pending.answer(line.seq)
        for each in placed:
            if each.line is not None:
                await self._announce(each.pending.request.chat, each.line)

    async def _announce(self, chat: LiveChat, line: NewLine) -> None:
        try:
            await self.announce(chat, line)
        except Exception:
            # Stored is stored: the parties get it on resume. The writer must live on.
            log.exception("announcing a stored line failed")

    async def _store_or_fail(self, batch: list[Pending]) -> list[Placed]:
        """Store the batch. If it fails for one of its lines (a refused statement), each line
        alone, so one bad line fails only itself; if the database as a whole cannot write now
        (locked, disk full, unreachable), the batch fails at once: line by line, each would wait
        and fail again."""
        try:
            return await self._store(batch)
        except Exception as error:
            self._log(batch, error)
            self._forget(batch)
            if len(batch) == 1 or is_outage(error):
                self._fail(batch, error)
                return []
        placed: list[Placed] = []
        for pending in batch:
            try:
                placed += await self._store([pending])
            except Exception as error:
                self._log([pending], error)
                self._forget([pending])
                self._fail([pending], error)
        return placed

    @staticmethod
    def _log(batch: list[Pending], error: Exception) -> None:
        if isinstance(error, STORAGE_FAILURES):
            log.error("storing %d lines failed: %s", len(batch), type(error).__name__)
        else:
            log.exception("storing %d lines failed", len(batch))

    @staticmethod
    def _forget(batch: list[Pending]) -> None:
        for pending in batch:
            pending.request.chat.client_seqs = None  # the seqs given out were not stored: reread them

    @staticmethod
    def _fail(batch: list[Pending], error: Exception) -> None:
        for pending in batch:
            pending.fail(WriteFailed(error))

    async def _store(self, batch: list[Pending]) -> list[Placed]:
        """One transaction for the batch; returns each line's seq once committed, with the
        lines that were new (in seq order)."""
        await self._load_seqs(batch)
        now = self.clock.now()
        placed: list[Placed] = []
        for pending in batch:
            if pending.request.chat.ended:
                pending.fail(ChatEnded("this chat has ended"))
                continue
            placed.append(_place(pending, now))
        await messages.store_lines(self.db, lines=[each.line for each in placed if each.line is not None])
        return placed

    async def _load_seqs(self, batch: list[Pending]) -> None:
        """The stored seqs of the batch's chats not in memory yet (a chat's first line here, or
        its first after a failed batch). Read before the write's transaction, not in it: every
        line of a chat is written by this one writer, a batch at a time, so none comes between."""
        chats = {id(p.request.chat): p.request.chat for p in batch if p.request.chat.client_seqs is None}
        if not chats:
            return
        async with self.db.transaction() as session:
            for chat in chats.values():
                chat.last_seq, chat.client_seqs = await messages.client_seqs(session, chat_id=chat.id)


def _place(pending: Pending, now: datetime) -> Placed:
    """The line under the chat's next seq, or the seq its client id has already."""
    line = pending.request
    chat = line.chat
    assert chat.client_seqs is not None, "loaded before placing"
    if line.key in chat.client_seqs:
        return Placed(pending, chat.client_seqs[line.key], None)
    chat.last_seq += 1
    chat.client_seqs[line.key] = chat.last_seq
    return Placed(pending, chat.last_seq, NewLine(
        chat_id=chat.id, seq=chat.last_seq, sender=line.sender, text=line.text,
        client_id=line.client_id, author=line.key.author, user_id=line.user_id, created_at=now,
    ))

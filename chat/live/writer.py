"""Group commit of chat lines: every line written while the previous batch was being committed
goes into the next batch, one transaction for all of them.

Durable before announced still holds line by line: a line is announced, and its writer told its
seq, only after the transaction holding it has committed. Seqs are decided here, from the chat's
last seq kept in memory, so they are gap-free and in the order lines arrived; a client id its
author already used in the chat is answered with the seq it has and stores nothing (client ids
are each sender's own: the visitor's and an advisor's may be equal). One task does all of it, so the
lines of a chat are announced in seq order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from chat.base.clock import Clock
from chat.live.state import LiveChat
from chat.wire.errors import ChatEnded
from storage import messages
from storage.database import Database
from storage.errors import STORAGE_FAILURES
from storage.messages import ClientKey, author_of
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
class Pending:
    chat: LiveChat
    sender: str
    text: str
    client_id: str
    user_id: int | None
    done: asyncio.Future[int] = field(default_factory=lambda: asyncio.get_running_loop().create_future())

    @property
    def key(self) -> ClientKey:
        return ClientKey(author_of(self.user_id), self.client_id)


class LineWriter:
    def __init__(self, *, db: Database, clock: Clock, announce: Announce) -> None:
        self.db = db
        self.clock = clock
        self.announce = announce
        self.queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def write(self, chat: LiveChat, *, sender: str, text: str, client_id: str, user_id: int | None) -> int:
        """Store the line (or find it stored under this client id) and return its seq."""
        pending = Pending(chat, sender, text, client_id, user_id)
        self.queue.put_nowait(pending)
        return await pending.done

    async def _run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            fresh = await self._store_or_fail(batch)
            # Writers hear their seq first, then the line is announced: a sender's `ack` goes out
            # before its own copy of the line, so a client never shows the line twice meanwhile.
            for pending in batch:
                if not pending.done.done():
                    pending.done.set_result((pending.chat.client_seqs or {})[pending.key])
            for chat, message in fresh:
                try:
                    await self.announce(chat, message)
                except Exception:
                    # Stored is stored: the parties get it on resume. The writer must live on.
                    log.exception("announcing a stored line failed")

    async def _store_or_fail(self, batch: list[Pending]) -> list[tuple[LiveChat, Message]]:
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
    def _forget(batch: list[Pending], error: Exception) -> None:
        if isinstance(error, STORAGE_FAILURES):
            log.error("storing %d lines failed: %s", len(batch), type(error).__name__)
        else:
            log.exception("storing %d lines failed", len(batch))
        for pending in batch:
            pending.chat.client_seqs = None  # the seqs given out were not stored: reread them

    @staticmethod
    def _fail(batch: list[Pending], error: Exception) -> None:
        for pending in batch:
            if not pending.done.done():
                pending.done.set_exception(WriteFailed(error))

    async def _store(self, batch: list[Pending]) -> list[tuple[LiveChat, Message]]:
        """One transaction for the batch; returns the lines that were new, in seq order."""
        now = self.clock.now()
        fresh: list[tuple[LiveChat, Message]] = []
        async with self.db.transaction() as session:
            for chat in {id(p.chat): p.chat for p in batch if p.chat.client_seqs is None}.values():
                chat.last_seq, chat.client_seqs = await messages.client_seqs(session, chat_id=chat.id)
            for pending in batch:
                if pending.chat.ended:
                    if not pending.done.done():
                        pending.done.set_exception(ChatEnded("this chat has ended"))
                    continue
                message = _place(pending, now)
                if message is not None:
                    fresh.append((pending.chat, message))
            await messages.store_lines(session, lines=[message for _, message in fresh])
        return fresh


def _place(pending: Pending, now: datetime) -> Message | None:
    """The line under the chat's next seq; None when its client id is stored already."""
    chat = pending.chat
    assert chat.client_seqs is not None, "loaded before placing"
    if pending.key in chat.client_seqs:
        return None
    chat.last_seq += 1
    chat.client_seqs[pending.key] = chat.last_seq
    return Message(
        chat_id=chat.id, seq=chat.last_seq, sender=pending.sender, text=pending.text,
        client_id=pending.client_id, author=pending.key.author, user_id=pending.user_id, created_at=now,
    )

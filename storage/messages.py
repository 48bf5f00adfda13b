"""Messages of chats, internal notes included (sender "note")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, func, insert, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.database import Database
from storage.tables import Chat, Message

VISIBLE_TO_VISITOR = ("visitor", "advisor", "system")
_MESSAGES = cast(Table, Message.__table__)  # type: ignore[attr-defined]
_CHATS = cast(Table, Chat.__table__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class NewLine:
    """A line to store, as the line writer placed it: a `Message` row without the ORM's
    instrumentation, which cost more to build than the row does to write."""

    chat_id: str
    seq: int
    sender: str
    text: str
    client_id: str
    author: str
    user_id: int | None
    created_at: datetime


_COLUMNS = ("chat_id", "seq", "sender", "text", "client_id", "author", "user_id", "created_at")  # as `_row`
_INSERT = f"INSERT INTO message ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
_MOVE_ON = "UPDATE chat SET last_seq = ?, last_activity_at = ? WHERE id = ?"


async def store_lines(db: Database, *, lines: Sequence[NewLine]) -> None:
    """Insert new lines of several chats (seqs decided by the caller) and move each chat's last
    seq and last activity on, in one transaction. On SQLite, two statements on the driver in
    one trip to a worker thread (`Database.in_one_trip`); elsewhere Core statements in one
    session: executemany either way, a round trip or two per batch, whatever its size."""
    if not lines:
        return
    newest = list({line.chat_id: line for line in lines}.values())  # seqs rise within a chat in batch order
    if db.is_sqlite:
        await db.in_one_trip(_sqlite_statements(lines, newest, _sqlite_time()))
        return
    async with db.transaction() as session:
        await session.execute(insert(_MESSAGES), [{name: getattr(line, name) for name in _COLUMNS} for line in lines])
        await session.execute(
            update(_CHATS)
            .where(_CHATS.c.id == bindparam("chat"))
            .values(last_seq=bindparam("seq"), last_activity_at=bindparam("at")),
            [{"chat": line.chat_id, "seq": line.seq, "at": line.created_at} for line in newest],
        )


@cache
def _sqlite_time() -> Callable[[datetime], Any]:
    """How the column type writes a time for SQLite's driver (UTC, in SQLAlchemy's own text
    form), so that lines written past the ORM read back like any other row."""
    dialect = sqlite.dialect()  # pysqlite: the driver `Database.in_one_trip` uses
    processor = _MESSAGES.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
    assert processor is not None, "UtcDateTime converts"
    return processor


def _sqlite_statements(
    lines: Sequence[NewLine], newest: Sequence[NewLine], bind_at: Callable[[datetime], Any]
) -> Callable[[DBAPIConnection], None]:
    rows = [_row(line, bind_at) for line in lines]
    moves = [(line.seq, bind_at(line.created_at), line.chat_id) for line in newest]

    def run(driver: DBAPIConnection) -> None:
        driver.executemany(_INSERT, rows)
        driver.executemany(_MOVE_ON, moves)

    return run


def _row(line: NewLine, bind_at: Callable[[datetime], Any]) -> tuple[Any, ...]:
    return (line.chat_id, line.seq, line.sender, line.text, line.client_id, line.author, line.user_id,
            bind_at(line.created_at))


class ClientKey(NamedTuple):
    """A client id as its author used it: each author's client ids are their own."""

    author: str
    client_id: str


def author_of(user_id: int | None) -> str:
    """Whose client ids a line's belongs with: the visitor's (no user) or one advisor's."""
    return "visitor" if user_id is None else f"user:{user_id}"


async def client_seqs(session: AsyncSession, *, chat_id: str) -> tuple[int, dict[ClientKey, int]]:
    """The chat's last seq and the seq of every client id it has stored, per author (for dedupe)."""
    last = await session.execute(select(func.max(col(Message.seq))).where(col(Message.chat_id) == chat_id))
    result = await session.execute(
        select(col(Message.author), col(Message.client_id), col(Message.seq)).where(
            col(Message.chat_id) == chat_id, col(Message.client_id).is_not(None)
        )
    )
    seqs = {ClientKey(author, str(client_id)): int(seq) for author, client_id, seq in result.all()}
    return int(last.scalar_one() or 0), seqs


async def messages_after(
    session: AsyncSession, *, chat_id: str, after: int, visitor_view: bool
) -> Sequence[Message]:
    """The chat's messages with seq > after, in order; without notes for the visitor's view."""
    query = select(Message).where(Message.chat_id == chat_id, Message.seq > after)
    if visitor_view:
        query = query.where(Message.sender.in_(VISIBLE_TO_VISITOR))  # type: ignore[attr-defined]
    result = await session.execute(query.order_by(Message.seq))  # type: ignore[arg-type]
    return result.scalars().all()


async def histories(session: AsyncSession, *, chat_ids: Sequence[str]) -> dict[str, list[Message]]:
    """Every message of each chat (notes included), in order: the advisor's view, in one query."""
    result = await session.execute(
        select(Message).where(col(Message.chat_id).in_(chat_ids)).order_by(col(Message.chat_id), col(Message.seq))
    )
    found: dict[str, list[Message]] = {chat_id: [] for chat_id in chat_ids}
    for message in result.scalars().all():
        found[message.chat_id].append(message)
    return found


async def line_counts(session: AsyncSession, *, chat_ids: Sequence[str]) -> dict[str, int]:
    """How many lines each chat has, the visitor's and the advisors' (not notes), in one query."""
    result = await session.execute(
        select(col(Message.chat_id), func.count())
        .where(col(Message.chat_id).in_(chat_ids), col(Message.sender).in_(("visitor", "advisor")))
        .group_by(col(Message.chat_id))
    )
    counts: dict[str, int] = {chat_id: count for chat_id, count in result.all()}
    return {chat_id: counts.get(chat_id, 0) for chat_id in chat_ids}

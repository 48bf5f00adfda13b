"""Messages of chats, internal notes included (sender "note")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, func, insert, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.tables import Chat, Message

VISIBLE_TO_VISITOR = ("visitor", "advisor", "system")
_MESSAGES = cast(Table, Message.__table__)  # type: ignore[attr-defined]
_CHATS = cast(Table, Chat.__table__)  # type: ignore[attr-defined]


async def store_lines(session: AsyncSession, *, lines: Sequence[Message]) -> None:
    """Insert new lines of several chats (seqs decided by the caller) in one statement and move
    each chat's last seq and last activity on: a round trip or two per batch, whatever its size."""
    if not lines:
        return
    # Core statements on the tables: executemany without the ORM's per-row bookkeeping.
    await session.execute(insert(_MESSAGES), [line.model_dump(exclude={"id"}) for line in lines])
    newest = {line.chat_id: line for line in lines}  # seqs rise within a chat in batch order
    await session.execute(
        update(_CHATS)
        .where(_CHATS.c.id == bindparam("chat"))
        .values(last_seq=bindparam("seq"), last_activity_at=bindparam("at")),
        [{"chat": line.chat_id, "seq": line.seq, "at": line.created_at} for line in newest.values()],
    )


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


async def count_messages(session: AsyncSession, *, chat_id: str) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(Message)
        .where(Message.chat_id == chat_id, Message.sender.in_(("visitor", "advisor")))  # type: ignore[attr-defined]
    )
    return int(result.scalar_one())

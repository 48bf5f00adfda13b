"""Messages of chats, internal notes included (sender "note")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from storage.chats import next_seq
from storage.tables import Message

VISIBLE_TO_VISITOR = ("visitor", "advisor", "system")


async def append_message(
    session: AsyncSession,
    *,
    chat_id: str,
    sender: str,
    text: str,
    client_id: str | None,
    user_id: int | None,
    now: datetime,
) -> Message:
    """Store a message under the chat's next seq. The caller has checked the client id is new."""
    seq = await next_seq(session, chat_id=chat_id, now=now)
    message = Message(
        chat_id=chat_id,
        seq=seq,
        sender=sender,
        text=text,
        client_id=client_id,
        user_id=user_id,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    return message


async def message_by_client_id(session: AsyncSession, *, chat_id: str, client_id: str) -> Message | None:
    result = await session.execute(
        select(Message).where(Message.chat_id == chat_id, Message.client_id == client_id)
    )
    return result.scalar_one_or_none()


async def messages_after(
    session: AsyncSession, *, chat_id: str, after: int, visitor_view: bool
) -> Sequence[Message]:
    """The chat's messages with seq > after, in order; without notes for the visitor's view."""
    query = select(Message).where(Message.chat_id == chat_id, Message.seq > after)
    if visitor_view:
        query = query.where(Message.sender.in_(VISIBLE_TO_VISITOR))  # type: ignore[attr-defined]
    result = await session.execute(query.order_by(Message.seq))  # type: ignore[arg-type]
    return result.scalars().all()


async def count_messages(session: AsyncSession, *, chat_id: str) -> int:
    result = await session.execute(
        select(func.count())
        .select_from(Message)
        .where(Message.chat_id == chat_id, Message.sender.in_(("visitor", "advisor")))  # type: ignore[attr-defined]
    )
    return int(result.scalar_one())

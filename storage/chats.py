"""Chats: creation, the moves of their lifecycle, and who handled them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy import select as select_columns  # sqlmodel's select takes at most four
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from routing.lifecycle import ChatState
from storage.tables import Chat, ChatHandler

_CHATS = cast(Table, Chat.__table__)  # type: ignore[attr-defined]
_HANDLERS = cast(Table, ChatHandler.__table__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NewChat:
    id: str
    token_hash: str
    topic: str
    language: str


async def add_chats(session: AsyncSession, *, chats: Sequence[NewChat], status: ChatState, now: datetime) -> None:
    """New chats arrived at `now`, in one statement however many (a Core insert: a burst of
    arrivals builds no ORM object)."""
    if chats:
        await session.execute(insert(_CHATS), [
            {"id": c.id, "token_hash": c.token_hash, "status": status, "topic": c.topic, "language": c.language,
             "arrived_at": now, "last_activity_at": now, "last_seq": 0}
            for c in chats
        ])


async def chat_by_id(session: AsyncSession, *, chat_id: str) -> Chat | None:
    return await session.get(Chat, chat_id)


async def chats_to_change(session: AsyncSession, *, chat_ids: Sequence[str]) -> dict[str, Chat]:
    """The chats by id, locked for the rest of the transaction where the database can
    (PostgreSQL: FOR UPDATE), so two writers never both act on what they read."""
    result = await session.execute(
        select(Chat).where(col(Chat.id).in_(chat_ids)).with_for_update().execution_options(populate_existing=True)
    )
    return {chat.id: chat for chat in result.scalars().all()}


async def chats_with_status(session: AsyncSession, *, statuses: Sequence[ChatState]) -> Sequence[Chat]:
    result = await session.execute(
        select(Chat).where(col(Chat.status).in_(statuses)).order_by(col(Chat.arrived_at), col(Chat.id))
    )
    return result.scalars().all()


@dataclass(frozen=True)
class ChatSummary:
    """What handing a chat out needs of its row: whether it still waits, and its card's facts."""

    id: str
    status: str
    topic: str
    language: str
    arrived_at: datetime
    assigned_at: datetime | None
    last_seq: int  # 0: no line yet


async def summaries_to_change(session: AsyncSession, *, chat_ids: Sequence[str]) -> dict[str, ChatSummary]:
    """The chats' summaries by id, locked like `chats_to_change`, read without the ORM: a
    routing decision hands out dozens at once."""
    c = _CHATS.c
    result = await session.execute(
        select_columns(c.id, c.status, c.topic, c.language, c.arrived_at, c.assigned_at, c.last_seq)
        .where(c.id.in_(chat_ids)).with_for_update()
    )
    return {row.id: ChatSummary(*row) for row in result}


@dataclass(frozen=True)
class Handover:
    """One chat handed to one advisor, in the state the caller's lifecycle gives."""

    chat: ChatSummary
    status: ChatState
    user_id: int
    organisation_id: int


async def assign_chats(session: AsyncSession, *, handovers: Sequence[Handover], now: datetime) -> None:
    """Hand each chat to its advisor and remember that they handled it: a few statements for
    the lot, however many, and no ORM object. Only a chat handed out before can have handlers
    already (a campaign's new chats have none: nothing to read)."""
    if not handovers:
        return
    handled: set[tuple[str, int]] = set()
    again = [h.chat.id for h in handovers if h.chat.assigned_at is not None]
    if again:
        known = await session.execute(
            select(col(ChatHandler.chat_id), col(ChatHandler.user_id)).where(col(ChatHandler.chat_id).in_(again))
        )
        handled = {(chat_id, user_id) for chat_id, user_id in known.all()}
    await session.execute(
        update(_CHATS).where(_CHATS.c.id == bindparam("chat")).values(
            status=bindparam("new_status"), advisor_id=bindparam("advisor"),
            serving_organisation_id=bindparam("organisation"), assigned_at=bindparam("assigned"),
            target_kind=None, target_value=None, excluded_user_id=None,
        ),
        [{"chat": h.chat.id, "new_status": h.status, "advisor": h.user_id, "organisation": h.organisation_id,
          "assigned": h.chat.assigned_at or now} for h in handovers],
    )
    new = [{"chat_id": h.chat.id, "user_id": h.user_id} for h in handovers if (h.chat.id, h.user_id) not in handled]
    if new:
        await session.execute(insert(_HANDLERS), new)


async def requeue_chat(
    session: AsyncSession,
    *,
    chat: Chat,
    status: ChatState,
    target_kind: str | None,
    target_value: str | None,
    excluded_user_id: int | None,
    topic: str | None = None,
) -> None:
    """Put the chat back in the queue (in the state the caller's lifecycle gives); its arrival
    time stays, so it keeps its place. With `topic`, it is about that topic now."""
    chat.status = status
    if topic is not None:
        chat.topic = topic
    chat.advisor_id = None
    chat.target_kind = target_kind
    chat.target_value = target_value
    chat.excluded_user_id = excluded_user_id
    session.add(chat)
    await session.flush()


@dataclass(frozen=True)
class Closing:
    """One chat to end: the state its lifecycle gives, who ended it, why, and the outcome."""

    chat_id: str
    status: ChatState
    ended_by: str
    reason: str | None
    outcome: str | None


async def end_chats(session: AsyncSession, *, closings: Sequence[Closing], now: datetime) -> list[Chat]:
    """End the chats, a few statements for the lot however many (fifty advisors closing at once
    wait for one transaction, not for fifty); their rows, in the closings' order."""
    rows = await chats_to_change(session, chat_ids=[closing.chat_id for closing in closings])
    for closing in closings:
        chat = rows[closing.chat_id]
        chat.status = closing.status
        chat.ended_by = closing.ended_by
        chat.end_reason = closing.reason
        chat.outcome = closing.outcome
        chat.ended_at = now
        session.add(chat)
    return [rows[closing.chat_id] for closing in closings]


async def chats_in_progress_of(session: AsyncSession, *, user_id: int) -> Sequence[Chat]:
    """The chats this user holds now (active, assigned to them), oldest first."""
    result = await session.execute(
        select(Chat)
        .where(col(Chat.advisor_id) == user_id, col(Chat.status) == ChatState.ACTIVE)
        .order_by(col(Chat.arrived_at), col(Chat.id))
    )
    return result.scalars().all()


async def handled_by(session: AsyncSession, *, chat_id: str, user_id: int) -> bool:
    return await session.get(ChatHandler, (chat_id, user_id)) is not None


async def chats_handled_by(session: AsyncSession, *, user_id: int, limit: int = 200) -> Sequence[Chat]:
    """The chats this user has held, newest first."""
    result = await session.execute(
        select(Chat)
        .join(ChatHandler, col(ChatHandler.chat_id) == col(Chat.id))
        .where(col(ChatHandler.user_id) == user_id)
        .order_by(col(Chat.arrived_at).desc())
        .limit(limit)
    )
    return result.scalars().all()


async def assignments_by_organisation(session: AsyncSession, *, since: datetime) -> dict[int, int]:
    """How many chats each organisation (by id) was first assigned since `since`: the fair share's
    week counts."""
    result = await session.execute(
        select(col(Chat.serving_organisation_id), func.count())
        .where(col(Chat.assigned_at) >= since)
        .group_by(col(Chat.serving_organisation_id))
    )
    return {org_id: int(n) for org_id, n in result.all() if org_id is not None}

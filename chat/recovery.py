"""Rebuilding the hub's working copy from the database when the process starts.

Nobody is connected right after a start: every visitor and advisor gets their grace period from
now, as if their sockets had just dropped, so a restart (even kill -9) loses no chat and no
assignment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from chat.config import week_start
from chat.hub import RECENT_HANDLING, Hub
from chat.live import LiveChat, target_from_row
from storage import chats, duty
from storage.tables import Chat, ChatStatistic


async def restore(hub: Hub, now: datetime) -> None:
    async with hub.transaction() as session:
        await duty.close_all_open_periods(session, now=now)
        live = await chats.chats_with_status(session, statuses=("waiting", "active"))
        hub.handling_s.extend(await _recent_handling(session))
        hub.week_counts = await _week_counts(hub, session, now)
    for row in live:
        hub.chats[row.id] = _live_chat(hub, row, now)
    for chat in [c for c in hub.chats.values() if c.status == "active" and c.advisor is None]:
        # Its advisor was deactivated meanwhile: nobody could answer it, so it waits again.
        await hub.requeue(chat, target_kind=None, target_value=None, excluded=None)


def _live_chat(hub: Hub, row: Chat, now: datetime) -> LiveChat:
    advisor = hub.username_of(row.advisor_id)
    if advisor is not None:
        hub.presence_of(advisor, now).chats.add(row.id)
    return LiveChat(
        id=row.id,
        topic=row.topic,
        language=row.language,
        arrived_at=row.arrived_at,
        status=row.status,
        last_activity_at=row.last_activity_at,
        advisor=advisor,
        target=target_from_row(row.target_kind, row.target_value),
        excluded=hub.username_of(row.excluded_user_id),
        visitor_gone_since=now,
    )


async def _recent_handling(session: AsyncSession) -> list[float]:
    """Handling times of the latest ended chats, oldest first, for the wait estimate."""
    result = await session.execute(
        select(col(ChatStatistic.duration_s))
        .where(col(ChatStatistic.duration_s).is_not(None))
        .order_by(col(ChatStatistic.id).desc())
        .limit(RECENT_HANDLING)
    )
    return [float(seconds) for seconds in reversed(result.scalars().all()) if seconds is not None]


async def _week_counts(hub: Hub, session: AsyncSession, now: datetime) -> dict[str, int]:
    """Chats each organisation has taken this week, for the fair share."""
    result = await session.execute(
        select(col(Chat.serving_organisation_id), func.count())
        .where(col(Chat.assigned_at) >= week_start(now, hub.tz))
        .group_by(col(Chat.serving_organisation_id))
    )
    slugs = {org_id: org.slug for org_id, org in hub.config.organisations.items()}
    return {slugs[org_id]: int(n) for org_id, n in result.all() if org_id in slugs}

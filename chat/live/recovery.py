"""Rebuilding the hub's working copy from the database when the process starts.

Nobody is connected right after a start: every visitor and advisor gets their grace period from
now, as if their sockets had just dropped, so a restart (even kill -9) loses no chat and no
assignment.
"""

from __future__ import annotations

from datetime import datetime

from chat.live.config import week_start
from chat.live.service import RECENT_HANDLING, Hub
from chat.live.state import LiveChat, target_from_row
from storage import chats, duty, statistics
from storage.tables import Chat


async def restore(hub: Hub, now: datetime) -> None:
    async with hub.transaction() as session:
        await duty.close_all_open_periods(session, now=now)
        live = await chats.chats_with_status(session, statuses=("waiting", "active"))
        hub.handling_s.extend(await statistics.recent_handling_times(session, limit=RECENT_HANDLING))
        counts = await chats.assignments_by_organisation(session, since=week_start(now, hub.tz))
    slugs = {org_id: org.slug for org_id, org in hub.config.organisations.items()}
    hub.week_counts = {slugs[org_id]: n for org_id, n in counts.items() if org_id in slugs}
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

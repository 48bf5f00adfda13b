"""Rebuilding the live state from the database when the process starts.

Nobody is connected right after a start: every visitor and advisor gets their grace period from
now, as if their sockets had just dropped, so a restart (even kill -9) loses no chat and no
assignment.
"""

from __future__ import annotations

from datetime import datetime

from chat.live.config import week_start
from chat.live.core import Core
from chat.live.state import RECENT_HANDLING, LiveChat, target_from_row
from routing.lifecycle import ChatState
from storage import chats, duty, statistics
from storage.tables import Chat


async def restore(core: Core, now: datetime) -> None:
    async with core.db.transaction() as session:
        await duty.close_all_open_periods(session, now=now)
        live = await chats.chats_with_status(session, statuses=(ChatState.WAITING, ChatState.ACTIVE))
        core.state.handling_s.extend(await statistics.recent_handling_times(session, limit=RECENT_HANDLING))
        counts = await chats.assignments_by_organisation(session, since=week_start(now, core.tz))
    slugs = {org_id: org.slug for org_id, org in core.config.organisations.items()}
    core.state.week_counts.update({slugs[org_id]: n for org_id, n in counts.items() if org_id in slugs})
    for row in live:
        core.state.add_chat(_live_chat(core, row, now))
    for chat in core.active_without_advisor():
        # Its advisor was deactivated meanwhile: nobody could answer it, so it waits again.
        await core.requeue(chat)


def _live_chat(core: Core, row: Chat, now: datetime) -> LiveChat:
    advisor = core.username_of(row.advisor_id)
    if advisor is not None:
        core.state.restored_assignment(core.presence_of(advisor, now), row.id)
    return LiveChat(
        id=row.id,
        topic=row.topic,
        language=row.language,
        arrived_at=row.arrived_at,
        status=ChatState(row.status),
        last_activity_at=row.last_activity_at,
        advisor=advisor,
        target=target_from_row(row.target_kind, row.target_value),
        excluded=core.username_of(row.excluded_user_id),
        visitor_gone_since=now,
    )

"""Carrying out what routing.deadlines decides when time passes (the hub holds the lock)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from chat.live.service import Hub
from routing.deadlines import ChatClock, Limits, lost_advisors, overdue_chats
from storage import duty
from storage.errors import STORAGE_FAILURES

log = logging.getLogger("neuvo.ticker")


def limits(hub: Hub) -> Limits:
    settings = hub.settings
    return Limits(
        visitor_grace=timedelta(seconds=settings.visitor_grace_s),
        advisor_grace=timedelta(seconds=settings.advisor_grace_s),
        closing_grace=timedelta(seconds=settings.closing_grace_s),
        idle=timedelta(seconds=settings.idle_s),
    )


async def apply_deadlines(hub: Hub, now: datetime) -> None:
    bounds = limits(hub)
    gone = {name: presence.gone_since for name, presence in hub.advisors.items()}
    for username in lost_advisors(gone, now=now, grace=bounds.advisor_grace):
        await _release(hub, username)
    clocks = [
        ChatClock(chat.id, chat.status == "waiting", chat.visitor_gone_since, chat.last_activity_at)
        for chat in hub.chats.values()
    ]
    for overdue in overdue_chats(clocks, hours=hub.config.hours, now=now, limits=bounds):
        await hub.end(hub.chats[overdue.chat], event=overdue.event, by="system", reason=overdue.reason)


async def _release(hub: Hub, username: str) -> None:
    """The advisor did not come back: their chats return to the queue at their original
    arrival time, and their duty periods end when their connection did."""
    presence = hub.advisors[username]
    for chat_id in sorted(presence.chats):
        await hub.requeue(hub.chats[chat_id], target_kind=None, target_value=None, excluded=None)
    # Only now: had a requeue failed, the next tick finds the advisor again and retries.
    del hub.advisors[username]
    async with hub.transaction() as session:
        ended = presence.gone_since or hub.clock.now()
        await duty.close_periods(session, user_id=presence.user_id, kinds=("signed_in", "available"), now=ended)


CONFIG_REFRESH = timedelta(seconds=30)


async def tick(hub: Hub) -> None:
    """Apply whatever time alone has changed, then route: shifts may have started or ended."""
    now = hub.clock.now()
    if now - hub.config_loaded_at >= CONFIG_REFRESH:
        await hub.reload_config()  # the CLI or the coordinator pages may have changed it
    async with hub.routing_lock:
        await apply_deadlines(hub, now)
    await hub.dispatch()


async def run(hub: Hub) -> None:
    """Tick every NEUVO_TICK_S until cancelled; a failed tick is logged and the next one retries."""
    while True:
        await asyncio.sleep(hub.settings.tick_s)
        try:
            await tick(hub)
        except STORAGE_FAILURES as error:
            log.error("tick failed: %s", type(error).__name__)
        except Exception:
            log.exception("tick failed")  # a bug must not stop the deadlines for good

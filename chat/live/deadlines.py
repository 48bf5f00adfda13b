"""Carrying out what routing.deadlines decides when time passes: advisors gone past their
grace, waiting visitors gone, idle chats, the closing-time grace. Run as the `Tick` command,
under the live service's lock."""

from __future__ import annotations

from datetime import datetime, timedelta

from chat.base.settings import Settings
from chat.live.core import Core
from routing.deadlines import ChatClock, Limits, idle_warnings, lost_advisors, overdue_chats
from storage import duty

CONFIG_REFRESH = timedelta(minutes=10)  # the roster window loaded spans weeks


def limits(settings: Settings) -> Limits:
    return Limits(
        visitor_grace=timedelta(seconds=settings.visitor_grace_s),
        advisor_grace=timedelta(seconds=settings.advisor_grace_s),
        closing_grace=timedelta(seconds=settings.closing_grace_s),
        idle=timedelta(seconds=settings.idle_s),
        idle_warning=timedelta(seconds=settings.idle_warning_s),
    )


async def apply_deadlines(core: Core, now: datetime) -> None:
    """Apply whatever time alone has changed; routing follows (shifts may have started)."""
    if now - core.config_loaded_at >= CONFIG_REFRESH or await core.config_is_stale():
        # Changed by the CLI or another process; or time moved the loaded roster window on.
        await core.reload_config()
    bounds = limits(core.settings)
    gone = {presence.username: presence.gone_since for presence in core.state.advisors()}
    for username in lost_advisors(gone, now=now, grace=bounds.advisor_grace):
        await _release(core, username)
    clocks = [
        ChatClock(chat.id, chat.waiting, chat.visitor_gone_since, chat.last_activity_at, chat.idle_warned,
                  chat.left_quickly)
        for chat in core.state.chats()
    ]
    for overdue in overdue_chats(clocks, hours=core.config.hours, now=now, limits=bounds):
        chat = core.state.chat(overdue.chat)
        assert chat is not None
        await core.end(chat, event=overdue.event, by="system", reason=overdue.reason)
    for chat_id in idle_warnings(clocks, now=now, limits=bounds):
        chat = core.state.chat(chat_id)
        if chat is not None:  # not ended above
            ends_in = bounds.idle - (now - chat.last_activity_at)
            await core.warn_idle(chat, max(0, int(ends_in.total_seconds())))


async def _release(core: Core, username: str) -> None:
    """The advisor did not come back: their chats return to the queue at their original
    arrival time, and their duty periods end when their connection did."""
    presence = core.state.advisor(username)
    assert presence is not None
    for chat_id in sorted(presence.chats):
        chat = core.state.chat(chat_id)
        assert chat is not None
        await core.requeue(chat)
    # Only now: had a requeue failed, the next tick finds the advisor again and retries.
    core.state.drop_advisor(username)
    async with core.db.transaction() as session:
        ended = presence.gone_since or core.clock.now()
        await duty.close_periods(session, user_id=presence.user_id, kinds=("signed_in", "available"), now=ended)

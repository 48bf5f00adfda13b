"""Deadlines: what time alone has decided about chats and advisors.

The server owns the timers; this module only answers, for a given `now`, which chats have run
out of time and why, and which advisors' reconnect grace is over. Rules (DESIGN.md, "Routing"):

- closing time: once the service has been closed for the closing grace, every waiting chat
  expires (`service_closed`); until then the queue is still served;
- a waiting chat whose visitor has been gone for the visitor grace is abandoned (`abandoned`);
  an active one whose visitor left by the quick exit ends so too (`left_quickly`);
- an active chat silent for the idle limit ends (`idle`), and its parties are warned once, the
  idle warning before that (`idle_warnings`);
- an advisor gone for the advisor grace loses their chats back to the queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from routing.hours import OpeningHours
from routing.lifecycle import ChatEvent
from routing.types import AdvisorId, ChatId

# How far back to look for the last closing; longer than any closed stretch between openings.
LOOKBACK = timedelta(days=8)


@dataclass(frozen=True, slots=True)
class Limits:
    visitor_grace: timedelta
    advisor_grace: timedelta
    closing_grace: timedelta
    idle: timedelta
    idle_warning: timedelta = timedelta(0)  # zero: no warning


@dataclass(frozen=True, slots=True)
class ChatClock:
    """The times of one live chat that deadlines depend on."""

    id: ChatId
    waiting: bool
    visitor_gone_since: datetime | None
    last_activity: datetime
    idle_warned: bool = False
    left_quickly: bool = False


@dataclass(frozen=True, slots=True)
class Overdue:
    chat: ChatId
    event: ChatEvent
    reason: str


def closing_grace_over(hours: OpeningHours, now: datetime, grace: timedelta) -> bool:
    """Closed now, and closed for at least `grace` (or not open at all lately)."""
    if hours.is_open(now):
        return False
    earlier = hours.intervals(now - LOOKBACK, now)
    return not earlier or now - earlier[-1].end >= grace


def _past(since: datetime | None, grace: timedelta, now: datetime) -> bool:
    return since is not None and now - since >= grace


def overdue_chats(
    chats: Iterable[ChatClock], *, hours: OpeningHours, now: datetime, limits: Limits
) -> list[Overdue]:
    """The chats to end now, each with the lifecycle event and the reason the visitor is told."""
    closed = closing_grace_over(hours, now, limits.closing_grace)
    decided = []
    for chat in chats:
        if chat.waiting and closed:
            decided.append(Overdue(chat.id, ChatEvent.EXPIRE, "service_closed"))
        elif chat.waiting and _past(chat.visitor_gone_since, limits.visitor_grace, now):
            decided.append(Overdue(chat.id, ChatEvent.ABANDON, "abandoned"))
        elif chat.left_quickly and _past(chat.visitor_gone_since, limits.visitor_grace, now):
            decided.append(Overdue(chat.id, ChatEvent.END, "left_quickly"))
        elif not chat.waiting and now - chat.last_activity >= limits.idle:
            decided.append(Overdue(chat.id, ChatEvent.END, "idle"))
    return decided


def idle_warnings(chats: Iterable[ChatClock], *, now: datetime, limits: Limits) -> list[ChatId]:
    """The active chats to warn now: silent for longer than the idle limit less the warning, not
    yet warned since their last activity, and not yet at the idle limit itself."""
    if limits.idle_warning <= timedelta(0):
        return []
    start = limits.idle - limits.idle_warning
    return [chat.id for chat in chats
            if not chat.waiting and not chat.idle_warned and start <= now - chat.last_activity < limits.idle]


def lost_advisors(
    gone_since: Mapping[AdvisorId, datetime | None], *, now: datetime, grace: timedelta
) -> list[AdvisorId]:
    """Advisors whose reconnect grace is over, in name order."""
    return sorted(advisor for advisor, since in gone_since.items() if _past(since, grace, now))

"""Small builders that keep the routing tests literal: Helsinki times, chats and advisors."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from routing.types import AdvisorState, Target, WaitingChat

HEL = ZoneInfo("Europe/Helsinki")


def hel(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Helsinki wall-clock time (the first showing, if the clock shows it twice)."""
    return datetime(year, month, day, hour, minute, tzinfo=HEL)


NOON = hel(2026, 3, 2, 12)  # a Monday with nothing special about it


def chat(
    chat_id: str,
    minute: int = 0,
    *,
    language: str = "fi",
    topic: str = "study",
    target: Target | None = None,
    excluded: str | None = None,
) -> WaitingChat:
    """A chat that arrived `minute` minutes after 11:00 on a plain Monday."""
    return WaitingChat(chat_id, hel(2026, 3, 2, 11, minute), topic, language, target, excluded)


def advisor(
    advisor_id: str,
    organisation: str = "org",
    *,
    languages: frozenset[str] = frozenset({"fi"}),
    topics: frozenset[str] | None = None,
    capacity: int = 3,
    active: int = 0,
    signed_in: bool = True,
    available: bool = True,
    idle_minute: int = 0,
) -> AdvisorState:
    """An advisor who is signed in, available and idle since `idle_minute` past 10:00."""
    return AdvisorState(
        advisor_id,
        organisation,
        languages,
        topics,
        capacity,
        active,
        signed_in,
        available,
        hel(2026, 3, 2, 10, idle_minute),
    )

"""Time alone ends chats and releases advisors, by the rules in routing.deadlines."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from routing.deadlines import (
    ChatClock,
    Limits,
    Overdue,
    closing_grace_over,
    idle_warnings,
    lost_advisors,
    overdue_chats,
)
from routing.hours import OpeningHours, WeeklyOpening
from routing.lifecycle import ChatEvent

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAYS_9_TO_16 = OpeningHours(tuple(WeeklyOpening(day, time(9), time(16)) for day in range(5)), (), HELSINKI)
LIMITS = Limits(visitor_grace=timedelta(seconds=120), advisor_grace=timedelta(seconds=60),
                closing_grace=timedelta(seconds=900), idle=timedelta(seconds=1800))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def test_the_queue_is_served_through_the_closing_grace_and_expires_after_it() -> None:
    assert not closing_grace_over(WEEKDAYS_9_TO_16, at("2026-11-24T15:59"), timedelta(seconds=900))
    assert not closing_grace_over(WEEKDAYS_9_TO_16, at("2026-11-24T16:14:59"), timedelta(seconds=900))
    assert closing_grace_over(WEEKDAYS_9_TO_16, at("2026-11-24T16:15"), timedelta(seconds=900))
    assert closing_grace_over(WEEKDAYS_9_TO_16, at("2026-11-29T12:00"), timedelta(seconds=900))  # Sunday


def test_a_service_with_no_hours_is_past_its_grace() -> None:
    assert closing_grace_over(OpeningHours((), (), HELSINKI), at("2026-11-24T10:00"), timedelta(seconds=900))


def test_each_overdue_chat_gets_its_own_event_and_reason() -> None:
    now = at("2026-11-24T12:00")
    chats = [
        ChatClock("gone", waiting=True, visitor_gone_since=now - timedelta(seconds=120), last_activity=now),
        ChatClock("briefly-gone", waiting=True, visitor_gone_since=now - timedelta(seconds=119), last_activity=now),
        ChatClock("silent", waiting=False, visitor_gone_since=None, last_activity=now - timedelta(seconds=1800)),
        ChatClock("talking", waiting=False, visitor_gone_since=None, last_activity=now - timedelta(seconds=60)),
    ]
    assert overdue_chats(chats, hours=WEEKDAYS_9_TO_16, now=now, limits=LIMITS) == [
        Overdue("gone", ChatEvent.ABANDON, "abandoned"),
        Overdue("silent", ChatEvent.END, "idle"),
    ]


def test_after_closing_grace_waiting_chats_expire_but_active_ones_go_on() -> None:
    now = at("2026-11-24T16:20")
    chats = [
        ChatClock("queued", waiting=True, visitor_gone_since=None, last_activity=now),
        ChatClock("active", waiting=False, visitor_gone_since=None, last_activity=now),
    ]
    assert overdue_chats(chats, hours=WEEKDAYS_9_TO_16, now=now, limits=LIMITS) == [
        Overdue("queued", ChatEvent.EXPIRE, "service_closed"),
    ]


def test_advisors_are_released_only_after_their_grace() -> None:
    now = at("2026-11-24T12:00")
    gone = {"anna": now - timedelta(seconds=60), "bertil": now - timedelta(seconds=59), "chloe": None}
    assert lost_advisors(gone, now=now, grace=timedelta(seconds=60)) == ["anna"]


def test_an_idle_chat_is_warned_once_the_warning_before_its_end() -> None:
    now = at("2026-11-24T12:00")
    limits = Limits(visitor_grace=timedelta(seconds=120), advisor_grace=timedelta(seconds=60),
                    closing_grace=timedelta(seconds=900), idle=timedelta(seconds=1800),
                    idle_warning=timedelta(seconds=120))

    def silent(name: str, seconds: int, *, warned: bool = False, waiting: bool = False) -> ChatClock:
        return ChatClock(name, waiting, None, now - timedelta(seconds=seconds), warned)

    chats = [silent("early", 1679), silent("due", 1680), silent("late", 1799), silent("warned", 1700, warned=True),
             silent("over", 1800), silent("queued", 1700, waiting=True)]
    assert idle_warnings(chats, now=now, limits=limits) == ["due", "late"]
    assert idle_warnings(chats, now=now, limits=LIMITS) == []  # no warning set: none given


def test_an_active_chat_whose_visitor_left_quickly_ends_after_the_visitor_grace() -> None:
    now = at("2026-11-24T12:00")
    chats = [
        ChatClock("left", False, now - timedelta(seconds=120), now, left_quickly=True),
        ChatClock("just-left", False, now - timedelta(seconds=119), now, left_quickly=True),
        ChatClock("came-back", False, None, now, left_quickly=True),
        ChatClock("reloading", False, now - timedelta(seconds=600), now),  # gone, but not by the quick exit
    ]
    assert overdue_chats(chats, hours=WEEKDAYS_9_TO_16, now=now, limits=LIMITS) == [
        Overdue("left", ChatEvent.END, "left_quickly")]

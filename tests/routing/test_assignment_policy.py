"""assign: who gets which waiting chat, rule by rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from routing.policy import assign, can_serve
from routing.roster import Roster, Shift
from routing.types import (
    AdvisorState,
    Assignment,
    ToAdvisor,
    ToOrganisation,
    ToTopic,
    WaitingChat,
)
from tests.routing.routing_builders import advisor, chat, hel


def decide(
    chats: Sequence[WaitingChat],
    advisors: Sequence[AdvisorState],
    week_counts: Mapping[str, int] | None = None,
    rostered_hours: Mapping[str, float] | None = None,
    on_shift: frozenset[str] | None = None,
) -> list[tuple[str, str]]:
    """assign with everyone on shift and no fair-share history, unless told otherwise."""
    everyone = frozenset(a.id for a in advisors)
    made = assign(
        chats,
        advisors,
        everyone if on_shift is None else on_shift,
        week_counts or {},
        rostered_hours or {},
    )
    return [(a.chat, a.advisor) for a in made]


# The ranking


def test_fewest_active_chats_first() -> None:
    advisors = [advisor("busy", active=1, idle_minute=0), advisor("free", active=0, idle_minute=9)]
    assert decide([chat("c1")], advisors) == [("c1", "free")]


def test_then_the_organisation_furthest_below_its_fair_share() -> None:
    advisors = [advisor("ahead", "a", idle_minute=0), advisor("behind", "b", idle_minute=9)]
    counts, hours = {"a": 5, "b": 5}, {"a": 10.0, "b": 30.0}  # b should have had 7.5
    assert decide([chat("c1")], advisors, counts, hours) == [("c1", "behind")]


def test_then_the_longest_idle() -> None:
    advisors = [advisor("recent", idle_minute=30), advisor("longest", idle_minute=5)]
    assert decide([chat("c1")], advisors) == [("c1", "longest")]


def test_then_the_advisor_id_so_the_choice_is_repeatable() -> None:
    assert decide([chat("c1")], [advisor("bo"), advisor("al")]) == [("c1", "al")]


def test_an_organisation_with_no_rostered_hours_is_due_no_chats() -> None:
    advisors = [advisor("guest", "visitors", idle_minute=0), advisor("host", "a", idle_minute=9)]
    counts = {"a": 2, "visitors": 1}  # deficits: a 3 - 2 = 1, visitors 0 - 1 = -1
    assert decide([chat("c1")], advisors, counts, {"a": 10.0}) == [("c1", "host")]


def test_assignments_in_one_decision_count_as_active_chats() -> None:
    advisors = [advisor("al", capacity=2, idle_minute=0), advisor("bo", capacity=2, idle_minute=9)]
    assert decide([chat("c1", 1), chat("c2", 2)], advisors) == [("c1", "al"), ("c2", "bo")]


def test_assignments_in_one_decision_count_towards_fair_share() -> None:
    advisors = [
        advisor("a1", "a", capacity=1, idle_minute=0),
        advisor("a2", "a", capacity=1, idle_minute=1),
        advisor("b1", "b", capacity=1, idle_minute=9),
    ]
    hours = {"a": 10.0, "b": 10.0}
    assert decide([chat("c1", 1), chat("c2", 2)], advisors, {}, hours) == [
        ("c1", "a1"),
        ("c2", "b1"),  # a has had c1: b is now behind, though a2 has waited longer
    ]


def test_every_assignment_in_one_decision_adds_to_the_weeks_total() -> None:
    advisors = [
        advisor("c1", "c", capacity=1, idle_minute=0),
        advisor("b1", "b", capacity=1, idle_minute=1),
        advisor("a1", "a", capacity=1, idle_minute=2),
    ]
    counts, hours = {"a": 8, "b": 2}, {"a": 40.0, "b": 10.0}  # everyone on their share
    # After c1 takes a chat, 11 chats: a is due 8.8 (has 8), b 2.2 (has 2): a is further behind.
    assert decide([chat("x", 1), chat("y", 2)], advisors, counts, hours) == [
        ("x", "c1"),
        ("y", "a1"),
    ]


def test_an_advisor_given_a_chat_is_no_longer_idle() -> None:
    advisors = [
        advisor("al", capacity=2, active=0, idle_minute=0),
        advisor("bo", capacity=3, active=1, idle_minute=5),
    ]
    assert decide([chat("c1", 1), chat("c2", 2)], advisors) == [("c1", "al"), ("c2", "bo")]


def test_an_advisor_given_a_chat_is_no_longer_idle_across_organisations() -> None:
    advisors = [
        advisor("al", "a", capacity=2, active=0, idle_minute=0),
        advisor("bo", "b", capacity=3, active=1, idle_minute=5),
    ]
    counts = {"b": 1}  # nobody rostered: after c1, both a and b are 1 over their share
    assert decide([chat("c1", 1), chat("c2", 2)], advisors, counts) == [("c1", "al"), ("c2", "bo")]


# Who is eligible


def test_only_advisors_on_shift_get_chats() -> None:
    advisors = [advisor("on"), advisor("off", idle_minute=0)]
    assert decide([chat("c1")], advisors, on_shift=frozenset({"on"})) == [("c1", "on")]


def test_no_new_chats_once_the_shift_has_ended() -> None:
    roster = Roster((Shift("al", hel(2026, 3, 2, 8), hel(2026, 3, 2, 12)),))
    waiting = [chat("c1")]
    assert decide(waiting, [advisor("al")], on_shift=roster.on_shift(hel(2026, 3, 2, 11, 59)))
    assert decide(waiting, [advisor("al")], on_shift=roster.on_shift(hel(2026, 3, 2, 12))) == []


def test_advisors_signed_out_or_away_get_no_chats() -> None:
    advisors = [advisor("out", signed_in=False), advisor("away", available=False)]
    assert decide([chat("c1")], advisors) == []


def test_an_advisor_gets_no_more_than_their_free_capacity() -> None:
    chats = [chat(f"c{n}", n) for n in range(5)]
    assert len(decide(chats, [advisor("al", capacity=3, active=1)])) == 2
    assert decide(chats, [advisor("full", capacity=2, active=2)]) == []


def test_chats_go_only_to_advisors_who_speak_the_language() -> None:
    advisors = [advisor("fi"), advisor("sv", languages=frozenset({"sv"}), idle_minute=30)]
    assert decide([chat("c1", language="sv")], advisors) == [("c1", "sv")]


def test_advisors_with_topic_limits_get_only_those_topics() -> None:
    legal = advisor("legal", topics=frozenset({"legal"}), idle_minute=0)
    assert decide([chat("c1", topic="study")], [legal]) == []
    assert decide([chat("c1", topic="legal")], [legal]) == [("c1", "legal")]


# The queue


def test_oldest_chat_first() -> None:
    chats = [chat("late", 30), chat("early", 10)]
    assert decide(chats, [advisor("al", capacity=1)]) == [("early", "al")]


def test_equal_arrivals_are_served_in_id_order() -> None:
    chats = [chat("b", 10), chat("a", 10)]
    assert decide(chats, [advisor("al", capacity=1)]) == [("a", "al")]


def test_swedish_chat_does_not_block_finnish_queue() -> None:
    chats = [chat("sv1", 1, language="sv"), chat("fi1", 2), chat("fi2", 3)]
    advisors = [advisor("al", capacity=2)]
    assert decide(chats, advisors) == [("fi1", "al"), ("fi2", "al")]


def test_a_requeued_chat_keeps_its_arrival_and_goes_first() -> None:
    requeued = chat("back", 0, excluded="al")
    chats = [chat("new1", 20), chat("new2", 25), requeued]
    assert decide(chats, [advisor("bo", capacity=1)]) == [("back", "bo")]


# Transfers


def test_a_chat_transferred_to_an_advisor_waits_for_that_advisor() -> None:
    advisors = [advisor("al", idle_minute=0), advisor("bo", idle_minute=9)]
    assert decide([chat("c1", target=ToAdvisor("bo"))], advisors) == [("c1", "bo")]
    full_bo = [advisor("al"), advisor("bo", capacity=1, active=1)]
    assert decide([chat("c1", target=ToAdvisor("bo"))], full_bo) == []


def test_a_chat_transferred_to_an_organisation_goes_only_there() -> None:
    advisors = [advisor("al", "a", idle_minute=0), advisor("bo", "b", idle_minute=9)]
    assert decide([chat("c1", target=ToOrganisation("b"))], advisors) == [("c1", "bo")]


def test_a_chat_transferred_to_a_topic_needs_that_topic() -> None:
    legal = advisor("legal", topics=frozenset({"legal"}))
    study = advisor("study", topics=frozenset({"study"}), idle_minute=0)
    moved = chat("c1", topic="study", target=ToTopic("legal"))
    assert decide([moved], [study, legal]) == [("c1", "legal")]


def test_a_transferred_chat_never_goes_back_to_the_advisor_who_passed_it_on() -> None:
    advisors = [advisor("al", idle_minute=0), advisor("bo", idle_minute=9)]
    assert decide([chat("c1", excluded="al")], advisors) == [("c1", "bo")]
    assert decide([chat("c1", excluded="al")], advisors[:1]) == []


def test_can_serve_combines_every_condition() -> None:
    al = advisor("al", "a", languages=frozenset({"fi", "sv"}), topics=frozenset({"study"}))
    assert can_serve(al, chat("c", language="sv", topic="study"))
    assert not can_serve(al, chat("c", language="en"))
    assert not can_serve(al, chat("c", topic="legal"))
    assert can_serve(al, chat("c", topic="legal", target=ToTopic("study")))
    assert not can_serve(al, chat("c", target=ToAdvisor("bo")))
    assert not can_serve(al, chat("c", target=ToOrganisation("b")))
    assert can_serve(al, chat("c", target=ToOrganisation("a")))
    assert not can_serve(al, chat("c", excluded="al"))


# Purity


def test_assign_changes_nothing_it_is_given() -> None:
    chats = [chat("c1"), chat("c2", 1)]
    advisors = [advisor("al", "a")]
    counts, hours = {"a": 3}, {"a": 8.0}
    before = (list(chats), list(advisors), dict(counts), dict(hours))
    made = assign(chats, advisors, frozenset({"al"}), counts, hours)
    assert made == [Assignment("c1", "al"), Assignment("c2", "al")]
    assert (chats, advisors, counts, hours) == before

"""Queue order and positions: a chat counts only the chats ahead that compete with it."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from routing.advisors import AdvisorIndex, can_serve
from routing.queue import Standings, order, positions
from routing.types import AdvisorState, ToAdvisor, WaitingChat
from tests.routing.routing_builders import HEL, advisor, chat
from tests.routing.routing_strategies import advisor_lists, chat_lists

FINNISH = advisor("fi-only")
SWEDISH = advisor("sv-only", languages=frozenset({"sv"}))
BOTH = advisor("both", languages=frozenset({"fi", "sv"}))


def test_order_is_by_arrival_then_id() -> None:
    chats = [chat("c", 5), chat("b", 1), chat("a", 5)]
    assert [c.id for c in order(chats)] == ["b", "a", "c"]


def test_order_compares_instants_across_the_autumn_repeat() -> None:
    first = datetime(2026, 10, 25, 3, 30, tzinfo=HEL)  # 03:30 summer time
    second = datetime(2026, 10, 25, 3, 10, fold=1, tzinfo=HEL)  # 03:10 winter time, 40 min later
    chats = [WaitingChat("b", second, "study", "fi"), WaitingChat("a", first, "study", "fi")]
    assert [c.id for c in order(chats)] == ["a", "b"]


def test_swedish_chats_ahead_do_not_count_for_a_finnish_chat() -> None:
    chats = [chat("sv1", 1, language="sv"), chat("sv2", 2, language="sv"), chat("fi1", 3)]
    assert positions(chats, [FINNISH, SWEDISH]) == {"sv1": 1, "sv2": 2, "fi1": 1}


def test_a_bilingual_advisor_makes_the_languages_compete() -> None:
    chats = [chat("sv1", 1, language="sv"), chat("fi1", 2)]
    assert positions(chats, [BOTH]) == {"sv1": 1, "fi1": 2}


def test_competition_is_through_any_shared_advisor() -> None:
    chats = [chat("sv1", 1, language="sv"), chat("fi1", 2)]
    assert positions(chats, [FINNISH, SWEDISH, BOTH])["fi1"] == 2


def test_topic_limits_separate_queues() -> None:
    legal = advisor("legal", topics=frozenset({"legal"}))
    study = advisor("study", topics=frozenset({"study"}))
    chats = [chat("l1", 1, topic="legal"), chat("s1", 2, topic="study")]
    assert positions(chats, [legal, study]) == {"l1": 1, "s1": 1}


def test_a_chat_for_one_advisor_counts_only_what_that_advisor_could_take() -> None:
    chats = [
        chat("sv1", 1, language="sv"),
        chat("fi1", 2),
        chat("mine", 3, target=ToAdvisor("fi-only")),
    ]
    assert positions(chats, [FINNISH, SWEDISH, BOTH])["mine"] == 2


def test_without_advisors_chats_compete_within_their_language() -> None:
    chats = [chat("fi1", 1), chat("sv1", 2, language="sv"), chat("fi2", 3)]
    assert positions(chats, []) == {"fi1": 1, "sv1": 1, "fi2": 2}


def test_chats_nobody_can_serve_queue_by_language() -> None:
    chats = [chat("en1", 1, language="en"), chat("fi1", 2), chat("en2", 3, language="en")]
    assert positions(chats, [FINNISH]) == {"en1": 1, "fi1": 1, "en2": 2}


def test_a_requeued_chat_is_at_the_head() -> None:
    chats = [chat("new", 30), chat("back", 0, excluded="fi-only")]
    assert positions(chats, [FINNISH, BOTH]) == {"back": 1, "new": 2}


@given(chat_lists(), advisor_lists())
def test_advisor_index_agrees_with_can_serve(
    chats: list[WaitingChat], advisors: list[AdvisorState]
) -> None:
    index = AdvisorIndex(advisors)
    for c in chats:
        assert index.servers(c) == {a.id for a in advisors if can_serve(a, c)}


@given(chat_lists(max_size=40), advisor_lists())
def test_positions_count_exactly_the_competing_chats_ahead(
    chats: list[WaitingChat], advisors: list[AdvisorState]
) -> None:
    ordered = order(chats)
    servers = {c.id: {a.id for a in advisors if can_serve(a, c)} for c in chats}

    def compete(a: WaitingChat, b: WaitingChat) -> bool:
        if servers[a.id] or servers[b.id]:
            return bool(servers[a.id] & servers[b.id])
        return a.language == b.language

    expected = {
        c.id: 1 + sum(compete(c, ahead) for ahead in ordered[:n]) for n, c in enumerate(ordered)
    }
    assert positions(chats, advisors) == expected


@given(chat_lists(max_size=40), advisor_lists(), st.integers(0, 40))
def test_chats_joining_at_the_back_get_the_positions_of_the_whole_queue(
    chats: list[WaitingChat], advisors: list[AdvisorState], standing: int
) -> None:
    ordered = order(chats)
    standings = Standings(ordered[:standing], advisors)
    for later in ordered[standing:]:
        assert standings.join(later)
    assert standings.position == positions(chats, advisors)
    assert [c.id for c in standings.ordered] == [c.id for c in ordered]


@given(chat_lists(max_size=40), advisor_lists(), st.sets(st.integers(0, 39)), st.integers(0, 40))
def test_chats_leaving_leave_the_positions_of_the_queue_without_them(
    chats: list[WaitingChat], advisors: list[AdvisorState], gone: set[int], standing: int
) -> None:
    ordered = order(chats)
    leaving = {c.id for n, c in enumerate(ordered) if n in gone}
    standings = Standings(ordered[:standing], advisors)
    standings.without(leaving)
    for later in ordered[standing:]:
        if later.id not in leaving:
            assert standings.join(later)
    rest = [c for c in chats if c.id not in leaving]
    assert standings.position == positions(rest, advisors)
    assert [c.id for c in standings.ordered] == [c.id for c in order(rest)]


def test_a_chat_that_sorts_before_the_back_does_not_join() -> None:
    standings = Standings([chat("fi1", 5)], [FINNISH])
    assert not standings.join(chat("back", 0, excluded="both"))
    assert not standings.join(chat("fi0", 5))  # the same instant, an id that sorts first
    assert standings.position == {"fi1": 1} and [c.id for c in standings.ordered] == ["fi1"]
    assert standings.join(chat("fi2", 5))
    assert standings.position == {"fi1": 1, "fi2": 2}

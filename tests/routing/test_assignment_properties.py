"""assign on random rosters, advisors and queues: the invariants every decision keeps."""

from __future__ import annotations

from collections import Counter

from hypothesis import given

from routing.policy import assign, can_serve
from routing.queue import order
from routing.types import AdvisorState, WaitingChat
from tests.routing.routing_strategies import (
    advisor_lists,
    chat_lists,
    eligible,
    on_shift_sets,
    reference_assign,
    rostered_hours,
    week_counts,
)

Case = tuple[
    list[WaitingChat], list[AdvisorState], frozenset[str], dict[str, int], dict[str, float]
]


@given(chat_lists(), advisor_lists(), on_shift_sets, week_counts, rostered_hours)
def test_never_assigns_to_anyone_who_may_not_take_the_chat(
    chats: list[WaitingChat],
    advisors: list[AdvisorState],
    on_shift: frozenset[str],
    counts: dict[str, int],
    hours: dict[str, float],
) -> None:
    by_id = {a.id: a for a in advisors}
    by_chat = {c.id: c for c in chats}
    for made in assign(chats, advisors, on_shift, counts, hours):
        advisor = by_id[made.advisor]
        assert eligible(advisor, on_shift), "off shift, signed out or away"
        assert advisor.active < advisor.capacity, "already at capacity"
        assert can_serve(advisor, by_chat[made.chat]), "wrong language, topic or target"


@given(chat_lists(), advisor_lists(), on_shift_sets, week_counts, rostered_hours)
def test_never_assigns_a_chat_twice_nor_beyond_free_capacity(
    chats: list[WaitingChat],
    advisors: list[AdvisorState],
    on_shift: frozenset[str],
    counts: dict[str, int],
    hours: dict[str, float],
) -> None:
    made = assign(chats, advisors, on_shift, counts, hours)
    assert len({m.chat for m in made}) == len(made)
    per_advisor = Counter(m.advisor for m in made)
    for advisor in advisors:
        assert per_advisor[advisor.id] <= max(0, advisor.capacity - advisor.active)


@given(chat_lists(), advisor_lists(), on_shift_sets, week_counts, rostered_hours)
def test_each_assignment_takes_the_oldest_chat_its_advisor_could_serve(
    chats: list[WaitingChat],
    advisors: list[AdvisorState],
    on_shift: frozenset[str],
    counts: dict[str, int],
    hours: dict[str, float],
) -> None:
    """For the k-th assignment (chat c to advisor a): c is the first chat, in queue order, that a
    can serve among the chats not handed out by assignments 1..k-1."""
    by_id = {a.id: a for a in advisors}
    made = assign(chats, advisors, on_shift, counts, hours)
    for k, assignment in enumerate(made):
        earlier = {m.chat for m in made[:k]}
        advisor = by_id[assignment.advisor]
        oldest = next(c for c in order(chats) if c.id not in earlier and can_serve(advisor, c))
        assert assignment.chat == oldest.id


@given(chat_lists(), advisor_lists(), on_shift_sets, week_counts, rostered_hours)
def test_no_free_advisor_is_left_beside_a_chat_they_could_serve(
    chats: list[WaitingChat],
    advisors: list[AdvisorState],
    on_shift: frozenset[str],
    counts: dict[str, int],
    hours: dict[str, float],
) -> None:
    made = assign(chats, advisors, on_shift, counts, hours)
    given_out = Counter(m.advisor for m in made)
    assigned = {m.chat for m in made}
    for advisor in advisors:
        has_room = advisor.active + given_out[advisor.id] < advisor.capacity
        if eligible(advisor, on_shift) and has_room:
            left = [c.id for c in chats if c.id not in assigned and can_serve(advisor, c)]
            assert left == [], f"{advisor.id} has room and could serve {left}"


@given(chat_lists(), advisor_lists(), on_shift_sets, week_counts, rostered_hours)
def test_matches_the_rules_read_literally(
    chats: list[WaitingChat],
    advisors: list[AdvisorState],
    on_shift: frozenset[str],
    counts: dict[str, int],
    hours: dict[str, float],
) -> None:
    expected = reference_assign(chats, advisors, on_shift, counts, hours)
    assert assign(chats, advisors, on_shift, counts, hours) == expected

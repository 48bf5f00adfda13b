"""Hypothesis strategies for random advisors, queues and fair-share tallies, plus a slow,
literal reading of the assignment rules to check the fast one against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from operator import itemgetter

from hypothesis import strategies as st

from routing.advisors import can_serve
from routing.fairshare import deficits
from routing.queue import order
from routing.roster import Roster, Shift
from routing.types import (
    AdvisorState,
    Assignment,
    Target,
    ToAdvisor,
    ToOrganisation,
    ToTopic,
    WaitingChat,
)
from tests.routing.routing_builders import hel

LANGUAGES = ["fi", "sv", "en"]
TOPICS = ["study", "work", "legal"]
ORGANISATIONS = ["a", "b", "c"]
ADVISOR_IDS = [f"adv{n}" for n in range(8)]
START = hel(2026, 3, 2, 10)


@st.composite
def advisor_lists(draw: st.DrawFn) -> list[AdvisorState]:
    ids = draw(st.lists(st.sampled_from(ADVISOR_IDS), unique=True, max_size=len(ADVISOR_IDS)))
    return [draw(advisor_states(advisor_id)) for advisor_id in ids]


@st.composite
def advisor_states(draw: st.DrawFn, advisor_id: str) -> AdvisorState:
    capacity = draw(st.integers(1, 3))
    limited = draw(st.booleans())
    return AdvisorState(
        id=advisor_id,
        organisation=draw(st.sampled_from(ORGANISATIONS)),
        languages=draw(st.frozensets(st.sampled_from(LANGUAGES), min_size=1)),
        topics=draw(st.frozensets(st.sampled_from(TOPICS), min_size=1)) if limited else None,
        capacity=capacity,
        active=draw(st.integers(0, capacity)),
        signed_in=draw(st.booleans() | st.just(True)),
        available=draw(st.booleans() | st.just(True)),
        idle_since=START + timedelta(minutes=draw(st.integers(0, 5))),
    )


targets: st.SearchStrategy[Target | None] = st.one_of(
    st.none(),
    st.none(),
    st.builds(ToAdvisor, st.sampled_from(ADVISOR_IDS)),
    st.builds(ToOrganisation, st.sampled_from(ORGANISATIONS)),
    st.builds(ToTopic, st.sampled_from(TOPICS)),
)


@st.composite
def chat_lists(draw: st.DrawFn, max_size: int = 20) -> list[WaitingChat]:
    count = draw(st.integers(0, max_size))
    return [
        WaitingChat(
            id=f"chat{n}",
            arrived=START + timedelta(minutes=draw(st.integers(0, 10))),
            topic=draw(st.sampled_from(TOPICS)),
            language=draw(st.sampled_from(LANGUAGES)),
            target=draw(targets),
            excluded=draw(st.none() | st.sampled_from(ADVISOR_IDS)),
        )
        for n in range(count)
    ]


week_counts = st.dictionaries(st.sampled_from(ORGANISATIONS), st.integers(0, 20))
rostered_hours = st.dictionaries(
    st.sampled_from(ORGANISATIONS), st.sampled_from([0.0, 4.0, 7.5, 10.0, 30.0])
)


@st.composite
def rostered_on_shift(draw: st.DrawFn) -> frozenset[str]:
    """Who a random roster of overlapping shifts over one morning has on shift at a random
    minute of it."""
    minutes = st.integers(0, 240)
    shifts = [
        Shift(advisor, START + timedelta(minutes=begin), START + timedelta(minutes=begin + length))
        for advisor, begin, length in draw(
            st.lists(st.tuples(st.sampled_from(ADVISOR_IDS), minutes, st.integers(1, 120)))
        )
    ]
    return Roster(tuple(shifts)).on_shift(START + timedelta(minutes=draw(minutes)))


on_shift_sets = rostered_on_shift() | st.frozensets(st.sampled_from(ADVISOR_IDS))


def eligible(advisor: AdvisorState, on_shift: frozenset[str]) -> bool:
    """On shift, signed in and available; room is checked separately."""
    return advisor.id in on_shift and advisor.signed_in and advisor.available


def reference_assign(
    chats: Sequence[WaitingChat],
    advisors: Sequence[AdvisorState],
    on_shift: frozenset[str],
    counts: Mapping[str, int],
    hours: Mapping[str, float],
) -> list[Assignment]:
    """The rules read literally: for each chat, oldest first, rank every advisor afresh."""
    active = {a.id: a.active for a in advisors}
    given_at: dict[str, int] = {}
    tally = dict(counts)
    made: list[Assignment] = []
    for chat in order(chats):
        behind = deficits(tally, hours)
        ranked = [
            (_rank(a, active[a.id], behind, given_at), a)
            for a in advisors
            if eligible(a, on_shift) and active[a.id] < a.capacity and can_serve(a, chat)
        ]
        if not ranked:
            continue
        chosen = min(ranked, key=itemgetter(0))[1]
        active[chosen.id] += 1
        given_at[chosen.id] = len(made)
        tally[chosen.organisation] = tally.get(chosen.organisation, 0) + 1
        made.append(Assignment(chat.id, chosen.id))
    return made


def _rank(
    a: AdvisorState, active: int, behind: Mapping[str, float], given_at: Mapping[str, int]
) -> tuple[int, float, tuple[int, float], str]:
    """Fewest active, furthest behind, longest idle (given a chat here = least idle), id."""
    idle = (1, given_at[a.id]) if a.id in given_at else (0, a.idle_since.timestamp())
    return (active, -behind.get(a.organisation, 0.0), idle, a.id)

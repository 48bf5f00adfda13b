"""The chat lifecycle table: every legal move, and every other one refused."""

from __future__ import annotations

import itertools

import pytest

from routing.errors import IllegalTransition
from routing.lifecycle import FINAL_STATES, TRANSITIONS, ChatEvent, ChatState, next_state

LEGAL = [
    (ChatState.WAITING, ChatEvent.ASSIGN, ChatState.ACTIVE),
    (ChatState.WAITING, ChatEvent.ABANDON, ChatState.ABANDONED),
    (ChatState.WAITING, ChatEvent.EXPIRE, ChatState.EXPIRED),
    (ChatState.ACTIVE, ChatEvent.REQUEUE, ChatState.WAITING),
    (ChatState.ACTIVE, ChatEvent.END, ChatState.ENDED),
]


@pytest.mark.parametrize(("state", "event", "after"), LEGAL)
def test_legal_transitions(state: ChatState, event: ChatEvent, after: ChatState) -> None:
    assert next_state(state, event) is after


def test_the_table_holds_exactly_the_legal_transitions() -> None:
    assert dict(TRANSITIONS) == {(s, e): a for s, e, a in LEGAL}


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (s, e)
        for s, e in itertools.product(ChatState, ChatEvent)
        if (s, e) not in {(s, e) for s, e, _ in LEGAL}
    ],
)
def test_every_other_pair_is_illegal(state: ChatState, event: ChatEvent) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, event)
    assert (caught.value.state, caught.value.event) == (state.value, event.value)


def test_ended_abandoned_and_expired_are_final() -> None:
    assert {ChatState.ENDED, ChatState.ABANDONED, ChatState.EXPIRED} == FINAL_STATES


def test_values_are_the_lowercase_strings_stored_in_the_database() -> None:
    assert [s.value for s in ChatState] == ["waiting", "active", "ended", "abandoned", "expired"]
    assert next_state(ChatState("waiting"), ChatEvent("assign")) == "active"


def test_the_message_says_what_was_refused() -> None:
    with pytest.raises(
        IllegalTransition, match="event 'end' is not allowed for a chat in state 'ended'"
    ):
        next_state(ChatState.ENDED, ChatEvent.END)

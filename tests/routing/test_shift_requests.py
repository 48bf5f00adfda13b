"""A shift request's lifecycle: its table, where an agreed swap goes, and who may do what."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.errors import IllegalTransition
from routing.shift_requests import (
    FINAL_STATES,
    TRANSITIONS,
    RequestEvent,
    RequestKind,
    RequestState,
    after_agreement,
    first_state,
    may,
    next_state,
)


def test_an_offer_to_cover_waits_for_a_coordinator_and_a_swap_or_give_away_for_an_advisor() -> None:
    assert first_state(RequestKind.COVER) is RequestState.PENDING
    assert first_state(RequestKind.SWAP) is first_state(RequestKind.GIVE) is RequestState.OPEN


def test_a_request_is_agreed_then_approved_or_declined() -> None:
    agreed = next_state(RequestState.OPEN, RequestEvent.AGREE)
    assert agreed is RequestState.PENDING
    assert next_state(agreed, RequestEvent.APPROVE) is RequestState.APPROVED
    assert next_state(agreed, RequestEvent.DECLINE) is RequestState.DECLINED


def test_a_coordinator_cannot_approve_what_the_second_advisor_has_not_agreed() -> None:
    with pytest.raises(IllegalTransition, match="shift request"):
        next_state(RequestState.OPEN, RequestEvent.APPROVE)


def test_the_final_states_are_the_decided_ones() -> None:
    decided = {RequestState.APPROVED, RequestState.DECLINED, RequestState.TURNED_DOWN, RequestState.WITHDRAWN}
    assert decided == FINAL_STATES


@given(st.sampled_from(sorted(FINAL_STATES)), st.sampled_from(list(RequestEvent)))
def test_nothing_leaves_a_final_state(state: RequestState, event: RequestEvent) -> None:
    with pytest.raises(IllegalTransition):
        next_state(state, event)


@given(st.sampled_from(list(RequestState)), st.sampled_from(list(RequestEvent)))
def test_the_table_answers_every_pair_or_refuses_it(state: RequestState, event: RequestEvent) -> None:
    if (state, event) in TRANSITIONS:
        assert next_state(state, event) is TRANSITIONS[(state, event)]
    else:
        with pytest.raises(IllegalTransition):
            next_state(state, event)


def test_an_agreed_swap_goes_through_at_once_only_where_the_service_says_so() -> None:
    assert after_agreement(RequestKind.SWAP, immediate_swaps=True) is RequestState.APPROVED
    assert after_agreement(RequestKind.SWAP, immediate_swaps=False) is RequestState.PENDING
    # Only swaps: a give-away hands over a shift one way, and a coordinator looks at it.
    assert after_agreement(RequestKind.GIVE, immediate_swaps=True) is RequestState.PENDING


def test_who_may_do_what() -> None:
    swap = {"requester": "anna", "other": "bertil"}
    assert may(RequestEvent.WITHDRAW, actor="anna", coordinator=False, **swap)
    assert not may(RequestEvent.WITHDRAW, actor="bertil", coordinator=False, **swap)
    assert may(RequestEvent.AGREE, actor="bertil", coordinator=False, **swap)
    assert not may(RequestEvent.AGREE, actor="chloe", coordinator=False, **swap)
    assert not may(RequestEvent.AGREE, actor="anna", coordinator=False, **swap)
    assert may(RequestEvent.TURN_DOWN, actor="bertil", coordinator=False, **swap)
    assert not may(RequestEvent.APPROVE, actor="bertil", coordinator=False, **swap)
    assert may(RequestEvent.APPROVE, actor="cora", coordinator=True, **swap)
    assert may(RequestEvent.DECLINE, actor="cora", coordinator=True, **swap)
    # A give-away to anyone: anybody but the giver takes it, nobody turns it down.
    anyone = {"requester": "anna", "other": None}
    assert may(RequestEvent.AGREE, actor="chloe", coordinator=False, **anyone)
    assert not may(RequestEvent.AGREE, actor="anna", coordinator=False, **anyone)
    assert not may(RequestEvent.TURN_DOWN, actor="chloe", coordinator=False, **anyone)

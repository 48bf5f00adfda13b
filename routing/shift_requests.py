"""The life of an advisor's request to change the roster, as one transition table.

Theory of operation
-------------------
An advisor asks for one of three changes (`RequestKind`):

- COVER: a new shift for them over a gap ahead (see `routing.gaps`);
- SWAP: one of their shifts for another advisor's shift, each taking the other's;
- GIVE: one of their shifts to a named advisor, or to anyone who takes it.

A swap or a give-away needs a second advisor first: it starts OPEN until that advisor agrees
("agree"; for a give-away to anyone, whoever takes it) or turns it down ("turn_down"). An offer
to cover needs nobody else, so it starts PENDING: waiting for a coordinator, who "approve"s it
(the roster changes then) or "decline"s it. Where the service lets swaps that both advisors
agreed go through at once (`after_agreement`), an agreed swap is APPROVED without a coordinator.
The advisor who asked may "withdraw" until it is decided; a coordinator may decline an open
request too.

APPROVED, DECLINED, TURNED_DOWN and WITHDRAWN are final. An event the table lacks for a state
raises IllegalTransition. Who may send each event is `may`'s rule. The values are the lowercase
strings stored in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from routing.errors import IllegalTransition
from routing.types import AdvisorId


class RequestKind(StrEnum):
    COVER = "cover"
    SWAP = "swap"
    GIVE = "give"


class RequestState(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    TURNED_DOWN = "turned_down"
    WITHDRAWN = "withdrawn"


class RequestEvent(StrEnum):
    AGREE = "agree"
    TURN_DOWN = "turn_down"
    APPROVE = "approve"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


TRANSITIONS: Mapping[tuple[RequestState, RequestEvent], RequestState] = MappingProxyType({
    (RequestState.OPEN, RequestEvent.AGREE): RequestState.PENDING,
    (RequestState.OPEN, RequestEvent.TURN_DOWN): RequestState.TURNED_DOWN,
    (RequestState.OPEN, RequestEvent.DECLINE): RequestState.DECLINED,
    (RequestState.OPEN, RequestEvent.WITHDRAW): RequestState.WITHDRAWN,
    (RequestState.PENDING, RequestEvent.APPROVE): RequestState.APPROVED,
    (RequestState.PENDING, RequestEvent.DECLINE): RequestState.DECLINED,
    (RequestState.PENDING, RequestEvent.WITHDRAW): RequestState.WITHDRAWN,
})

FINAL_STATES = frozenset(s for s in RequestState if all(s != state for state, _ in TRANSITIONS))


def first_state(kind: RequestKind) -> RequestState:
    """An offer to cover waits for a coordinator at once; a swap or a give-away for an advisor."""
    return RequestState.PENDING if kind is RequestKind.COVER else RequestState.OPEN


def next_state(state: RequestState, event: RequestEvent) -> RequestState:
    """The state a request in `state` moves to on `event`; IllegalTransition if the table has none."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalTransition(state, event, "a shift request") from None


def after_agreement(kind: RequestKind, *, immediate_swaps: bool) -> RequestState:
    """Where an open request goes once the second advisor agreed: a swap straight to APPROVED
    when the service lets agreed swaps through at once, else to a coordinator (PENDING)."""
    if kind is RequestKind.SWAP and immediate_swaps:
        return RequestState.APPROVED
    return next_state(RequestState.OPEN, RequestEvent.AGREE)


def may(event: RequestEvent, *, actor: AdvisorId, coordinator: bool, requester: AdvisorId,
        other: AdvisorId | None) -> bool:
    """Whether `actor` may send `event`: the advisor who asked withdraws; the second advisor
    agrees or turns down (`other` None: a give-away to anyone, which any advisor but the one
    who asked may take, and nobody turns down); a coordinator approves and declines."""
    match event:
        case RequestEvent.WITHDRAW:
            return actor == requester
        case RequestEvent.AGREE:
            return actor != requester and (other is None or actor == other)
        case RequestEvent.TURN_DOWN:
            return other is not None and actor == other
        case RequestEvent.APPROVE | RequestEvent.DECLINE:
            return coordinator

"""The life of a chat, as one transition table.

Theory of operation
-------------------
A chat starts WAITING in the queue. A routing decision hands it to an advisor ("assign") and
it is ACTIVE. An active chat goes back to the queue ("requeue") when it is transferred, or when
its advisor's connection stays lost past the grace period; it keeps its original arrival time,
so it usually goes to the head. An active chat "end"s when the visitor or the advisor ends it,
or after the configured silence. A waiting chat is "abandon"ed when its visitor leaves before
anyone took it, or loses the connection and never comes back; it "expire"s when the service has
closed and the closing grace period runs out with the chat still in the queue (the visitor is
offered the offline form, with what they typed kept).

ENDED, ABANDONED and EXPIRED are final: no event leaves them. An event the table does not list
for a state is the caller's bug (a second "end", an "assign" of an active chat), and
`next_state` raises IllegalTransition instead of guessing.

The values are the lowercase strings stored in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from routing.errors import IllegalTransition


class ChatState(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    ENDED = "ended"
    ABANDONED = "abandoned"
    EXPIRED = "expired"


class ChatEvent(StrEnum):
    ASSIGN = "assign"
    REQUEUE = "requeue"
    END = "end"
    ABANDON = "abandon"
    EXPIRE = "expire"


TRANSITIONS: Mapping[tuple[ChatState, ChatEvent], ChatState] = MappingProxyType(
    {
        (ChatState.WAITING, ChatEvent.ASSIGN): ChatState.ACTIVE,
        (ChatState.WAITING, ChatEvent.ABANDON): ChatState.ABANDONED,
        (ChatState.WAITING, ChatEvent.EXPIRE): ChatState.EXPIRED,
        (ChatState.ACTIVE, ChatEvent.REQUEUE): ChatState.WAITING,
        (ChatState.ACTIVE, ChatEvent.END): ChatState.ENDED,
    }
)

FINAL_STATES = frozenset(s for s in ChatState if all(s != state for state, _ in TRANSITIONS))


def next_state(state: ChatState, event: ChatEvent) -> ChatState:
    """The state a chat in `state` moves to on `event`, as TRANSITIONS says; raises
    IllegalTransition for a pair the table lacks. Plain strings equal to the values work too."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalTransition(str(state), str(event)) from None
